"""The patient's own pages: appointments with pre-visit instructions, past sessions with their
aftercare and skin report, and the home sections."""

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.lib.aftercare import PRE_VISIT
from clinic.lib.vocabulary import Route
from clinic.models import Role
from tests.factories import UserFactory
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.portal.factories import (
    AppointmentFactory,
    change_request,
    completed_session,
    portal_patient,
    treatment_type,
)
from treatments.models import AppointmentStatus

pytestmark = pytest.mark.django_db

APPOINTMENTS = reverse("treatments:portal_appointments")
SESSIONS = reverse("treatments:portal_sessions")
HOME = reverse("home")


@pytest.fixture
def olivia():
    return portal_patient(first_name="Olivia", last_name="Bennett")


@pytest.fixture
def client(olivia):
    client = Client()
    client.force_login(olivia[0])
    return client


def text_of(response) -> str:
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    return html.unescape(response.text)


# --- Appointments ------------------------------------------------------------------------------


def test_upcoming_appointment_shows_local_time_practitioner_place_and_pre_visit(client, olivia):
    # 09:30 UTC on a summer day is 10:30 in London: the page shows the clinic's local time.
    starts = dt.datetime(2099, 7, 14, 9, 30, tzinfo=dt.UTC)
    appointment = AppointmentFactory(
        patient=olivia[1],
        starts_at=starts,
        practitioner__user__first_name="Amelia",
        practitioner__user__last_name="Hart",
        room__name="Treatment room A",
    )
    text = text_of(client.get(APPOINTMENTS))
    assert "Tuesday 14 July 2099, 10:30" in text
    assert "with Dr Amelia Hart" in text
    assert "Treatment room A" in text
    for line in PRE_VISIT[Route.MICRONEEDLING]:
        assert line in text
    assert reverse("treatments:appointment_ics", kwargs={"pk": appointment.pk}) in text
    assert reverse("treatments:portal_change_request", kwargs={"pk": appointment.pk}) in text


def test_topical_appointment_gets_clean_skin_only(client, olivia):
    AppointmentFactory(patient=olivia[1], appointment_type=treatment_type("topical"))
    text = text_of(client.get(APPOINTMENTS))
    assert PRE_VISIT[Route.TOPICAL][0] in text
    assert "Stop retinoids" not in text


def test_open_request_replaces_the_ask_link(client, olivia):
    appointment = AppointmentFactory(patient=olivia[1])
    change_request(appointment, kind="cancel")
    text = text_of(client.get(APPOINTMENTS))
    assert "to cancel this appointment. The clinic will contact you" in text
    assert reverse("treatments:portal_change_request", kwargs={"pk": appointment.pk}) not in text


def test_past_and_cancelled_appointments_are_listed_apart(client, olivia):
    AppointmentFactory(
        patient=olivia[1],
        starts_at=timezone.now() - dt.timedelta(days=20),
        status=AppointmentStatus.COMPLETED,
    )
    AppointmentFactory(
        patient=olivia[1],
        starts_at=timezone.now() + dt.timedelta(days=5),
        status=AppointmentStatus.CANCELLED,
    )
    text = text_of(client.get(APPOINTMENTS))
    assert "You have no upcoming appointments." in text
    assert "Completed" in text and "Cancelled" in text


def test_other_patients_appointments_are_not_shown(client):
    other = AppointmentFactory(patient__first_name="Somebody", patient__last_name="Else")
    text = text_of(client.get(APPOINTMENTS))
    assert reverse("treatments:portal_change_request", kwargs={"pk": other.pk}) not in text


def test_appointments_queries_do_not_grow(client, olivia):
    AppointmentFactory(patient=olivia[1])

    def grow():
        for n in range(5):
            appointment = AppointmentFactory(
                patient=olivia[1], starts_at=timezone.now() + dt.timedelta(days=3 + n)
            )
            change_request(appointment)
            AppointmentFactory(
                patient=olivia[1],
                starts_at=timezone.now() - dt.timedelta(days=10 + n),
                status=AppointmentStatus.COMPLETED,
            )

    assert_queries_do_not_grow(lambda: client.get(APPOINTMENTS), grow, limit=12)


# --- Sessions ----------------------------------------------------------------------------------


def test_recent_session_links_its_aftercare_and_the_skin_report(client, olivia):
    session = completed_session(patient=olivia[1])
    text = text_of(client.get(SESSIONS))
    assert "Microneedling session" in text
    assert f"with Dr {session.clinician.get_full_name()}." in text
    assert reverse("treatments:aftercare", kwargs={"pk": session.pk}) in text
    assert reverse("treatments:portal_skin_report", kwargs={"pk": session.pk}) in text
    assert "How is your skin?" in text


def test_old_session_links_its_aftercare_but_no_skin_report(client, olivia):
    session = completed_session(patient=olivia[1], ended_at=timezone.now() - dt.timedelta(days=8))
    text = text_of(client.get(SESSIONS))
    assert reverse("treatments:aftercare", kwargs={"pk": session.pk}) in text
    assert reverse("treatments:portal_skin_report", kwargs={"pk": session.pk}) not in text


def test_unfinished_and_other_patients_sessions_are_not_listed(client, olivia):
    unfinished = completed_session(patient=olivia[1])
    unfinished.status = "in_progress"
    unfinished.ended_at = None
    unfinished.save()
    other = completed_session()
    text = text_of(client.get(SESSIONS))
    assert "You have had no treatment sessions yet." in text
    assert reverse("treatments:aftercare", kwargs={"pk": other.pk}) not in text


def test_sessions_queries_do_not_grow(client, olivia):
    completed_session(patient=olivia[1])

    def grow():
        for n in range(4):
            completed_session(patient=olivia[1], ended_at=timezone.now() - dt.timedelta(days=2 + n))

    assert_queries_do_not_grow(lambda: client.get(SESSIONS), grow, limit=12)


# --- Home --------------------------------------------------------------------------------------


def test_home_shows_the_next_appointment_with_pre_visit_instructions(client, olivia):
    AppointmentFactory(patient=olivia[1], starts_at=dt.datetime(2099, 1, 6, 14, 0, tzinfo=dt.UTC))
    text = text_of(client.get(HOME))
    assert "Your upcoming sessions" in text
    assert "Tuesday 6 January 2099, 14:00" in text
    assert PRE_VISIT[Route.MICRONEEDLING][0] in text
    assert APPOINTMENTS in text


def test_home_shows_the_last_sessions_aftercare_with_exact_times(client, olivia):
    # Ended 14:30 London time in winter (14:30 UTC): no makeup until 72 hours later.
    ended = dt.datetime(2026, 1, 12, 14, 30, tzinfo=dt.UTC)
    older = completed_session(patient=olivia[1], ended_at=ended - dt.timedelta(days=42))
    session = completed_session(patient=olivia[1], ended_at=ended)
    text = text_of(client.get(HOME))
    assert "No makeup until Thursday 15 January, 14:30 (72 hours)" in text
    assert reverse("treatments:aftercare", kwargs={"pk": session.pk}) in text
    assert reverse("treatments:aftercare", kwargs={"pk": older.pk}) not in text
    # Long past its 7 days: no skin report offered.
    assert reverse("treatments:portal_skin_report", kwargs={"pk": session.pk}) not in text


def test_home_offers_the_skin_report_within_seven_days(client, olivia):
    session = completed_session(patient=olivia[1])
    text = text_of(client.get(HOME))
    assert reverse("treatments:portal_skin_report", kwargs={"pk": session.pk}) in text


def test_home_reads_the_stored_aftercare_not_a_recomputation(client, olivia):
    session = completed_session(patient=olivia[1])
    session.aftercare = {
        "instructions": [{"key": "no_makeup", "text": "The text given on the day", "until": None}],
        "call_clinic_if": "Call us if worried",
    }
    session.save()
    text = text_of(client.get(HOME))
    assert "The text given on the day" in text
    assert "Call us if worried" in text


def test_home_without_a_patient_record_shows_empty_states(client_for):
    text = text_of(client_for(Role.PATIENT).get(HOME))
    assert "You have no upcoming sessions." in text
    assert "After each treatment session, its aftercare instructions appear here" in text


def test_patient_home_queries_do_not_grow(client, olivia):
    AppointmentFactory(patient=olivia[1])
    completed_session(patient=olivia[1])

    def grow():
        for n in range(4):
            AppointmentFactory(
                patient=olivia[1], starts_at=timezone.now() + dt.timedelta(days=3 + n)
            )
            completed_session(patient=olivia[1], ended_at=timezone.now() - dt.timedelta(days=2 + n))

    assert_queries_do_not_grow(lambda: client.get(HOME), grow, limit=12)


def test_navigation_offers_the_portal_to_patients_only(client):
    text = client.get(HOME).text
    assert APPOINTMENTS in text and SESSIONS in text
    desk = Client()
    desk.force_login(UserFactory(role=Role.FRONT_DESK))
    desk_text = desk.get(HOME).text
    assert APPOINTMENTS not in desk_text
    assert reverse("treatments:change_requests") in desk_text


@pytest.mark.parametrize("url", [APPOINTMENTS, SESSIONS])
def test_portal_lists_are_get_only(client, url):
    assert client.post(url).status_code == 405
