"""A patient booking, moving and cancelling in the portal, within the same rules as the desk.

Who may book what is treatments.services.eligibility (docs/clinical-rules.md §Who may book
what); the booking itself is treatments.services.scheduling's, so the interval, the room kind,
the opening and working hours and the double-booking guard hold as they do at the desk. A
patient is never a dermatologist: a session sooner than the plan's interval is never theirs to
book. Moving and cancelling are the patient's own outside the clinic's notice window
(``ClinicSettings.notice_hours``); inside it they ask the desk (treatments.services.portal).

Refusals are said in the patient's words: the rule's codes map to ``PATIENT_WORDS``.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.lib.slots.choices import Choice, patient_choices
from clinic.models import AppointmentType, ClinicSettings, Room, StaffProfile, User
from treatments.models import (
    BOOKABLE_STATES,
    Appointment,
    AppointmentStatus,
    TreatmentPlan,
    Workflow,
)
from treatments.services import eligibility, intervals, scheduling
from treatments.services.availability import Resources, find_free_slots

#: How far ahead a patient books in the portal, from the first day their course allows.
PORTAL_WEEKS = 8
CALL_US = "Please call the clinic to book."

#: The rule's refusals as the patient reads them ({days}: the clinic's screen validity).
PATIENT_WORDS = {
    "no_plan": "This course cannot be booked online. " + CALL_US,
    "other_patients_plan": "This course cannot be booked online. " + CALL_US,
    "plan_not_bookable": "This course has no sessions to book now.",
    "other_route": "This course cannot be booked online. " + CALL_US,
    "no_consent": "Your treatment consent needs signing before you book a session. "
    "The clinic's front desk can help.",
    "screen_out_of_date": "Your medical-history check is more than {days} days old: the "
    "dermatologist needs to go through it with you again before your next session. " + CALL_US,
    "route_blocked": "Your latest medical-history answers mean the dermatologist needs to see "
    "you before another session. " + CALL_US,
    "consultation_first": "Your first visit is a consultation. " + CALL_US,
    scheduling.NEEDS_DERMATOLOGIST: "That time is too soon after another session of your "
    "course. Choose one of the times offered.",
    "slot_taken": "Someone has just booked that time. Choose another one.",
}
INSIDE_NOTICE = (
    "Your appointment starts in less than {hours} hours, so it can no longer be changed here. "
    "Send the clinic a request instead and they will contact you."
)
OUTSIDE_HORIZON = "Choose one of the times offered: that one is outside the dates you can book."


def patient_error(error: ValidationError, *, clinic: ClinicSettings) -> ValidationError:
    """``error`` with each coded refusal in the patient's words, keyed by the same fields."""
    days = clinic.screen_valid_days

    def words(item: ValidationError) -> ValidationError:
        text = PATIENT_WORDS.get(item.code)
        if text is None:
            return item
        return ValidationError(text.format(days=days), code=item.code)

    if hasattr(error, "error_dict"):
        return ValidationError(
            {key: [words(item) for item in items] for key, items in error.error_dict.items()}
        )
    return ValidationError([words(item) for item in error.error_list])


# --- What a patient may book -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CourseOption:
    """One of the patient's courses as the "Book a session" page shows it."""

    plan: TreatmentPlan
    appointment_type: AppointmentType | None
    booked: int
    next_number: int
    problems: list[str] = field(default_factory=list)
    earliest_day: dt.date | None = None

    @property
    def bookable(self) -> bool:
        return not self.problems


def _earliest_day(plan: TreatmentPlan, *, clinic: ClinicSettings, today: dt.date) -> dt.date:
    """The first day the plan's interval allows after its last booked session (or today)."""
    sessions = intervals.plan_sessions(plan, tz=clinic.zone)
    if not sessions:
        return today
    return max(today, sessions[-1].day + dt.timedelta(days=plan.interval_days))


def course_options(patient, *, clinic: ClinicSettings, now: dt.datetime) -> list[CourseOption]:
    """The patient's courses with sessions left to book, each bookable or with why not."""
    today = timezone.localdate(now, clinic.zone)
    plans = (
        TreatmentPlan.objects.filter(patient=patient, state__in=BOOKABLE_STATES)
        .with_booked_sessions()
        .order_by("created_at", "pk")
    )
    options = []
    for plan in plans:
        if plan.booked >= plan.sessions:
            continue
        appointment_type = scheduling.treatment_type_for(plan.route)
        if appointment_type is None:
            problems = [PATIENT_WORDS["no_plan"]]
        else:
            refusals = eligibility.booking_refusals(
                patient=patient,
                appointment_type=appointment_type,
                plan=plan,
                clinic=clinic,
                today=today,
            )
            days = clinic.screen_valid_days
            problems = [PATIENT_WORDS[r.code].format(days=days) for r in refusals]
        options.append(
            CourseOption(
                plan=plan,
                appointment_type=appointment_type,
                booked=plan.booked,
                next_number=plan.booked + 1,
                problems=problems,
                earliest_day=_earliest_day(plan, clinic=clinic, today=today),
            )
        )
    return options


def preferred_practitioner(plan: TreatmentPlan) -> StaffProfile | None:
    """Who gave (or will give) the plan's latest session: the same practitioner first."""
    last = (
        plan.appointments.filter(appointment_type__kind=AppointmentType.Kind.TREATMENT)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("practitioner")
        .order_by("-starts_at", "-pk")
        .first()
    )
    if last is not None:
        return last.practitioner
    return StaffProfile.objects.filter(user=plan.author).first()


@dataclass(frozen=True, slots=True)
class Week:
    """One week of times a patient may choose from, with the weeks around it."""

    start: dt.date
    same: list[Choice]
    others: list[Choice]
    resources: Resources
    previous: dt.date | None
    next: dt.date | None
    preferred: StaffProfile | None


def bookable_days(*, first_day: dt.date, weeks: int = PORTAL_WEEKS) -> tuple[dt.date, dt.date]:
    """The first and last day a patient may choose."""
    return first_day, first_day + dt.timedelta(days=7 * weeks - 1)


def week_of_times(
    *,
    patient,
    appointment_type: AppointmentType,
    clinic: ClinicSettings,
    now: dt.datetime,
    first_day: dt.date,
    week_start: dt.date | None,
    plan: TreatmentPlan | None = None,
    moving: Appointment | None = None,
    preferred: StaffProfile | None = None,
) -> Week:
    """The free times of one week (from ``week_start``, within the bookable days): for a session
    of ``plan`` only days that keep its interval; ``moving`` does not stand in its own way."""
    first, last = bookable_days(first_day=first_day)
    start = first if week_start is None else min(max(week_start, first), last)
    end = min(start + dt.timedelta(days=6), last)
    found, resources = find_free_slots(
        clinic=clinic,
        patient=patient,
        appointment_type=appointment_type,
        start_date=start,
        end_date=end,
        plan=plan,
        exclude=moving,
        now=now,
    )
    same, others = patient_choices(found, preferred=preferred.pk if preferred else None)
    previous = start - dt.timedelta(days=7) if start > first else None
    following = end + dt.timedelta(days=1) if end < last else None
    return Week(
        start=start,
        same=same,
        others=others,
        resources=resources,
        previous=max(previous, first) if previous else None,
        next=following,
        preferred=preferred,
    )


def _within(starts_at: dt.datetime, *, first_day: dt.date, clinic: ClinicSettings) -> None:
    first, last = bookable_days(first_day=first_day)
    day = timezone.localtime(starts_at, clinic.zone).date()
    if not first <= day <= last:
        raise ValidationError({"starts_at": OUTSIDE_HORIZON})


# --- Booking, moving and cancelling ------------------------------------------------------------


def _own(appointment_or_plan, by: User) -> None:
    if appointment_or_plan.patient.user_id != by.pk:
        raise ValidationError("This is not one of your appointments.", code="not_yours")


@transaction.atomic
def portal_session_book(
    *,
    plan: TreatmentPlan,
    starts_at: dt.datetime,
    practitioner: StaffProfile,
    room: Room,
    by: User,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """The patient books the next session of their own course at a time the rules allow."""
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    _own(plan, by)
    appointment_type = scheduling.treatment_type_for(plan.route)
    if appointment_type is None:
        raise ValidationError({"plan": PATIENT_WORDS["no_plan"]})
    today = timezone.localdate(now, clinic.zone)
    _within(starts_at, first_day=_earliest_day(plan, clinic=clinic, today=today), clinic=clinic)
    try:
        return scheduling.appointment_book(
            patient=plan.patient,
            appointment_type=appointment_type,
            practitioner=practitioner,
            room=room,
            starts_at=starts_at,
            plan=plan,
            by=by,
            clinic=clinic,
            now=now,
        )
    except ValidationError as error:
        raise patient_error(error, clinic=clinic) from None


def inside_notice(appointment: Appointment, *, clinic: ClinicSettings, now: dt.datetime) -> bool:
    """Whether the appointment is too close to change in the portal (the desk decides)."""
    return scheduling.is_late_cancellation(appointment, now, clinic=clinic)


def change_refusal(
    appointment: Appointment, *, clinic: ClinicSettings, now: dt.datetime
) -> ValidationError | None:
    """Why the patient may not move or cancel this appointment in the portal, or None."""
    if appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= now:
        return ValidationError(
            "This appointment can no longer be changed: it has passed or is cancelled.",
            code="not_changeable",
        )
    if inside_notice(appointment, clinic=clinic, now=now):
        return ValidationError(
            INSIDE_NOTICE.format(hours=clinic.notice_hours), code="inside_notice"
        )
    return None


def _check_notice(appointment: Appointment, *, clinic: ClinicSettings, now: dt.datetime) -> None:
    refusal = change_refusal(appointment, clinic=clinic, now=now)
    if refusal is not None:
        raise refusal


def move_first_day(appointment: Appointment, *, clinic: ClinicSettings, now: dt.datetime):
    """The first day a move may go to: today (the finder leaves out the days a session's
    plan interval does not allow)."""
    return timezone.localdate(now, clinic.zone)


@transaction.atomic
def portal_appointment_move(
    *,
    appointment: Appointment,
    starts_at: dt.datetime,
    practitioner: StaffProfile,
    room: Room,
    by: User,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """The patient moves their own appointment, outside the notice window, to a time the rules
    allow (the plan's interval too)."""
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    _own(appointment, by)
    _check_notice(appointment, clinic=clinic, now=now)
    _within(starts_at, first_day=move_first_day(appointment, clinic=clinic, now=now), clinic=clinic)
    try:
        return scheduling.appointment_move(
            appointment=appointment,
            starts_at=starts_at,
            practitioner=practitioner,
            room=room,
            by=by,
            clinic=clinic,
            now=now,
        )
    except ValidationError as error:
        raise patient_error(error, clinic=clinic) from None


@transaction.atomic
def portal_appointment_cancel(
    *,
    appointment: Appointment,
    reason: str,
    by: User,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """The patient cancels their own appointment outside the notice window."""
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    _own(appointment, by)
    _check_notice(appointment, clinic=clinic, now=now)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why you are cancelling, so the clinic knows."})
    return scheduling.appointment_cancel(
        appointment=appointment,
        reason=f"Cancelled by the patient in the portal: {reason}",
        by=by,
        now=now,
        via=Workflow.PORTAL,
    )
