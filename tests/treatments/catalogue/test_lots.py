"""Lots and recall: the lot list, the recall page, its CSV export and withdrawing a lot."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import LotFactory, ProductFactory
from tests.helpers import assert_queries_do_not_grow
from treatments.models import Lot
from treatments.services import recall

pytestmark = pytest.mark.django_db


@pytest.fixture
def derm_client(client_for):
    return client_for(Role.DERMATOLOGIST)


@pytest.fixture
def sessions_source():
    """Stand in for the sessions source with rows for one lot."""
    rows: dict[int, list[recall.RecallRow]] = {}

    def source(lot):
        return rows.get(lot.pk, [])

    recall.register(source)
    yield rows
    recall.SOURCES.remove(source)


def row(**fields):
    values = {
        "session_date": dt.date(2026, 10, 1),
        "patient_name": "Olivia Bennett",
        "date_of_birth": dt.date(1988, 4, 12),
        "mobile": "+447700900123",
        "email": "olivia@example.test",
        "practitioner": "Dr Amelia Hart",
    }
    values.update(fields)
    return recall.RecallRow(**values)


# --- Lot list ----------------------------------------------------------------------------------


def test_lot_list_shows_every_lot_with_its_status(derm_client):
    today = timezone.localdate()
    LotFactory(lot_number="GOOD-1")
    LotFactory(lot_number="OLD-1", expiry_date=today - dt.timedelta(days=1))
    LotFactory(lot_number="EMPTY-1", quantity_remaining=Decimal(0))
    response = derm_client.get(reverse("treatments:lot_list"))
    statuses = {r["lot"].lot_number: r["status"] for r in response.context["rows"]}
    assert statuses == {"GOOD-1": "usable", "OLD-1": "expired", "EMPTY-1": "empty"}
    assert "Expired" in response.text and "Empty" in response.text


def test_lot_list_finds_by_number_or_product(client_for):
    client = client_for(Role.MANAGER)
    LotFactory(lot_number="RV-2401", product=ProductFactory(name="Rose serum"))
    LotFactory(lot_number="SG-118", product=ProductFactory(name="SalmoGen"))
    found = client.get(reverse("treatments:lot_list"), {"q": "rv-24"}).context["rows"]
    assert [r["lot"].lot_number for r in found] == ["RV-2401"]
    found = client.get(reverse("treatments:lot_list"), {"q": "salmo"}).context["rows"]
    assert [r["lot"].lot_number for r in found] == ["SG-118"]
    response = client.get(reverse("treatments:lot_list"), {"q": "nothing"})
    assert "No lot matches" in response.text


def test_lot_list_queries_do_not_grow(derm_client):
    LotFactory()
    assert_queries_do_not_grow(
        lambda: derm_client.get(reverse("treatments:lot_list")),
        lambda: LotFactory.create_batch(5),
        limit=8,
    )


# --- Recall ------------------------------------------------------------------------------------


def test_recall_of_a_lot_no_session_used_says_so(derm_client):
    lot = LotFactory()
    response = derm_client.get(reverse("treatments:lot_recall", kwargs={"pk": lot.pk}))
    assert response.status_code == 200
    assert "No session has recorded this lot yet." in response.text


def test_recall_lists_every_session_patient_and_contact(client_for, sessions_source):
    lot = LotFactory(lot_number="SG-118")
    other = LotFactory()
    sessions_source[lot.pk] = [
        row(session_date=dt.date(2026, 11, 2), patient_name="Zoe Adams"),
        row(),
    ]
    sessions_source[other.pk] = [row(patient_name="Not this lot")]
    response = client_for(Role.MANAGER).get(reverse("treatments:lot_recall", kwargs={"pk": lot.pk}))
    assert [r.patient_name for r in response.context["rows"]] == ["Olivia Bennett", "Zoe Adams"]
    assert "+447700900123" in response.text
    assert "olivia@example.test" in response.text
    assert "Not this lot" not in response.text
    assert "Download the recall list (CSV)" in response.text


def test_recall_csv_has_a_header_and_a_row_per_session(derm_client, sessions_source):
    lot = LotFactory(lot_number="SG-118", product=ProductFactory(name="SalmoGen"))
    sessions_source[lot.pk] = [row(), row(patient_name="Zoe Adams")]
    response = derm_client.get(reverse("treatments:lot_recall_csv", kwargs={"pk": lot.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="recall-lot-SG-118.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == recall.CSV_HEADER
    assert rows[1] == [
        "2026-10-01",
        "Olivia Bennett",
        "1988-04-12",
        "'+447700900123",
        "olivia@example.test",
        "Dr Amelia Hart",
        "SalmoGen",
        "SG-118",
    ]
    assert len(rows) == 3


def test_recall_csv_cannot_carry_a_spreadsheet_formula(derm_client, sessions_source):
    lot = LotFactory()
    sessions_source[lot.pk] = [
        row(patient_name='=HYPERLINK("http://evil.test")', email="@SUM(1)", practitioner="-2+3")
    ]
    response = derm_client.get(reverse("treatments:lot_recall_csv", kwargs={"pk": lot.pk}))
    [_, cells] = list(csv.reader(io.StringIO(response.content.decode())))
    assert cells[1] == '\'=HYPERLINK("http://evil.test")'
    assert cells[4] == "'@SUM(1)"
    assert cells[5] == "'-2+3"


def test_recall_csv_of_an_unused_lot_is_just_the_header(derm_client):
    lot = LotFactory()
    response = derm_client.get(reverse("treatments:lot_recall_csv", kwargs={"pk": lot.pk}))
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [recall.CSV_HEADER]


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT])
def test_recall_is_for_dermatologists_and_the_manager(client_for, role):
    lot = LotFactory()
    client = client_for(role)
    assert client.get(reverse("treatments:lot_recall", kwargs={"pk": lot.pk})).status_code == 403
    url = reverse("treatments:lot_recall_csv", kwargs={"pk": lot.pk})
    assert client.get(url).status_code == 403


def test_unknown_lot_is_404(derm_client):
    assert derm_client.get(reverse("treatments:lot_recall", kwargs={"pk": 999})).status_code == 404


# --- Withdrawing a lot -------------------------------------------------------------------------


def withdraw(client, lot, reason):
    return client.post(
        reverse("treatments:lot_withdraw", kwargs={"pk": lot.pk}), {"reason": reason}
    )


def test_withdrawing_a_lot_keeps_the_reason_and_stops_it_being_offered(client_for):
    lot = LotFactory(lot_number="SG-118")
    client = client_for(Role.MANAGER)
    response = withdraw(client, lot, "Manufacturer recall notice 2026-14.")
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.recall_reason == "Manufacturer recall notice 2026-14."
    assert lot.recalled_by is not None
    assert not Lot.objects.usable(on=timezone.localdate(), policy=_policy()).exists()
    page = client.get(reverse("treatments:lot_recall", kwargs={"pk": lot.pk}))
    assert "Withdrawn (recall)" in page.text
    assert "Withdraw the lot" not in page.text


def test_withdrawing_without_a_reason_gets_the_message_at_the_field(derm_client):
    lot = LotFactory()
    response = withdraw(derm_client, lot, "  ")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Say why the lot is withdrawn."]
    lot.refresh_from_db()
    assert lot.recalled_at is None


def test_withdrawing_twice_is_refused(derm_client):
    lot = LotFactory()
    withdraw(derm_client, lot, "First.")
    response = withdraw(derm_client, lot, "Second.")
    assert response.context["form"].errors["reason"] == ["This lot has already been withdrawn."]
    lot.refresh_from_db()
    assert lot.recall_reason == "First."


def test_withdraw_by_get_is_405(derm_client):
    lot = LotFactory()
    assert (
        derm_client.get(reverse("treatments:lot_withdraw", kwargs={"pk": lot.pk})).status_code
        == 405
    )


def _policy():
    from clinic.models import ClinicSettings

    return ClinicSettings.load().policy


def test_lot_search_survives_a_nul_byte(client_for):
    # PostgreSQL refuses NUL in a string literal; the search must not turn that into a 500.
    response = client_for(Role.MANAGER).get(reverse("treatments:lot_list"), {"q": "\x00abc"})
    assert response.status_code == 200
