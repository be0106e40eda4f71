"""A plan's course read from the database, and the courses the homes list.

``load_course`` and ``load_courses`` read the facts that treatments/services/course_walk.py walks,
in a fixed number of queries; ``courses_waiting_on``, ``courses_to_book`` and
``patient_courses`` choose the plans each role's home lists.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import F

from clinic.models import Role
from treatments.models import (
    Appointment,
    FollowUp,
    PlanState,
    TreatmentPlan,
)
from treatments.services.course_facts import DESK_BOOKS, CourseFacts, Review, Visit
from treatments.services.course_walk import Course, walk


def _visit(appointment: Appointment) -> Visit:
    session = getattr(appointment, "session", None)
    has_follow_up = getattr(appointment, "follow_up", None) is not None
    return Visit(
        pk=appointment.pk,
        starts_at=appointment.starts_at,
        status=appointment.status,
        treatment=appointment.is_treatment_session,
        session_status=session.status if session else None,
        session_at=(session.ended_at or session.started_at) if session else None,
        has_follow_up=has_follow_up,
    )


def _review(follow_up: FollowUp) -> Review:
    return Review(
        pk=follow_up.pk,
        reviewed_on=follow_up.reviewed_on,
        gais_label=follow_up.get_gais_clinician_display(),
        decision=follow_up.decision,
        decision_label=follow_up.get_decision_display(),
    )


def _facts(plan: TreatmentPlan, visits, reviews, planned_at=None) -> CourseFacts:
    return CourseFacts(
        plan_pk=plan.pk,
        patient_pk=plan.patient_id,
        assessment_pk=plan.assessment_id,
        assessed_on=plan.assessment.assessed_on,
        state=plan.state,
        state_changed_at=plan.state_changed_at,
        route_label=plan.get_route_display(),
        sessions=plan.sessions,
        interval_days=plan.interval_days,
        author_name=str(plan.author),
        cancel_reason=plan.cancel_reason,
        planned_at=planned_at,
        visits=tuple(visits),
        reviews=tuple(reviews),
    )


def _appointments():
    return (
        Appointment.objects.holding()
        .select_related("appointment_type", "session", "follow_up")
        .order_by("starts_at", "pk")
    )


def load_course(plan: TreatmentPlan) -> CourseFacts:
    """The plan's facts in three queries (its appointments with their session and follow-up
    records, its follow-ups, and when it was first planned). ``plan`` comes with its assessment
    and author (treatments.access.get_plan_for_user)."""
    visits = [_visit(a) for a in _appointments().filter(plan=plan)]
    reviews = [_review(f) for f in plan.follow_ups.order_by("reviewed_on", "pk")]
    planned_at = (
        plan.history.filter(state=PlanState.PLANNED)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return _facts(plan, visits, reviews, planned_at)


def load_courses(plans: list[TreatmentPlan]) -> dict[int, CourseFacts]:
    """Many plans' facts in two queries (for the homes); when each was planned is not read."""
    visits: dict[int, list[Visit]] = defaultdict(list)
    for appointment in _appointments().filter(plan__in=plans):
        visits[appointment.plan_id].append(_visit(appointment))
    reviews: dict[int, list[Review]] = defaultdict(list)
    for follow_up in FollowUp.objects.filter(plan__in=plans).order_by("reviewed_on", "pk"):
        reviews[follow_up.plan_id].append(_review(follow_up))
    return {plan.pk: _facts(plan, visits[plan.pk], reviews[plan.pk]) for plan in plans}


# --- The homes -----------------------------------------------------------------------------------


def courses_waiting_on(
    user, *, now: dt.datetime, tz: ZoneInfo
) -> list[tuple[TreatmentPlan, Course]]:
    """The dermatologist's plans whose next step is theirs: a session checked in today, the
    follow-up review checked in today, or a follow-up due. Three queries."""
    plans = list(
        TreatmentPlan.objects.filter(
            author=user,
            state__in=[PlanState.PLANNED, PlanState.IN_TREATMENT, PlanState.FOLLOW_UP],
        )
        .select_related("patient", "assessment", "author")
        .order_by("state_changed_at", "pk")
    )
    facts = load_courses(plans)
    courses = []
    for plan in plans:
        course = walk(facts[plan.pk], role=Role.DERMATOLOGIST, now=now, tz=tz)
        if course.waiting_on_dermatologist:
            courses.append((plan, course))
    return courses


@dataclass(frozen=True, slots=True)
class ToBook:
    plan: TreatmentPlan
    booked: int

    @property
    def remaining(self) -> int:
        return self.plan.sessions - self.booked

    @property
    def label(self) -> str:
        if self.remaining == 1:
            return f"Book session {self.plan.sessions}"
        return f"Book the remaining {self.remaining} sessions"


def courses_to_book() -> list[ToBook]:
    """Planned and in-treatment plans with fewer booked sessions than the course has, oldest
    first. One query."""
    plans = (
        TreatmentPlan.objects.filter(state__in=DESK_BOOKS, patient__archived_at__isnull=True)
        .with_booked_sessions()
        .filter(booked__lt=F("sessions"))
        .select_related("patient")
        .order_by("state_changed_at", "pk")
    )
    return [ToBook(plan, plan.booked) for plan in plans]


def patient_courses(user) -> list[TreatmentPlan]:
    """The patient's own plans from planned on, the ones under way first. One query."""
    order = {PlanState.IN_TREATMENT: 0, PlanState.FOLLOW_UP: 0, PlanState.PLANNED: 1}
    plans = list(
        TreatmentPlan.objects.filter(patient__user=user)
        .exclude(state=PlanState.DRAFT)
        .order_by("-created_at", "-pk")
    )
    return sorted(plans, key=lambda plan: order.get(plan.state, 2))
