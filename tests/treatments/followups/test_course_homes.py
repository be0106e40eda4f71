"""The "courses" sections of the homes: what waits on the dermatologist, what the desk has to
book, and the patient's own courses. Each runs a fixed number of queries."""

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import PatientFactory, UserFactory, review_type
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.followups.factories import (
    another_practitioner,
    course_plan,
    done_sessions,
    recorded_follow_up,
    visit,
)
from treatments.models import AppointmentStatus, PlanState

pytestmark = pytest.mark.django_db


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _now():
    return timezone.now().replace(microsecond=0)


def test_the_dermatologist_sees_the_courses_waiting_on_them():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    checked_in = course_plan(author=derm, patient=PatientFactory(first_name="Checked"))
    done_sessions(checked_in, count=1, staff=another_practitioner())
    visit(checked_in, starts_at=_now(), status=AppointmentStatus.CHECKED_IN)
    due = course_plan(author=derm, sessions=1, patient=PatientFactory(first_name="Due"))
    done_sessions(due, count=1, staff=another_practitioner())
    in_follow_up = course_plan(
        author=derm, state=PlanState.FOLLOW_UP, patient=PatientFactory(first_name="Reviewing")
    )
    booked_ahead = course_plan(author=derm, patient=PatientFactory(first_name="Ahead"))
    visit(booked_ahead, starts_at=_now() + dt.timedelta(days=3), staff=another_practitioner())
    someone_elses = course_plan(
        state=PlanState.FOLLOW_UP, patient=PatientFactory(first_name="Other")
    )

    page = _home(derm)
    assert "Courses waiting on you" in page
    assert "Record session 2" in page
    assert "All 1 sessions are done: the follow-up review is due." in page
    assert "The plan is in follow-up" in page
    for shown in (checked_in, due, in_follow_up):
        assert shown.patient.full_name in page
    for hidden in (booked_ahead, someone_elses):
        assert hidden.patient.full_name not in page


def test_a_review_recorded_after_the_last_session_takes_the_course_off_the_list():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    plan = course_plan(author=derm, sessions=1)
    done_sessions(plan, count=1)
    recorded_follow_up(plan, reviewed_on=timezone.localdate(), scores={"melasma": 1})
    assert "No course is waiting on you" in _home(derm)


def test_the_dermatologists_section_runs_a_fixed_number_of_queries():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    client = Client()
    client.force_login(derm)
    first = course_plan(author=derm, sessions=1)
    done_sessions(first, count=1, staff=another_practitioner())

    def grow():
        for _ in range(3):
            plan = course_plan(author=derm)
            done_sessions(plan, count=1, staff=another_practitioner())
            visit(plan, starts_at=_now(), status="checked_in", staff=another_practitioner())
            course_plan(author=derm, state=PlanState.FOLLOW_UP)
            review_plan = course_plan(author=derm)
            visit(
                review_plan,
                starts_at=_now(),
                appointment_type=review_type(),
                status=AppointmentStatus.CHECKED_IN,
                staff=another_practitioner(),
            )

    assert_queries_do_not_grow(lambda: client.get(reverse("home")), grow, limit=20)


def test_the_desk_sees_courses_with_sessions_to_book():
    desk = UserFactory(role=Role.FRONT_DESK)
    planned = course_plan(state=PlanState.PLANNED, patient=PatientFactory(first_name="Planned"))
    partly = course_plan(sessions=3, patient=PatientFactory(first_name="Partly"))
    done_sessions(partly, count=1)
    visit(partly, starts_at=_now() + dt.timedelta(days=30))
    cancelled_one = course_plan(sessions=1, patient=PatientFactory(first_name="Rebook"))
    visit(cancelled_one, starts_at=_now() + dt.timedelta(days=5), status="cancelled")
    full = course_plan(sessions=1, patient=PatientFactory(first_name="Full"))
    visit(full, starts_at=_now() + dt.timedelta(days=6))
    draft = course_plan(state=PlanState.DRAFT, patient=PatientFactory(first_name="Draft"))
    reviewing = course_plan(state=PlanState.FOLLOW_UP, patient=PatientFactory(first_name="Rev"))

    page = _home(desk)
    assert "Courses to book" in page
    assert "Book the remaining 4 sessions" in page  # planned, none booked
    assert "Book session 3" in page  # partly: 2 of 3
    assert "Book session 1" in page  # a cancelled appointment frees its place
    assert reverse("treatments:course_preview", args=[partly.pk]) in page
    for shown in (planned, partly, cancelled_one):
        assert shown.patient.full_name in page
    for hidden in (full, draft, reviewing):
        assert hidden.patient.full_name not in page


def test_the_desks_section_runs_a_fixed_number_of_queries():
    desk = UserFactory(role=Role.FRONT_DESK)
    client = Client()
    client.force_login(desk)
    course_plan(state=PlanState.PLANNED)

    def grow():
        for days in range(3):
            plan = course_plan()
            visit(plan, starts_at=_now() + dt.timedelta(days=days + 1))
            course_plan(state=PlanState.PLANNED)

    assert_queries_do_not_grow(lambda: client.get(reverse("home")), grow, limit=20)


def test_the_patient_sees_their_own_courses_but_not_drafts():
    user = UserFactory(role=Role.PATIENT)
    patient = PatientFactory(user=user)
    under_way = course_plan(patient=patient)
    draft = course_plan(patient=patient, state=PlanState.DRAFT)
    page = _home(user)
    assert "Your treatment course" in page
    assert reverse("treatments:portal_course", args=[under_way.pk]) in page
    assert reverse("treatments:portal_course", args=[draft.pk]) not in page


def test_a_patient_with_no_plan_is_told_plainly():
    page = _home(UserFactory(role=Role.PATIENT))
    assert "Your treatment course appears here once your dermatologist has planned it." in page
