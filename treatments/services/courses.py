"""A plan's course booked in one step: a preview of the remaining sessions on the earliest fitting
slots, then every session booked, or none.

The sessions already booked are the plan's booked treatment sessions
(``TreatmentPlan.booked_sessions()``): a follow-up review linked to the plan holds no session
place. Each preview session is at least the plan's interval (calendar days, in the clinic's zone)
after the one before, as treatments.services.intervals measures it.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.lib import slots
from clinic.models import AppointmentType, ClinicSettings, Room, StaffProfile, User
from treatments.models import Appointment, PlanState, TreatmentPlan
from treatments.services import intervals, scheduling
from treatments.services.availability import Resources, finder_kind, load_resources


def course_problem(
    plan: TreatmentPlan, appointment_type: AppointmentType | None, booked: int
) -> str:
    """Why no session of the plan can be booked now, or "". ``booked``: its booked sessions."""
    if plan.state == PlanState.DRAFT:
        return "The plan is still a draft: its sessions can be booked once it is planned."
    if not plan.is_bookable:
        return f"The plan is {plan.get_state_display().lower()}: no sessions can be booked for it."
    if appointment_type is None:
        return (
            f"The clinic offers no {plan.get_route_display().lower()} appointment type: the "
            "clinic manager sets one up in the clinic admin."
        )
    if booked >= plan.sessions:
        return f"All {plan.sessions} sessions of this plan are booked."
    return ""


@dataclass(frozen=True, slots=True)
class CourseState:
    """What the course page shows before anyone previews or books."""

    appointment_type: AppointmentType | None
    booked: int
    problem: str
    consent_missing: bool

    @property
    def first_number(self) -> int:
        """The number of the first session still to book."""
        return self.booked + 1


def course_state(plan: TreatmentPlan) -> CourseState:
    appointment_type = scheduling.treatment_type_for(plan.route)
    booked = plan.booked_sessions().count()
    return CourseState(
        appointment_type=appointment_type,
        booked=booked,
        problem=course_problem(plan, appointment_type, booked),
        consent_missing=not scheduling.has_treatment_consent(plan.patient),
    )


def course_preview(
    *,
    plan: TreatmentPlan,
    appointment_type: AppointmentType,
    clinic: ClinicSettings,
    from_day: dt.date | None = None,
    practitioner: StaffProfile | None = None,
    now: dt.datetime | None = None,
    horizon_days: int = 182,
) -> tuple[slots.CourseResult, Resources]:
    """Where each remaining session of the plan would go: the earliest fitting slots from
    ``from_day`` (today when not given, never the past), the interval apart and after the sessions
    already booked (the same local time, whatever the clocks did), the same practitioner when
    possible. Nothing is booked."""
    tz = clinic.zone
    booked = intervals.plan_sessions(plan, tz=tz)
    remaining = plan.sessions - len(booked)
    if remaining < 1:
        raise ValidationError({"plan": f"All {plan.sessions} sessions are already booked."})
    earliest = now or timezone.now()
    if from_day is not None:
        earliest = max(earliest, dt.datetime.combine(from_day, dt.time.min, tzinfo=tz))
    if booked:
        # As the planner places each next session: the same local time, the interval's calendar
        # days after the last one booked.
        last = booked[-1]
        next_day = last.day + dt.timedelta(days=plan.interval_days)
        wall = timezone.localtime(last.starts_at, tz).time()
        earliest = max(earliest, dt.datetime.combine(next_day, wall, tzinfo=tz))
    span = dt.timedelta(days=horizon_days + plan.interval_days * remaining)
    resources = load_resources(
        clinic=clinic, patient=plan.patient, window_start=earliest, window_end=earliest + span
    )
    find = slots.earliest_slot_finder(
        tz=resources.tz,
        clinic_hours=resources.clinic_hours,
        practitioners=resources.practitioners,
        rooms=resources.rooms,
        patient_busy=resources.patient_busy,
        kind=finder_kind(appointment_type),
        horizon_days=horizon_days,
    )
    result = slots.plan_course(
        sessions=remaining,
        interval_days=plan.interval_days,
        earliest=earliest,
        find=find,
        preferred_practitioner=practitioner.pk if practitioner else None,
    )
    return result, resources


@dataclass(frozen=True, slots=True)
class CourseChoice:
    starts_at: dt.datetime
    practitioner: StaffProfile
    room: Room
    short_interval_reason: str = ""


class CourseRefused(ValidationError):
    """Some sessions of a course could not be booked, so none was.

    ``refusals`` maps the index of each refused choice (as given) to the booking's own refusal.
    """

    def __init__(self, refusals: dict[int, ValidationError]):
        self.refusals = refusals
        super().__init__([message for error in refusals.values() for message in error.messages])


@transaction.atomic
def course_book(
    *,
    plan: TreatmentPlan,
    choices: list[CourseChoice],
    by: User,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> list[Appointment]:
    """Book every session of the confirmed preview, as the plan's treatment type, or none.

    Sessions are booked in time order, each checked against those before it. Every session is
    tried, so that a refusal (CourseRefused) says which sessions failed and why; then nothing
    is kept. A plan that cannot be booked now is refused as a whole (key "plan").
    """
    clinic = clinic or ClinicSettings.load()
    state = course_state(plan)
    if state.problem:
        raise ValidationError({"plan": state.problem})
    if not choices:
        raise ValidationError({"plan": "There is no session to book."})
    booked: list[Appointment] = []
    refusals: dict[int, ValidationError] = {}
    for index in sorted(range(len(choices)), key=lambda i: choices[i].starts_at):
        choice = choices[index]
        try:
            with transaction.atomic():
                booked.append(
                    scheduling.appointment_book(
                        patient=plan.patient,
                        appointment_type=state.appointment_type,
                        practitioner=choice.practitioner,
                        room=choice.room,
                        starts_at=choice.starts_at,
                        plan=plan,
                        short_interval_reason=choice.short_interval_reason,
                        by=by,
                        clinic=clinic,
                        now=now,
                    )
                )
        except ValidationError as refusal:
            refusals[index] = refusal
    if refusals:
        raise CourseRefused(refusals)
    return booked
