"""treatments:appointment_detail: who, when (local), where, what, status, the changes its state
allows, the plan's other appointments; the desk sees no link into the clinical plan."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PatientFactory
from tests.treatments.scheduling.factories import MONDAY, at
from treatments.models import Appointment, AppointmentStatus
from treatments.services import scheduling

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def url(appointment):
    return reverse("treatments:appointment_detail", args=[appointment.pk])


@pytest.fixture
def session(world):
    return world.book(at(TUESDAY, 10), appointment_type=world.microneedling, plan=world.plan)


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_staff_see_the_booking_in_local_time(world, session, client_for, role):
    response = client_for(role).get(url(session))
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert "Microneedling with exosomes" in html
    assert world.patient.full_name in html
    assert "Tuesday 16 June 2026, 10:00–11:15" in html  # 09:00-10:15 UTC
    assert "Treatment room A" in html and "Dr Amelia Hart" in html
    assert "Booked" in html
    assert reverse("treatments:appointment_ics", args=[session.pk]) in html
    if role == Role.DERMATOLOGIST:
        assert reverse("record_history", args=["appointment", session.pk]) in html


def test_the_desk_sees_the_course_but_not_the_clinical_plan(world, session, client_for):
    desk = client_for(Role.FRONT_DESK).get(url(session)).text
    derm = client_for(Role.DERMATOLOGIST).get(url(session)).text
    plan_url = reverse("treatments:plan_detail", args=[world.plan.pk])
    assert "Microneedling plan" in desk and "4 sessions, every 42 days" in desk
    assert plan_url not in desk
    assert world.plan.product.name not in desk
    assert plan_url in derm


def test_a_booked_appointment_offers_check_in_move_and_cancel(world, session, client_for):
    response = client_for(Role.FRONT_DESK).get(url(session))
    assert [a["action"] for a in response.context["actions"]] == ["check_in"]
    assert response.context["can_move"] and response.context["can_cancel"]
    assert "A no-show can be marked once the start time has passed." in response.text


def test_after_the_start_a_no_show_can_be_marked(world, client_for, frozen):
    appointment = world.book(at(MONDAY, 9))
    frozen.move_to(at(MONDAY, 9, 20))
    response = client_for(Role.FRONT_DESK).get(url(appointment))
    assert [a["action"] for a in response.context["actions"]] == ["check_in", "no_show"]


def test_a_checked_in_consultation_offers_complete_and_cancel(world, client_for):
    consultation = world.book(at(TUESDAY, 10), patient=PatientFactory())
    scheduling.appointment_check_in(
        appointment=consultation, by=world.desk, now=at(TUESDAY, 9, 50), clinic=world.clinic
    )
    response = client_for(Role.FRONT_DESK).get(url(consultation))
    assert [a["action"] for a in response.context["actions"]] == ["complete"]
    assert "Mark as completed" in response.text
    assert not response.context["can_move"]
    assert response.context["can_cancel"]
    assert "Checked in" in response.text
    assert "Record the session" not in response.text


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_a_checked_in_treatment_is_completed_only_by_its_session_record(
    world, session, client_for, role
):
    scheduling.appointment_check_in(
        appointment=session, by=world.desk, now=at(TUESDAY, 9, 50), clinic=world.clinic
    )
    response = client_for(role).get(url(session))
    assert response.context["actions"] == []
    assert "Mark as completed" not in response.text
    assert response.context["can_cancel"]
    assert "completed when the dermatologist completes its session record" in response.text
    start = reverse("treatments:session_start", args=[session.pk])
    if role == Role.DERMATOLOGIST:
        assert "Record the session" in response.text and start in response.text
    else:
        assert "Record the session" not in response.text and start not in response.text


def test_a_booked_treatment_offers_no_session_record_yet(world, session, client_for):
    response = client_for(Role.DERMATOLOGIST).get(url(session))
    assert response.context["session_record"] is None
    assert "Record the session" not in response.text


@pytest.mark.parametrize("status", [AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW])
def test_a_finished_appointment_offers_nothing(world, session, client_for, status):
    Appointment.objects.filter(pk=session.pk).update(status=status)
    response = client_for(Role.FRONT_DESK).get(url(session))
    assert response.context["actions"] == []
    assert "does not change any more" in response.text


def test_a_late_cancellation_is_flagged(world, session, client_for):
    scheduling.appointment_cancel(
        appointment=session, reason="Flu", by=world.desk, now=at(TUESDAY, 8)
    )
    html = client_for(Role.FRONT_DESK).get(url(session)).text
    assert "Late cancellation" in html
    assert "late (less than 24 hours before): Flu" in html


def test_the_plans_appointments_are_listed(world, session, client_for):
    later = world.book(
        at(TUESDAY + dt.timedelta(days=42), 10),
        appointment_type=world.microneedling,
        plan=world.plan,
    )
    response = client_for(Role.FRONT_DESK).get(url(session))
    assert [a.pk for a in response.context["course"]] == [session.pk, later.pk]
    assert url(later) in response.text
    assert "(this one)" in response.text


def test_a_consultation_lists_no_course(world, client_for):
    appointment = world.book(at(TUESDAY, 10), patient=PatientFactory())
    response = client_for(Role.FRONT_DESK).get(url(appointment))
    assert response.context["course"] == []
    assert "Appointments of this plan" not in response.text


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_patients_and_managers_get_403(session, client_for, role):
    assert client_for(role).get(url(session)).status_code == 403


def test_unknown_appointment_is_404(client_for):
    response = client_for(Role.FRONT_DESK).get(
        reverse("treatments:appointment_detail", args=[999999])
    )
    assert response.status_code == 404


def test_post_is_405(session, client_for):
    assert client_for(Role.FRONT_DESK).post(url(session)).status_code == 405


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.DERMATOLOGIST, 200), (Role.MANAGER, 403), (Role.PATIENT, 403)],
)
def test_the_history_of_an_appointment(world, session, client_for, role, status):
    scheduling.appointment_move(appointment=session, starts_at=at(TUESDAY, 11), by=world.desk)
    response = client_for(role).get(reverse("record_history", args=["appointment", session.pk]))
    assert response.status_code == status
    if status == 200:
        assert "moved" in response.text


def test_the_desk_gets_a_history_link_only_when_the_history_page_lets_it_in(
    world, session, client_for
):
    # The appointment kind is registered for the desk; clinic.views.record_history itself is
    # limited to dermatologists and managers until the lead opens it to the desk.
    client = client_for(Role.FRONT_DESK)
    history_url = reverse("record_history", args=["appointment", session.pk])
    linked = history_url in client.get(url(session)).text
    assert client.get(history_url).status_code == (200 if linked else 403)
