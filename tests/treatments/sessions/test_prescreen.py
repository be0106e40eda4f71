"""Step 1, "anything changed?": a new dated pre-session screen, and the rules re-run on it.

docs/clinical-rules.md §Contraindication screen: asked again briefly on the day of every session;
"Blocks" is absolute (the software refuses it), "Caution" is allowed with a written justification,
kept.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Screen
from tests.factories import ScreenFactory
from tests.treatments.sessions.factories import (
    applied_session,
    completed_session,
    planned_plan,
    screened_session,
    started_session,
)
from treatments.models import AppointmentStatus, SessionStatus, TreatmentSession

pytestmark = pytest.mark.django_db


def _url(name, session):
    return reverse(f"treatments:{name}", args=[session.pk])


def _prescreen(client, session, **answers):
    return client.post(_url("session_prescreen", session), answers)


def test_nothing_changed_records_a_pre_session_screen_dated_today(client, derm):
    session = started_session()
    client.force_login(derm)

    response = _prescreen(client, session)

    assert response.status_code == 302
    assert response["Location"].endswith("#step-prep")
    session.refresh_from_db()
    screen = session.prescreen
    assert screen.kind == Screen.Kind.PRE_SESSION
    assert screen.screened_on == timezone.localdate()
    assert screen.author == derm
    assert screen.patient == session.patient
    page = client.get(_url("session_detail", session)).text
    assert "Nothing blocks microneedling today." in page


def test_the_form_starts_from_the_latest_screen(client, derm):
    session = started_session()
    ScreenFactory(patient=session.patient, antiplatelet=True, other_allergies="Plasters")
    client.force_login(derm)
    page = client.get(_url("session_detail", session)).text
    assert re.search(r'<input[^>]*name="antiplatelet"[^>]*checked', page)
    assert "Plasters" in page


def test_a_route_blocked_today_stops_the_session(client, derm):
    session = started_session()
    client.force_login(derm)

    response = _prescreen(client, session, active_infection_areas=["face"])

    assert response["Location"].endswith("#not-treated")
    page = client.get(_url("session_detail", session)).text
    assert "Microneedling is blocked today: the session cannot go ahead." in page
    assert "Active skin infection" in page
    assert "Not treated: Active skin infection" in page  # the reason, ready to send
    assert "Record the application" not in page

    refused = client.post(_url("session_complete", session), {})
    assert refused.status_code == 200
    assert "The day&#x27;s screen blocks microneedling today" in refused.text
    assert "Close the session as not treated." in refused.text
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.appointment.status == AppointmentStatus.CHECKED_IN


def test_a_blocked_session_is_closed_as_not_treated_and_the_appointment_cancelled(client, derm):
    session = started_session()
    client.force_login(derm)
    _prescreen(client, session, active_infection_areas=["face"])

    response = client.post(
        _url("session_not_treated", session), {"reason": "Cold sore on the upper lip"}
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.NOT_TREATED
    assert session.not_treated_reason == "Cold sore on the upper lip"
    assert session.is_locked
    appointment = session.appointment
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.cancel_reason == "Not treated: Cold sore on the upper lip"
    # The clinician's decision on the day is not the patient's late cancellation.
    assert appointment.late_cancellation is False
    assert session.lot is None


def test_not_treated_needs_a_reason(client, derm):
    session = started_session()
    client.force_login(derm)
    response = client.post(_url("session_not_treated", session), {"reason": "  "})
    assert response.status_code == 200
    assert "Say why the session did not go ahead." in response.text
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    assert session.appointment.status == AppointmentStatus.CHECKED_IN


def test_a_block_in_one_area_closes_only_that_area(client, derm):
    plan = planned_plan(areas=["face", "neck"], depths={"face": "1.0", "neck": "0.5"})
    session = started_session(plan=plan)
    client.force_login(derm)
    _prescreen(client, session, lesion_areas=["neck"])

    page = client.get(_url("session_detail", session)).text
    assert "Blocked today on the neck" in page
    assert "the session may go ahead on the face" in page


def test_a_caution_needs_a_justification_and_nothing_is_saved_without_it(client, derm):
    session = started_session()
    client.force_login(derm)

    response = _prescreen(client, session, antiplatelet="on")

    assert response.status_code == 200
    assert "Caution today: Takes an antiplatelet" in response.text
    assert "Write why it is safe to go ahead." in response.text
    session.refresh_from_db()
    assert session.prescreen is None
    assert not Screen.objects.filter(kind=Screen.Kind.PRE_SESSION).exists()


def test_a_justified_caution_is_kept_with_the_day_screen(client, derm):
    session = started_session()
    client.force_login(derm)
    _prescreen(
        client,
        session,
        antiplatelet="on",
        caution_justification="Low-dose aspirin; shallow depth, pressure after.",
    )
    session.refresh_from_db()
    assert "Going ahead despite the cautions (Takes an antiplatelet" in session.prescreen.notes
    assert "Low-dose aspirin; shallow depth, pressure after." in session.prescreen.notes


def test_a_screen_again_that_blocks_refuses_an_application_already_recorded(client, derm):
    session = applied_session()
    client.force_login(derm)
    _prescreen(client, session, keloid_history="on")
    response = client.post(_url("session_complete", session), {})
    assert "History of keloid or hypertrophic scarring" in response.text
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS


def test_a_screen_dated_in_the_future_is_refused(client, derm):
    session = started_session()
    client.force_login(derm)
    next_year = timezone.localdate() + dt.timedelta(days=365)
    response = _prescreen(client, session, last_sunburn_or_tan=next_year.isoformat())
    assert response.status_code == 200
    assert "This date is after the screen&#x27;s date: check it." in response.text
    assert TreatmentSession.objects.get(pk=session.pk).prescreen is None


def test_a_locked_session_takes_no_new_screen(client, derm):
    session = completed_session()
    screens = Screen.objects.count()
    client.force_login(derm)
    response = _prescreen(client, session)
    assert response.status_code == 302
    assert "This session is locked: add an addendum." in client.get(response["Location"]).text
    assert Screen.objects.count() == screens


def test_screened_session_factory_records_nothing_blocking():
    session = screened_session()
    assert session.prescreen.kind == Screen.Kind.PRE_SESSION


def test_a_caution_the_plan_was_saved_with_and_justified_needs_no_new_justification(client, derm):
    phototype = (
        "Fitzpatrick V: higher risk of post-inflammatory hyperpigmentation with laser; prefer "
        "microneedling"
    )
    plan = planned_plan(
        route="laser_assisted",
        justification="Texture scarring; test patch tolerated.",
        recommendation={
            "routes": [
                {
                    "route": "laser_assisted",
                    "reasons": [
                        {"level": "caution", "text": phototype, "rule": "docs/clinical-rules.md"}
                    ],
                }
            ]
        },
    )
    session = started_session(plan=plan)
    client.force_login(derm)

    assert _prescreen(client, session).status_code == 302
    page = client.get(_url("session_detail", session)).text
    assert f"{phototype} (justified in the plan)" in page


def test_a_caution_not_in_the_plan_needs_one_today(client, derm):
    session = started_session(route="laser_assisted")
    client.force_login(derm)
    response = _prescreen(client, session)
    assert response.status_code == 200
    assert "Caution today: Fitzpatrick V: higher risk" in response.text
