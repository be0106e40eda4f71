"""Scheduling: load what the slot finder needs, and book, move, cancel and check in appointments.

The slot finder itself is plain Python (clinic/lib/slots.py). Here it is fed from the database in
a fixed number of queries, whatever the number of appointments: opening hours, practitioners with
their working hours, their time off, the active rooms, and the holding appointments of the search
window (one query each).

Appointment states and their transitions are the appointment's state machine
(treatments.models.appointments.APPOINTMENT_STATES), the one place that says which change is
allowed and who makes it. Every change goes through a service below, inside a transaction.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from clinic.lib import slots
from clinic.models import AppointmentType, ClinicSettings, Room, StaffProfile, TimeOff
from patients.models import ConsentKind, Patient
from treatments.models import (
    Appointment,
    AppointmentStatus,
    PlanState,
    TransitionRefused,
    TreatmentPlan,
    Workflow,
)
from treatments.services import messaging

#: Plan states in which sessions may be booked.
BOOKABLE_PLAN_STATES = frozenset({PlanState.PLANNED, PlanState.IN_TREATMENT, PlanState.FOLLOW_UP})

#: A cancellation closer than this to the start is marked late (issue 5).
LATE_CANCELLATION = dt.timedelta(hours=24)
#: How far ahead the clinic books; a date outside this is a typing error, not a booking.
BOOKING_HORIZON = dt.timedelta(days=2 * 366)
STEP = slots.DEFAULT_STEP
#: The longest an appointment and its room turnover can last (AppointmentType's validators).
LONGEST_HOLD = dt.timedelta(minutes=480 + 120)

SLOT_TAKEN = "This time was just taken by another booking. Choose another time."


class SlotTaken(ValidationError):
    """Another booking took the time between the check and the save."""

    def __init__(self):
        super().__init__({"starts_at": SLOT_TAKEN}, code="slot_taken")


# --- Loading the finder's inputs ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resources:
    """The slot finder's inputs for one search window, and the records behind their ids."""

    tz: ZoneInfo
    clinic_hours: slots.WeeklyHours
    practitioners: list[slots.Practitioner]
    rooms: list[slots.Room]
    patient_busy: slots.Busy
    staff: dict[int, StaffProfile]
    room_records: dict[int, Room]


def finder_kind(kind: AppointmentType) -> slots.AppointmentType:
    return slots.AppointmentType(
        duration=dt.timedelta(minutes=kind.duration_minutes),
        buffer_after=dt.timedelta(minutes=kind.buffer_minutes),
        route=kind.route or None,
    )


def load_resources(
    *,
    clinic: ClinicSettings,
    patient: Patient | None,
    window_start: dt.datetime,
    window_end: dt.datetime,
    exclude: Appointment | None = None,
) -> Resources:
    """Everything the finder needs for ``[window_start, window_end)``, in six queries.

    ``exclude``: an appointment being moved does not stand in its own way.
    """
    tz = clinic.zone
    spans: dict[int, list] = defaultdict(list)
    for day in clinic.opening_hours.all():
        if not day.closed:
            spans[day.weekday].append((day.opens, day.closes))
    clinic_hours = slots.WeeklyHours.of(spans)

    staff = {
        s.pk: s
        for s in StaffProfile.objects.filter(is_practitioner=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("working_hours")
    }
    rooms = {r.pk: r for r in Room.objects.filter(active=True)}

    busy: dict[tuple[str, int], list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for staff_id, starts_at, ends_at in TimeOff.objects.filter(
        staff__in=staff.keys(), starts_at__lt=window_end, ends_at__gt=window_start
    ).values_list("staff_id", "starts_at", "ends_at"):
        busy["staff", staff_id].append((starts_at, ends_at))

    appointments = Appointment.objects.holding().filter(
        starts_at__lt=window_end,
        room_free_at__gt=window_start,
        # No appointment plus its turnover lasts longer than this: a lower bound on starts_at
        # lets the index serve the query instead of scanning every earlier appointment.
        starts_at__gte=window_start - LONGEST_HOLD,
    )
    if patient is not None:
        appointments = appointments.filter(
            Q(practitioner__in=staff.keys()) | Q(room__in=rooms.keys()) | Q(patient=patient)
        )
    if exclude is not None:
        appointments = appointments.exclude(pk=exclude.pk)
    patient_pk = patient.pk if patient is not None else None
    for (
        starts_at,
        ends_at,
        room_free_at,
        practitioner_id,
        room_id,
        patient_id,
    ) in appointments.values_list(
        "starts_at", "ends_at", "room_free_at", "practitioner_id", "room_id", "patient_id"
    ):
        busy["staff", practitioner_id].append((starts_at, ends_at))
        busy["room", room_id].append((starts_at, room_free_at))
        if patient_id == patient_pk:
            busy["patient", 0].append((starts_at, ends_at))

    practitioners = []
    for pk, member in staff.items():
        hours: dict[int, list] = defaultdict(list)
        for span in member.working_hours.all():
            hours[span.weekday].append((span.starts, span.ends))
        practitioners.append(
            slots.Practitioner(
                id=pk,
                hours=slots.WeeklyHours.of(hours),
                busy=slots.Busy.of_pairs(busy["staff", pk]),
            )
        )
    finder_rooms = [
        slots.Room(
            id=pk,
            kind=room.kind,
            routes=frozenset(room.routes),
            busy=slots.Busy.of_pairs(busy["room", pk]),
        )
        for pk, room in rooms.items()
    ]
    return Resources(
        tz=tz,
        clinic_hours=clinic_hours,
        practitioners=practitioners,
        rooms=finder_rooms,
        patient_busy=slots.Busy.of_pairs(busy["patient", 0]),
        staff=staff,
        room_records=rooms,
    )


def _window(tz, start_date: dt.date, end_date: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(start_date, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def find_free_slots(
    *,
    clinic: ClinicSettings,
    patient: Patient,
    kind: AppointmentType,
    start_date: dt.date,
    end_date: dt.date,
    practitioner: StaffProfile | None = None,
    room: Room | None = None,
    now: dt.datetime | None = None,
    limit: int | None = None,
) -> tuple[list[slots.Slot], Resources]:
    """Free start times for the patient, the type and the days asked; never in the past."""
    start, end = _window(clinic.zone, start_date, end_date)
    resources = load_resources(clinic=clinic, patient=patient, window_start=start, window_end=end)
    found = slots.find_slots(
        tz=resources.tz,
        start_date=start_date,
        end_date=end_date,
        clinic_hours=resources.clinic_hours,
        practitioners=resources.practitioners,
        rooms=resources.rooms,
        patient_busy=resources.patient_busy,
        kind=finder_kind(kind),
        not_before=now or timezone.now(),
        practitioner_id=practitioner.pk if practitioner else None,
        room_id=room.pk if room else None,
        limit=limit,
    )
    return found, resources


# --- Why a chosen time does not work ---------------------------------------------------------


def _inside(spans, start_local: dt.datetime, end_local: dt.datetime, tz) -> bool:
    day = start_local.date()
    for opens, closes in spans:
        span_start = dt.datetime.combine(day, opens, tzinfo=tz)
        span_end = dt.datetime.combine(day, closes, tzinfo=tz)
        if span_start <= start_local and end_local <= span_end:
            return True
    return False


def unavailable_reason(
    *,
    resources: Resources,
    kind: AppointmentType,
    practitioner: StaffProfile,
    room: Room,
    starts_at: dt.datetime,
) -> tuple[str, str] | None:
    """(field, message) saying why this exact booking cannot be made, or None if it can."""
    tz = resources.tz
    finder = finder_kind(kind)
    start = starts_at.astimezone(tz)
    end = (starts_at + finder.duration).astimezone(tz)
    if not room.active:
        return "room", f"{room.name} is not in use."
    if kind.route and not room.hosts(kind.route):
        return "room", f"{room.name} cannot host {kind.get_route_display().lower()}."
    if finder.procedure_room_only and room.kind != Room.Kind.PROCEDURE:
        return "room", f"{kind.name} needs a procedure room."
    if not _inside(resources.clinic_hours.on(start.weekday()), start, end, tz):
        return "starts_at", (
            f"{start:%H:%M}-{end:%H:%M} on {start:%A %-d %B} is outside the clinic's opening hours."
        )
    member = next((p for p in resources.practitioners if p.id == practitioner.pk), None)
    if member is None:
        return "practitioner", f"{practitioner} cannot be booked."
    if not _inside(member.hours.on(start.weekday()), start, end, tz):
        return "starts_at", f"{practitioner} does not work at {start:%H:%M} on {start:%A}s."
    held = slots.Interval(starts_at, starts_at + finder.duration)
    if not member.busy.is_free(held):
        return "starts_at", f"{practitioner} is already booked or away at that time."
    finder_room = next((r for r in resources.rooms if r.id == room.pk), None)
    room_need = slots.Interval(starts_at, starts_at + finder.duration + finder.buffer_after)
    if finder_room is None or not finder_room.busy.is_free(room_need):
        return "room", f"{room.name} is in use (or being turned over) at that time."
    if not resources.patient_busy.is_free(held):
        return "starts_at", "The patient already has an appointment at that time."
    return None


# --- Booking ---------------------------------------------------------------------------------


def _check_time(starts_at: dt.datetime, now: dt.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "The start time needs a time zone."})
    if starts_at < now:
        raise ValidationError({"starts_at": "This time is in the past."})
    if starts_at > now + BOOKING_HORIZON:
        raise ValidationError({"starts_at": "That is more than two years ahead: check the date."})


def _check_plan(*, plan: TreatmentPlan | None, kind: AppointmentType, patient: Patient) -> None:
    """A treatment session needs a planned plan of its route and valid treatment consent."""
    if kind.kind != AppointmentType.Kind.TREATMENT:
        if plan is not None and plan.patient_id != patient.pk:
            raise ValidationError({"plan": "This plan is another patient's."})
        return
    if plan is None:
        raise ValidationError(
            {"plan": "A treatment session is booked from the patient's treatment plan."}
        )
    if plan.patient_id != patient.pk:
        raise ValidationError({"plan": "This plan is another patient's."})
    if plan.state not in BOOKABLE_PLAN_STATES:
        raise ValidationError(
            {
                "plan": f"The plan is {plan.get_state_display().lower()}: sessions can be booked "
                "once it is planned."
            }
        )
    if plan.route != kind.route:
        raise ValidationError(
            {
                "kind": f"The plan's route is {plan.get_route_display().lower()}, not "
                f"{kind.get_route_display().lower()}."
            }
        )
    if not patient.consents.valid().filter(kind=ConsentKind.TREATMENT).exists():
        raise ValidationError(
            {"plan": "The patient has no valid treatment consent. Take consent before booking."}
        )


def _plan_sessions(plan: TreatmentPlan):
    """The plan's treatment sessions that hold a time: a linked follow-up review is not one."""
    return plan.appointments.holding().filter(kind__kind=AppointmentType.Kind.TREATMENT)


def _check_interval(
    *, plan: TreatmentPlan, starts_at: dt.datetime, reason: str, exclude_pk: int | None
) -> None:
    """Sessions of a plan are at least its interval apart, unless a reason is written."""
    siblings = _plan_sessions(plan).exclude(pk=exclude_pk)
    booked = siblings.count()
    if booked >= plan.sessions:
        raise ValidationError(
            {"plan": f"All {plan.sessions} sessions of this plan are already booked."}
        )
    minimum = dt.timedelta(days=plan.interval_days)
    too_close = siblings.filter(
        starts_at__gt=starts_at - minimum, starts_at__lt=starts_at + minimum
    ).exists()
    if too_close and not reason.strip():
        raise ValidationError(
            {
                "short_interval_reason": (
                    f"This session is less than the plan's {plan.interval_days} days from another "
                    "session. Write why it is needed sooner."
                )
            }
        )


@transaction.atomic
def appointment_book(
    *,
    patient: Patient,
    kind: AppointmentType,
    practitioner: StaffProfile,
    room: Room,
    starts_at: dt.datetime,
    by,
    plan: TreatmentPlan | None = None,
    short_interval_reason: str = "",
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Book one appointment, or raise ValidationError saying which field is wrong and why."""
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    if patient.is_archived:
        raise ValidationError({"patient": "This patient is archived."})
    if not kind.active:
        raise ValidationError({"kind": "This appointment type is no longer offered."})
    _check_time(starts_at, now)
    _check_plan(plan=plan, kind=kind, patient=patient)
    if plan is not None and kind.kind == AppointmentType.Kind.TREATMENT:
        _check_interval(
            plan=plan, starts_at=starts_at, reason=short_interval_reason, exclude_pk=None
        )
    appointment = _save(
        Appointment(
            patient=patient,
            kind=kind,
            practitioner=practitioner,
            room=room,
            plan=plan,
            starts_at=starts_at,
            short_interval_reason=short_interval_reason.strip(),
            created_by=by,
        ),
        clinic=clinic,
    )
    # The patient's confirmation and reminder, queued once the booking has committed.
    transaction.on_commit(
        lambda: messaging.appointment_changed(appointment.pk, "booked"), robust=True
    )
    return appointment


def _save(appointment: Appointment, *, clinic: ClinicSettings) -> Appointment:
    """Check availability and save. The database has the last word on PostgreSQL (exclusion
    constraints); on SQLite the check below runs under the transaction's write lock."""
    kind = appointment.kind
    appointment.ends_at = appointment.starts_at + dt.timedelta(minutes=kind.duration_minutes)
    appointment.room_free_at = appointment.ends_at + dt.timedelta(minutes=kind.buffer_minutes)
    resources = load_resources(
        clinic=clinic,
        patient=appointment.patient,
        window_start=appointment.starts_at - dt.timedelta(days=1),
        window_end=appointment.room_free_at + dt.timedelta(days=1),
        exclude=appointment if appointment.pk else None,
    )
    problem = unavailable_reason(
        resources=resources,
        kind=kind,
        practitioner=appointment.practitioner,
        room=appointment.room,
        starts_at=appointment.starts_at,
    )
    if problem is not None:
        field, message = problem
        raise ValidationError({field: message})
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as error:
        if "no_overlap" in str(error):
            raise SlotTaken() from None
        raise
    return appointment


@transaction.atomic
def appointment_move(
    *,
    appointment: Appointment,
    starts_at: dt.datetime,
    by,
    practitioner: StaffProfile | None = None,
    room: Room | None = None,
    short_interval_reason: str = "",
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Move a booked appointment to another time (and practitioner or room)."""
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != AppointmentStatus.BOOKED:
        status = appointment.get_status_display().lower()
        raise ValidationError({"starts_at": f"A {status} appointment cannot be moved."})
    _check_time(starts_at, now)
    if appointment.plan is not None and appointment.kind.kind == AppointmentType.Kind.TREATMENT:
        _check_interval(
            plan=appointment.plan,
            starts_at=starts_at,
            reason=short_interval_reason or appointment.short_interval_reason,
            exclude_pk=appointment.pk,
        )
    appointment.starts_at = starts_at
    appointment.practitioner = practitioner or appointment.practitioner
    appointment.room = room or appointment.room
    if short_interval_reason.strip():
        appointment.short_interval_reason = short_interval_reason.strip()
    appointment.schedule_version += 1
    appointment._change_reason = "moved"
    appointment = _save(appointment, clinic=clinic)
    transaction.on_commit(
        lambda: messaging.appointment_changed(appointment.pk, "moved"), robust=True
    )
    return appointment


def _transition(
    appointment: Appointment, to: AppointmentStatus, *, by, via: Workflow | None = None
) -> Appointment:
    """The appointment's row, locked, moved to ``to`` if its state machine lets ``by`` (or the
    workflow ``via``) make that change; TransitionRefused otherwise. Not saved yet."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("kind")
        .get(pk=appointment.pk)
    )
    appointment.transition_to(to, by=by, via=via)
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, reason: str, by, now: dt.datetime | None = None
) -> Appointment:
    """Cancel with a reason; under 24 hours before the start it is marked late."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the appointment is cancelled."})
    now = now or timezone.now()
    appointment = _transition(appointment, AppointmentStatus.CANCELLED, by=by)
    appointment.cancel_reason = reason.strip()
    appointment.cancelled_at = now
    appointment.late_cancellation = appointment.starts_at - now < LATE_CANCELLATION
    appointment.schedule_version += 1
    appointment.save()
    transaction.on_commit(
        lambda: messaging.appointment_changed(appointment.pk, "cancelled"), robust=True
    )
    return appointment


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, by, now: dt.datetime | None = None):
    appointment = _transition(appointment, AppointmentStatus.CHECKED_IN, by=by)
    appointment.checked_in_at = now or timezone.now()
    appointment.save()
    return appointment


@transaction.atomic
def appointment_no_show(*, appointment: Appointment, by, now: dt.datetime | None = None):
    now = now or timezone.now()
    if appointment.starts_at > now:
        raise TransitionRefused("A patient can be marked as not shown only after the start time.")
    appointment = _transition(appointment, AppointmentStatus.NO_SHOW, by=by)
    appointment.save()
    return appointment


@transaction.atomic
def appointment_complete(*, appointment: Appointment, by, via: Workflow | None = None):
    """Complete a checked-in consultation or follow-up review. A treatment appointment is
    completed only ``via`` the completion of its session record (its state machine refuses it
    otherwise)."""
    appointment = _transition(appointment, AppointmentStatus.COMPLETED, by=by, via=via)
    appointment.save()
    return appointment


# --- Courses ---------------------------------------------------------------------------------


def course_preview(
    *,
    plan: TreatmentPlan,
    kind: AppointmentType,
    earliest: dt.datetime,
    clinic: ClinicSettings,
    practitioner: StaffProfile | None = None,
    horizon_days: int = 182,
) -> tuple[slots.CourseResult, Resources]:
    """Where each remaining session of the plan would go: earliest fitting slots, the interval
    apart, the same practitioner when possible. Nothing is booked."""
    remaining = plan.sessions - _plan_sessions(plan).count()
    if remaining < 1:
        raise ValidationError({"plan": f"All {plan.sessions} sessions are already booked."})
    last = _plan_sessions(plan).order_by("-starts_at").first()
    if last is not None:
        earliest = max(earliest, last.starts_at + dt.timedelta(days=plan.interval_days))
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
        kind=finder_kind(kind),
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
    kind: AppointmentType,
    choices: list[CourseChoice],
    by,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> list[Appointment]:
    """Book every session of the confirmed preview, or none of them.

    Sessions are booked in time order, each checked against those before it. Every session is
    tried, so that a refusal (CourseRefused) says which sessions failed and why; then nothing
    is kept.
    """
    clinic = clinic or ClinicSettings.load()
    booked: list[Appointment] = []
    refusals: dict[int, ValidationError] = {}
    for index in sorted(range(len(choices)), key=lambda i: choices[i].starts_at):
        choice = choices[index]
        try:
            with transaction.atomic():
                booked.append(
                    appointment_book(
                        patient=plan.patient,
                        kind=kind,
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
