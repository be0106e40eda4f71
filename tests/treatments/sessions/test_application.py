"""Step 3, the application: only usable lots of the plan's product, an amount the lot holds, the
plan's areas open on the day, and per route the device and needle depths or laser settings.

Bad input gets a message at the field and saves nothing, including a lot id forced into the form
(docs/clinical-rules.md §Lots: an expired lot cannot be used).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import LotFactory, ProductFactory
from tests.treatments.sessions.factories import (
    planned_plan,
    prepared_session,
    screened_session,
    usable_lot,
)
from treatments.models import TreatmentSession

pytestmark = pytest.mark.django_db


def _post(client, session, **data):
    return client.post(reverse("treatments:session_application", args=[session.pk]), data)


def _data(lot, **overrides):
    return {
        "lot": lot.pk,
        "amount": "0.5",
        "areas": ["face"],
        "device": "Dermapen 4",
        "depth_face": "1.0",
    } | overrides


def _nothing_saved(session):
    session = TreatmentSession.objects.get(pk=session.pk)
    assert session.lot_id is None
    assert session.amount is None
    assert session.depths == {}
    return session


def test_the_application_is_recorded(client, derm):
    session = prepared_session()
    lot = usable_lot(session.plan)
    client.force_login(derm)

    response = _post(client, session, **_data(lot, depth_face="1.25"))

    assert response.status_code == 302
    assert response["Location"].endswith("#step-complete")
    session.refresh_from_db()
    assert session.lot == lot
    assert session.amount == Decimal("0.5")
    assert session.areas == ["face"]
    assert session.device == "Dermapen 4"
    assert session.depths == {"face": "1.25"}
    lot.refresh_from_db()
    assert lot.quantity_remaining == 8  # taken only when the session is completed


def test_the_form_offers_only_usable_lots_of_the_plans_product(client, derm):
    session = prepared_session()
    good = usable_lot(session.plan, lot_number="GOOD-1")
    usable_lot(session.plan, lot_number="OLD-1", expiry_date=dt.date(2020, 1, 1))
    LotFactory(lot_number="OTHER-1")
    client.force_login(derm)
    page = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert f'value="{good.pk}"' in page and "GOOD-1" in page
    assert "OLD-1" not in page
    assert "OTHER-1" not in page


def test_a_depth_outside_the_areas_range_is_refused(client, derm):
    session = prepared_session()
    lot = usable_lot(session.plan)
    client.force_login(derm)
    response = _post(client, session, **_data(lot, depth_face="1.8"))
    assert response.status_code == 200
    assert "1.8 mm is outside the range allowed for the face (0.5–1.5 mm)." in response.text
    _nothing_saved(session)


def test_acne_scars_on_the_face_allow_deeper_needling(client, derm):
    from tests.factories import AssessmentConcernFactory

    session = prepared_session()
    AssessmentConcernFactory(
        assessment=session.plan.assessment, concern="acne_scars", severity=3, areas=["face"]
    )
    lot = usable_lot(session.plan)
    client.force_login(derm)
    response = _post(client, session, **_data(lot, depth_face="1.8"))
    assert response.status_code == 302


def test_each_treated_area_needs_its_depth(client, derm):
    session = prepared_session()
    lot = usable_lot(session.plan)
    client.force_login(derm)
    response = _post(client, session, **_data(lot, depth_face=""))
    assert "Give the needle depth used on the face." in response.text
    _nothing_saved(session)


@pytest.mark.parametrize(
    ("lot_fields", "message"),
    [
        (
            {"expiry_date": dt.date(2026, 10, 1)},
            "This lot is expired (expiry 2026-10-01) and cannot be used.",
        ),
        ({"quantity_remaining": Decimal(0)}, "This lot is empty and cannot be used."),
    ],
)
def test_a_forged_unusable_lot_is_refused_with_the_reason(client, derm, lot_fields, message):
    session = prepared_session()
    lot = usable_lot(session.plan, **lot_fields)
    client.force_login(derm)
    with pytest.MonkeyPatch.context() as patch:
        # The expiry message names the lot's own date: make "today" after it.
        patch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 23))
        response = _post(client, session, **_data(lot))
    assert response.status_code == 200
    assert message in response.text
    _nothing_saved(session)


def test_a_withdrawn_lot_is_refused(client, derm):
    from treatments.services import plans as plan_services

    session = prepared_session()
    lot = usable_lot(session.plan)
    plan_services.lot_withdraw(lot=lot, by=derm, reason="Manufacturer's recall notice 12")
    client.force_login(derm)
    response = _post(client, session, **_data(lot))
    assert "This lot was withdrawn on" in response.text
    assert "(Manufacturer&#x27;s recall notice 12) and cannot be used." in response.text
    _nothing_saved(session)


def test_a_lot_of_another_product_is_refused(client, derm):
    session = prepared_session()
    other = LotFactory(product=ProductFactory(name="Other serum"), lot_number="X-9")
    client.force_login(derm)
    response = _post(client, session, **_data(other))
    assert "Lot X-9 is of Other serum, not of the plan&#x27;s product" in response.text
    _nothing_saved(session)


def test_an_unknown_lot_is_refused(client, derm):
    session = prepared_session()
    client.force_login(derm)
    response = _post(client, session, lot="999999", amount="1", areas=["face"], depth_face="1.0")
    assert "Choose a lot from the list." in response.text
    _nothing_saved(session)


def test_more_than_the_lot_holds_is_refused(client, derm):
    session = prepared_session()
    lot = usable_lot(session.plan, quantity_remaining=Decimal("2"))
    client.force_login(derm)
    response = _post(client, session, **_data(lot, amount="2.5"))
    assert "Only 2 vials left in lot" in response.text
    assert "the amount cannot be more." in response.text
    _nothing_saved(session)


def test_every_problem_is_said_at_once(client, derm):
    session = prepared_session()
    lot = usable_lot(session.plan, expiry_date=dt.date(2020, 1, 1))
    client.force_login(derm)
    response = _post(client, session, lot=lot.pk, amount="", areas=["face"], depth_face="3")
    assert "Give the amount used." in response.text
    assert "This lot is expired (expiry 2020-01-01) and cannot be used." in response.text
    assert "3 mm is outside the range allowed for the face" in response.text
    assert "Name the device used." in response.text


def test_an_area_outside_the_plan_is_refused(client, derm):
    session = prepared_session()
    lot = usable_lot(session.plan)
    client.force_login(derm)
    response = _post(client, session, **_data(lot, areas=["face", "neck"]))
    assert response.status_code == 200
    assert "Select a valid choice. neck is not one of the available choices." in response.text
    _nothing_saved(session)


def test_an_area_blocked_on_the_day_is_refused_and_the_others_may_go_ahead(client, derm):
    plan = planned_plan(areas=["face", "neck"], depths={"face": "1.0", "neck": "0.5"})
    session = prepared_session(plan=plan, screen_fields={"lesion_areas": ["neck"]})
    lot = usable_lot(plan)
    client.force_login(derm)

    refused = _post(client, session, **_data(lot, areas=["face", "neck"], depth_neck="0.5"))
    assert "The day&#x27;s screen blocks the neck: Skin cancer or an unassessed lesion" in (
        refused.text
    )
    _nothing_saved(session)

    accepted = _post(client, session, **_data(lot, areas=["face"]))
    assert accepted.status_code == 302
    session.refresh_from_db()
    assert session.areas == ["face"]
    assert session.depths == {"face": "1.0"}


def test_the_application_waits_for_the_skin_preparation(client, derm):
    session = screened_session()
    lot = usable_lot(session.plan)
    client.force_login(derm)
    response = _post(client, session, **_data(lot))
    assert response.status_code == 200
    assert "Confirm the skin preparation (gentle cleansing) first." in response.text
    _nothing_saved(session)


def test_laser_assisted_needs_its_settings(client, derm):
    session = prepared_session(route="laser_assisted")
    lot = usable_lot(session.plan)
    client.force_login(derm)
    response = _post(
        client, session, lot=lot.pk, amount="1", areas=["face"], device="Fraxel", laser_settings=""
    )
    assert "Give the laser settings (device, wavelength, energy, passes)." in response.text
    _nothing_saved(session)

    response = _post(
        client,
        session,
        lot=lot.pk,
        amount="1",
        areas=["face"],
        device="Fraxel",
        laser_settings="1550 nm, 15 mJ, 2 passes",
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.laser_settings == "1550 nm, 15 mJ, 2 passes"
    assert session.depths == {}


def test_topical_needs_no_device_nor_depth(client, derm):
    session = prepared_session(route="topical")
    lot = usable_lot(session.plan)
    client.force_login(derm)
    response = _post(client, session, lot=lot.pk, amount="1", areas=["face"], depth_face="9")
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.device, session.depths, session.laser_settings) == ("", {}, "")
