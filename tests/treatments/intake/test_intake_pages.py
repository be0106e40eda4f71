"""The intake's pages: the patient's in the portal, the dermatologist's review, and the status on
the desk's and the dermatologist's schedules."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from patients.models import Screen
from tests.factories import ConsentTextFactory, UserFactory
from tests.treatments.intake.factories import (
    ALL_NO,
    consultation,
    intake_in_progress,
    submitted_intake,
)
from treatments.models import Intake, IntakeStatus

pytestmark = pytest.mark.django_db

PORTAL = "treatments:portal_intake"
REVIEW = "treatments:intake_review"


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def _form(**answers):
    data = {"action": "save"}
    for name, value in {**ALL_NO, **answers}.items():
        data[name] = {True: "yes", False: "no"}.get(value, value)
    return data


def test_the_patient_saves_then_sends_their_intake():
    appointment = consultation()
    client = _as(appointment.patient.user)
    page = client.get(reverse(PORTAL, args=[appointment.pk]))
    assert page.status_code == 200
    assert "Roaccutane" in page.text  # the screen's questions, in plain words
    assert not Intake.objects.exists()  # reading the page saves nothing

    response = client.post(
        reverse(PORTAL, args=[appointment.pk]),
        {"action": "save", "keloid_history": "yes", "goals": "Even tone"},
    )
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert (intake.status, intake.keloid_history, intake.goals) == (
        "in_progress",
        True,
        "Even tone",
    )

    response = client.post(reverse(PORTAL, args=[appointment.pk]), _form(action="submit"))
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.SUBMITTED


def test_sending_with_questions_unanswered_says_which_next_to_them():
    appointment = consultation()
    client = _as(appointment.patient.user)
    response = client.post(
        reverse(PORTAL, args=[appointment.pk]), {"action": "submit", "keloid_history": "no"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["anticoagulant"] == ["Answer yes or no."]
    assert not Intake.objects.filter(status="submitted").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "submit", "keloid_history": "maybe"}, "keloid_history"),
        ({"action": "submit", "last_sunburn_or_tan": "2999-01-01"}, "last_sunburn_or_tan"),
        ({"action": "submit", "lesion_areas": ["elbow"]}, "lesion_areas"),
        ({"action": "delete"}, "__all__"),
    ],
)
def test_forged_values_are_refused_and_nothing_is_saved(data, field):
    appointment = consultation()
    response = _as(appointment.patient.user).post(reverse(PORTAL, args=[appointment.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Intake.objects.exists()


def test_the_page_links_to_signing_consent():
    ConsentTextFactory(kind="treatment")
    appointment = consultation()
    page = _as(appointment.patient.user).get(reverse(PORTAL, args=[appointment.pk]))
    assert reverse("patients:portal_consent_sign", args=["treatment"]) in page.text


def test_a_patient_never_opens_another_patients_intake():
    mine, theirs = consultation(), consultation()
    client = _as(mine.patient.user)
    assert client.get(reverse(PORTAL, args=[theirs.pk])).status_code == 404
    assert client.post(reverse(PORTAL, args=[theirs.pk]), _form()).status_code == 404
    assert client.get(reverse(PORTAL, args=[987654])).status_code == 404
    assert not Intake.objects.exists()


def test_a_treatment_appointment_has_no_intake_page():
    appointment = consultation(treatment=True)
    assert (
        _as(appointment.patient.user).get(reverse(PORTAL, args=[appointment.pk])).status_code == 404
    )


def test_staff_do_not_fill_intakes_and_anonymous_visitors_log_in(client_for):
    appointment = consultation()
    assert (
        client_for(Role.FRONT_DESK).get(reverse(PORTAL, args=[appointment.pk])).status_code == 403
    )
    response = Client().get(reverse(PORTAL, args=[appointment.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_confirmed_intake_shows_as_read_and_takes_no_more_answers():
    intake = submitted_intake()
    derm = UserFactory(role=Role.DERMATOLOGIST)
    _as(derm).post(reverse(REVIEW, args=[intake.appointment_id]), {"note": ""})
    client = _as(intake.patient.user)
    page = client.get(reverse(PORTAL, args=[intake.appointment_id]))
    assert "has read and confirmed" in page.text
    client.post(reverse(PORTAL, args=[intake.appointment_id]), _form(keloid_history=True))
    intake.refresh_from_db()
    assert intake.keloid_history is False


# --- The dermatologist ---------------------------------------------------------------------------


def test_the_dermatologist_reviews_and_confirms_into_a_patient_reported_screen():
    intake = submitted_intake(keloid_history=True, goals="Fewer acne scars")
    derm = UserFactory(role=Role.DERMATOLOGIST)
    client = _as(derm)
    page = client.get(reverse(REVIEW, args=[intake.appointment_id]))
    assert "Fewer acne scars" in page.text
    assert "What these answers would block" in page.text  # keloid blocks needling
    assert "Confirm as a screen" in page.text
    response = client.post(reverse(REVIEW, args=[intake.appointment_id]), {"note": "Checked."})
    screen = Screen.objects.get()
    assert response["Location"] == reverse(
        "patients:screen_detail", args=[intake.patient_id, screen.pk]
    )
    detail = client.get(response["Location"])
    assert "Patient-reported, confirmed by" in detail.text
    assert screen.keloid_history and "Checked." in screen.notes


def test_confirming_an_intake_in_progress_is_refused_and_makes_no_screen():
    intake = intake_in_progress()
    client = _as(UserFactory(role=Role.DERMATOLOGIST))
    page = client.get(reverse(REVIEW, args=[intake.appointment_id]))
    assert "Confirm as a screen" not in page.text
    response = client.post(reverse(REVIEW, args=[intake.appointment_id]), {"note": ""})
    assert response.status_code == 200
    assert not Screen.objects.exists()


def test_the_desk_never_reads_the_answers(client_for):
    intake = submitted_intake(pregnant_or_breastfeeding=True)
    desk = client_for(Role.FRONT_DESK)
    assert desk.get(reverse(REVIEW, args=[intake.appointment_id])).status_code == 403
    assert desk.post(reverse(REVIEW, args=[intake.appointment_id])).status_code == 403
    assert not Screen.objects.exists()


# --- The schedules -----------------------------------------------------------------------------


def desk_home_queries(client_for, django_assert_max_num_queries) -> int:
    """How many queries the desk's home makes now."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client_for(Role.FRONT_DESK).get(reverse("home"))
    return len(queries) + 2  # the second client's login session


def _today_consultations(n):
    """``n`` consultations later today, one of them with a submitted intake."""
    start = timezone.localtime().replace(hour=23, minute=0, second=0, microsecond=0)
    appointments = []
    for i in range(n):
        starts_at = start - dt.timedelta(minutes=1 + i)
        if starts_at <= timezone.now():
            pytest.skip("too late in the day for appointments still to come")
        appointments.append(consultation(days=0, starts_at=starts_at))
    return appointments


def test_the_desks_schedule_shows_the_status_and_no_answer(
    client_for, django_assert_max_num_queries, time_machine
):
    time_machine.move_to(timezone.localtime().replace(hour=9, minute=0), tick=False)
    appointments = _today_consultations(3)
    few = desk_home_queries(client_for, django_assert_max_num_queries)
    submitted_intake(appointments[0], goals="Secret goal", pregnant_or_breastfeeding=True)
    _today_consultations(3)  # three more: the count of queries does not grow
    desk = client_for(Role.FRONT_DESK)
    with django_assert_max_num_queries(few):
        home = desk.get(reverse("home"))
    assert "Intake: submitted" in home.text
    assert home.text.count("Intake: not started") == 5
    assert "Secret goal" not in home.text and "pregnan" not in home.text.lower()


def test_the_dermatologists_home_and_the_chart_show_intakes_waiting(
    django_assert_max_num_queries,
):
    first = submitted_intake(anticoagulant=True)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    client = _as(derm)
    home = client.get(reverse("home"))
    assert "Intakes to confirm" in home.text
    assert first.patient.full_name in home.text and "Blocking answer" in home.text
    for _ in range(3):
        submitted_intake()
    with django_assert_max_num_queries(60):
        home = client.get(reverse("home"))
    assert home.text.count("Review<span") == 4
    chart = client.get(reverse("patients:detail", args=[first.patient_id]))
    assert "Intake before the consultation" in chart.text
    assert "Intake: submitted" in chart.text
    assert reverse(REVIEW, args=[first.appointment_id]) in chart.text
