"""An amount and its unit agree: "1 vial", "1.5 vials", wherever an amount of a lot is shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.models import Role
from patients import timeline
from tests.factories import LotFactory
from tests.treatments.sessions.factories import applied_session, completed_session, prepared_session
from treatments.models import Lot, LotUnit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("quantity", "unit", "text"),
    [
        ("1", LotUnit.VIAL, "1 vial"),
        ("1.00", LotUnit.VIAL, "1 vial"),
        ("2", LotUnit.VIAL, "2 vials"),
        ("1.5", LotUnit.VIAL, "1.5 vials"),
        ("0.5", LotUnit.VIAL, "0.5 vials"),
        ("0", LotUnit.VIAL, "0 vials"),
        ("1", LotUnit.AMPOULE, "1 ampoule"),
        ("3", LotUnit.JAR, "3 jars"),
        ("1", LotUnit.ML, "1 ml"),
        ("12.50", LotUnit.ML, "12.5 ml"),
        ("20.00", LotUnit.JAR, "20 jars"),
    ],
)
def test_a_quantity_in_words(quantity, unit, text):
    assert unit.of(Decimal(quantity)) == text


def test_a_lots_quantities_agree_with_their_numbers():
    lot = Lot(quantity_received=Decimal(1), quantity_remaining=Decimal(1), unit=LotUnit.VIAL)
    assert lot.remaining_text == "1 vial"
    assert lot.quantity_text == "1 of 1 vial"
    lot.quantity_received = Decimal(10)
    assert lot.quantity_text == "1 of 10 vials"


def test_the_session_record_says_1_vial(client, derm):
    session = completed_session(amount="1")
    client.force_login(derm)
    page = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert '<dd class="col-sm-8">1 vial</dd>' in page
    assert "1 vials" not in page
    assert Lot.objects.get(pk=session.lot_id).history.first().history_change_reason == (
        "1 vial used at a treatment session"
    )


def test_the_recorded_application_says_1_vial(client, derm):
    session = applied_session(amount="1")
    client.force_login(derm)
    page = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert f"Lot {session.lot.lot_number}, 1 vial, on the face" in page


def test_the_lot_choice_says_1_vial_left(client, derm):
    session = prepared_session()
    LotFactory(product=session.plan.product, lot_number="LAST-ONE", quantity_remaining=Decimal(1))
    client.force_login(derm)
    page = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert "1 vial left" in page
    assert "1 vials" not in page


def test_the_chart_timeline_says_1_vial_used():
    session = completed_session(amount="1")
    entry = next(
        e for e in timeline.entries_for(session.patient, Role.DERMATOLOGIST) if e.kind == "Session"
    )
    assert entry.detail == f"Lot {session.lot.lot_number}, 1 vial used"
