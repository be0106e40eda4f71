"""The course at a glance (treatments:course) and its portal version (treatments:portal_course).

Dermatologists see every step with links and their next action as the main button; the front
desk sees steps, dates and counts and the booking button, no clinical detail; the patient sees a
read-only walk of their own plan, every other plan answering 404.
"""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import PatientFactory, UserFactory, review_type
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.followups.factories import (
    course_plan,
    done_sessions,
    recorded_follow_up,
    session_for,
    visit,
)
from treatments.models import AppointmentStatus, PlanState, SessionStatus

pytestmark = pytest.mark.django_db


def _course(client, plan):
    response = client.get(reverse("treatments:course", args=[plan.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _in_treatment_with_review():
    plan = course_plan(notes="Secret clinical note.")
    done_sessions(plan, count=2)
    recorded_follow_up(
        plan, reviewed_on=timezone.localdate(), scores={"melasma": 2}, gais=1, decision="continue"
    )
    return plan


def test_the_dermatologist_sees_steps_with_links_and_the_gais(client_for):
    plan = _in_treatment_with_review()
    page = _course(client_for(Role.DERMATOLOGIST), plan)
    assert page.count("<h1") == 1
    assert "2 of 4 sessions done, 2 booked." in page
    assert "Very much improved (GAIS)" in page.replace("very much", "Very much")
    assert reverse("patients:assessment_detail", args=[plan.patient_id, plan.assessment_id]) in page
    assert "Session 3 is not booked yet." in page


def test_the_desk_sees_no_clinical_detail_and_books_the_rest(client_for):
    plan = _in_treatment_with_review()
    page = _course(client_for(Role.FRONT_DESK), plan)
    assert "Book the remaining 2 sessions" in page
    assert reverse("treatments:course_preview", args=[plan.pk]) in page
    assert "Reviewed on" in page
    for clinical in ("GAIS", "improved", "Secret clinical note", "continue the course"):
        assert clinical.lower() not in page.lower()
    assert f'href="{reverse("treatments:plan_detail", args=[plan.pk])}"' not in page
    assert "/assessments/" not in page


def test_a_checked_in_session_today_is_recorded_with_a_post_button(client_for):
    plan = course_plan(state=PlanState.PLANNED)
    now = timezone.now().replace(microsecond=0)
    appointment = visit(plan, starts_at=now, status=AppointmentStatus.CHECKED_IN)
    page = _course(client_for(Role.DERMATOLOGIST), plan)
    action = reverse("treatments:session_start", kwargs={"appointment_pk": appointment.pk})
    assert f'<form method="post" action="{action}">' in page
    assert "Record session 1" in page


def test_when_every_session_is_done_the_follow_up_is_next(client_for):
    plan = course_plan(sessions=2)
    done_sessions(plan, count=2)
    page = _course(client_for(Role.DERMATOLOGIST), plan)
    assert "All 2 sessions are done: the follow-up review is due." in page
    assert reverse("treatments:followup_new", kwargs={"plan_pk": plan.pk}) in page


def test_the_course_page_runs_a_fixed_number_of_queries(client_for):
    client = client_for(Role.DERMATOLOGIST)
    plan = course_plan(sessions=12)
    done_sessions(plan, count=1)
    url = reverse("treatments:course", args=[plan.pk])
    start = timezone.now() - dt.timedelta(days=200)

    def grow():
        done_sessions(plan, count=4, first=start, days_apart=7)
        later = timezone.now() + dt.timedelta(days=10)
        for days in range(3):
            booked = visit(plan, starts_at=later + dt.timedelta(days=7 * days))
            assert booked.status == AppointmentStatus.BOOKED
        in_progress = visit(
            plan, starts_at=timezone.now() - dt.timedelta(days=1), status="checked_in"
        )
        session_for(in_progress, status=SessionStatus.NOT_TREATED)
        visit(plan, starts_at=later + dt.timedelta(days=40), appointment_type=review_type())
        for days in (20, 40):
            recorded_follow_up(
                plan,
                reviewed_on=timezone.localdate() - dt.timedelta(days=days),
                scores={"melasma": 2},
            )

    assert_queries_do_not_grow(lambda: client.get(url), grow, limit=12)


def test_the_patient_reads_their_own_course(client):
    user = UserFactory(role=Role.PATIENT)
    plan = course_plan(patient=PatientFactory(user=user))
    starts = timezone.now() + dt.timedelta(days=3)
    visit(plan, starts_at=starts)
    client.force_login(user)
    response = client.get(reverse("treatments:portal_course", args=[plan.pk]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert page.count("<h1") == 1
    local = timezone.localtime(starts)
    assert f"Your next session is on {local:%A} {local.day} {local:%B}" in page
    # Read-only: no links into staff pages, no form.
    assert "/treatments/plans/" not in page.replace(
        reverse("treatments:portal_course", args=[plan.pk]), ""
    )
    assert '<form method="post" action="/treatments' not in page


def test_the_patient_cannot_open_another_patients_course_or_a_draft(client):
    user = UserFactory(role=Role.PATIENT)
    own_draft = course_plan(patient=PatientFactory(user=user), state=PlanState.DRAFT)
    someone_elses = course_plan()
    client.force_login(user)
    for plan in (own_draft, someone_elses):
        assert client.get(reverse("treatments:portal_course", args=[plan.pk])).status_code == 404


def test_staff_cannot_open_the_portal_course(client_for):
    plan = course_plan()
    url = reverse("treatments:portal_course", args=[plan.pk])
    assert client_for(Role.DERMATOLOGIST).get(url).status_code == 403


def test_an_unknown_plan_is_404_and_post_is_405(client_for):
    client = client_for(Role.FRONT_DESK)
    assert client.get(reverse("treatments:course", args=[999999])).status_code == 404
    plan = course_plan()
    assert client.post(reverse("treatments:course", args=[plan.pk])).status_code == 405
