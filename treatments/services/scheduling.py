"""Scheduling: book, move, cancel and check in appointments, and the rules they follow.

What is free, and why a chosen time does not work, is in treatments.services.availability; the
plan's interval between sessions in treatments.services.intervals; a course in one step in
treatments.services.courses. Every service here takes plain values and the acting user (``by``),
knows nothing of HTTP, and refuses with a ValidationError keyed by the field it is about.

Appointment states and their transitions are the appointment's state machine
(treatments.models.appointments.APPOINTMENT_STATES), the one place that says which change is
allowed and who makes it. Every change goes through a service below, inside a transaction.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from clinic.lib import slots
from clinic.models import AppointmentType, ClinicSettings, Role, Room, StaffProfile, User
from patients.models import ConsentKind, Patient
from treatments.models import (
    BOOKABLE_STATES,
    Appointment,
    AppointmentStatus,
    TransitionRefused,
    TreatmentPlan,
    Workflow,
    WorklistItem,
)
from treatments.services import eligibility, intervals, messaging
from treatments.services.availability import (  # noqa: F401 (callers find these here too)
    LONGEST_HOLD,
    Resources,
    find_free_slots,
    finder_kind,
    load_resources,
    move_search_days,
    unavailable_reason,
)

#: Plan states in which sessions may be booked.
BOOKABLE_PLAN_STATES = BOOKABLE_STATES

#: How far ahead the clinic books; a date outside this is a typing error, not a booking.
BOOKING_HORIZON = dt.timedelta(days=2 * 366)
STEP = slots.DEFAULT_STEP

SLOT_TAKEN = "This time was just taken by another booking. Choose another time."
#: The code of a refusal that only a dermatologist can lift (a session sooner than the interval).
NEEDS_DERMATOLOGIST = "needs_dermatologist"
ASK_DERMATOLOGIST = (
    "A session sooner than the plan's interval is a dermatologist's decision: ask a "
    "dermatologist to approve it, or choose a later time."
)


class SlotTaken(ValidationError):
    """Another booking took the time between the check and the save."""

    def __init__(self):
        super().__init__({"starts_at": SLOT_TAKEN}, code="slot_taken")


# --- Rules the pages show before anyone acts ---------------------------------------------------


def treatment_type_for(route: str) -> AppointmentType | None:
    """The appointment type a plan of ``route`` books its sessions as."""
    return AppointmentType.objects.filter(
        kind=AppointmentType.Kind.TREATMENT, route=route, active=True
    ).first()


def has_treatment_consent(patient: Patient) -> bool:
    return patient.consents.valid().filter(kind=ConsentKind.TREATMENT).exists()


def can_approve_short_interval(user: User) -> bool:
    """Only a dermatologist decides that a session comes sooner than the plan's interval."""
    return user.has_role(Role.DERMATOLOGIST)


def needs_dermatologist(error: ValidationError) -> bool:
    """Whether a refusal is one only a dermatologist can lift (the desk may ask for it)."""
    errors = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    return any(e.code == NEEDS_DERMATOLOGIST for group in errors for e in group)


def can_move(appointment: Appointment) -> bool:
    return appointment.status == AppointmentStatus.BOOKED


def notice_window(clinic: ClinicSettings | None = None) -> dt.timedelta:
    """The clinic's notice for moving or cancelling (24 hours unless it sets another)."""
    clinic = clinic or ClinicSettings.load()
    return dt.timedelta(hours=clinic.notice_hours)


def is_late_cancellation(
    appointment: Appointment, now: dt.datetime, *, clinic: ClinicSettings | None = None
) -> bool:
    """Cancelled (or moved) closer to the start than the clinic's notice window."""
    return appointment.starts_at - now < notice_window(clinic)


def no_show_due(appointment: Appointment, now: dt.datetime) -> bool:
    """A patient is marked as not shown only once the start time has come."""
    return appointment.starts_at <= now


# --- Booking ---------------------------------------------------------------------------------


def _check_time(starts_at: dt.datetime, now: dt.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "The start time needs a time zone."})
    if starts_at < now:
        raise ValidationError({"starts_at": "This time is in the past."})
    if starts_at > now + BOOKING_HORIZON:
        raise ValidationError({"starts_at": "That is more than two years ahead: check the date."})


def _check_plan(
    *,
    plan: TreatmentPlan | None,
    appointment_type: AppointmentType,
    patient: Patient,
    clinic: ClinicSettings,
    now: dt.datetime,
) -> None:
    """Who may book what (treatments.services.eligibility, docs/clinical-rules.md §Who may book
    what): a treatment session needs a planned plan of its route, valid treatment consent and a
    current screen that blocks the route nowhere today."""
    eligibility.check_booking(
        patient=patient,
        appointment_type=appointment_type,
        plan=plan,
        clinic=clinic,
        today=timezone.localdate(now, clinic.zone),
    )


def _check_places(plan: TreatmentPlan, *, moving: Appointment | None = None) -> None:
    booked = plan.booked_sessions()
    if moving is not None:
        booked = booked.exclude(pk=moving.pk)
    if booked.count() >= plan.sessions:
        raise ValidationError(
            {"plan": f"All {plan.sessions} sessions of this plan are already booked."}
        )


def _interval_reason(
    *,
    plan: TreatmentPlan,
    starts_at: dt.datetime,
    reason: str,
    by: User,
    clinic: ClinicSettings,
    moving: Appointment | None = None,
) -> str:
    """The reason to keep with a session of ``plan`` at ``starts_at``, or a refusal.

    At least the interval from the plan's other sessions: no reason is kept. Sooner: a
    dermatologist's written reason, or the one already approved while the session moves no
    closer (treatments.services.intervals). Anyone else is refused, with the session it clashes
    with named; a reason they send is not taken.
    """
    rule = intervals.interval_rule(plan=plan, tz=clinic.zone, moving=moving)
    clash = rule.clash(starts_at, approved=False)
    if clash is None:
        return ""
    reason = reason.strip()
    approver = can_approve_short_interval(by)
    if approver and reason:
        return reason
    if moving is not None and rule.clash(starts_at) is None:
        return moving.short_interval_reason
    text = clash.text(clinic.zone)
    if not approver:
        if reason:
            text += " Only a dermatologist can give the reason for a session sooner than that."
        raise ValidationError(
            {"starts_at": ValidationError(f"{text} {ASK_DERMATOLOGIST}", code=NEEDS_DERMATOLOGIST)}
        )
    raise ValidationError(
        {
            "short_interval_reason": ValidationError(
                f"{text} Write why this session is needed sooner.", code="reason_needed"
            )
        }
    )


@transaction.atomic
def appointment_book(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    practitioner: StaffProfile,
    room: Room,
    starts_at: dt.datetime,
    by: User,
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
    if not appointment_type.active:
        raise ValidationError({"appointment_type": "This appointment type is no longer offered."})
    _check_time(starts_at, now)
    _check_plan(
        plan=plan, appointment_type=appointment_type, patient=patient, clinic=clinic, now=now
    )
    reason = ""
    if intervals.applies(plan, appointment_type):
        _check_places(plan)
        reason = _interval_reason(
            plan=plan, starts_at=starts_at, reason=short_interval_reason, by=by, clinic=clinic
        )
    appointment = Appointment(
        patient=patient,
        appointment_type=appointment_type,
        practitioner=practitioner,
        room=room,
        plan=plan,
        starts_at=starts_at,
        short_interval_reason=reason,
        created_by=by,
    )
    appointment._history_user = by
    appointment = _save(appointment, clinic=clinic)
    # The patient's confirmation and reminder, queued once the booking has committed.
    transaction.on_commit(
        lambda: messaging.appointment_changed(appointment.pk, "booked"), robust=True
    )
    return appointment


def _save(appointment: Appointment, *, clinic: ClinicSettings) -> Appointment:
    """Check availability and save. The database has the last word on PostgreSQL (exclusion
    constraints); on SQLite the check below runs under the transaction's write lock."""
    appointment_type = appointment.appointment_type
    appointment.ends_at = appointment.starts_at + dt.timedelta(
        minutes=appointment_type.duration_minutes
    )
    appointment.room_free_at = appointment.ends_at + dt.timedelta(
        minutes=appointment_type.buffer_minutes
    )
    resources = load_resources(
        clinic=clinic,
        patient=appointment.patient,
        window_start=appointment.starts_at - dt.timedelta(days=1),
        window_end=appointment.room_free_at + dt.timedelta(days=1),
        exclude=appointment if appointment.pk else None,
        # The booking's own check reads the database, never the cache.
        use_cache=False,
    )
    problem = unavailable_reason(
        resources=resources,
        appointment_type=appointment_type,
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
    by: User,
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
    if not can_move(appointment):
        status = appointment.get_status_display().lower()
        raise ValidationError(f"A {status} appointment cannot be moved.", code="not_movable")
    _check_time(starts_at, now)
    if appointment.plan is not None and appointment.is_treatment_session:
        appointment.short_interval_reason = _interval_reason(
            plan=appointment.plan,
            starts_at=starts_at,
            reason=short_interval_reason,
            by=by,
            clinic=clinic,
            moving=appointment,
        )
    freed = {
        "starts_at": appointment.starts_at,
        "practitioner_id": appointment.practitioner_id,
        "room_id": appointment.room_id,
        "schedule_version": appointment.schedule_version,
    }
    appointment.starts_at = starts_at
    appointment.practitioner = practitioner or appointment.practitioner
    appointment.room = room or appointment.room
    appointment.schedule_version += 1
    appointment._change_reason = "moved"
    appointment._history_user = by
    appointment = _save(appointment, clinic=clinic)
    _free(appointment, cause="moved", now=now, **freed)
    transaction.on_commit(
        lambda: messaging.appointment_changed(appointment.pk, "moved"), robust=True
    )
    return appointment


# --- A session sooner than the interval: the desk asks a dermatologist ---------------------------

#: WorklistItem.title's length.
TITLE_LENGTH = WorklistItem._meta.get_field("title").max_length


@transaction.atomic
def short_interval_request(
    *,
    starts_at: dt.datetime,
    by: User,
    plan: TreatmentPlan | None = None,
    appointment: Appointment | None = None,
    clinic: ClinicSettings | None = None,
    now: dt.datetime | None = None,
) -> tuple[WorklistItem, bool]:
    """Ask a dermatologist to approve a session of ``plan`` at ``starts_at`` (or moving
    ``appointment``, a session of its plan, there) sooner than the plan's interval: an item on the
    worklist of the plan's author (or of any dermatologist when the author no longer is one).

    Returns the worklist item and whether it is new: the same request, still open, is not made
    twice.
    Refused when the time needs no approval, or is not one that could be booked, and to a
    dermatologist, who decides it themselves.
    """
    clinic = clinic or ClinicSettings.load()
    now = now or timezone.now()
    if can_approve_short_interval(by):
        raise ValidationError(
            "A dermatologist approves a sooner session by booking it with the reason: there is "
            "no one to ask.",
            code="approver",
        )
    if appointment is not None:
        if not can_move(appointment):
            status = appointment.get_status_display().lower()
            raise ValidationError(f"A {status} appointment cannot be moved.", code="not_movable")
        plan = appointment.plan if appointment.is_treatment_session else None
    if plan is None:
        raise ValidationError(
            {"plan": "Only a session of a treatment plan keeps to the plan's interval."}
        )
    _check_time(starts_at, now)
    if not plan.is_bookable:
        raise ValidationError(
            {"plan": f"The plan is {plan.get_state_display().lower()}: no sessions are booked."}
        )
    rule = intervals.interval_rule(plan=plan, tz=clinic.zone, moving=appointment)
    clash = rule.clash(starts_at)
    if clash is None:
        raise ValidationError(
            {
                "starts_at": "This time is at least the plan's interval from its other sessions: "
                "it needs no dermatologist's approval."
            }
        )
    patient = plan.patient
    wanted = date_format(timezone.localtime(starts_at, clinic.zone), "D j M Y H:i")
    if appointment is None:
        what = f"Approve a session sooner than the plan's interval for {patient.full_name}"
    else:
        what = f"Approve moving a session of {patient.full_name} sooner than the plan's interval"
    title = f"{what}: {wanted} wanted. {clash.text(clinic.zone)}"[:TITLE_LENGTH]
    author = plan.author
    assigned = author if author.has_role(Role.DERMATOLOGIST) else None
    worklist_item, created = WorklistItem.objects.get_or_create(
        patient=patient,
        kind=WorklistItem.Kind.OTHER,
        title=title,
        done_at__isnull=True,
        defaults={"assigned_to": assigned},
    )
    return worklist_item, created


# --- Changes of state --------------------------------------------------------------------------


def _transition(
    appointment: Appointment, to: AppointmentStatus, *, by, via: Workflow | None = None
) -> Appointment:
    """The appointment's row, locked, moved to ``to`` if its state machine lets ``by`` (or the
    workflow ``via``) make that change; TransitionRefused otherwise. Not saved yet."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("appointment_type")
        .get(pk=appointment.pk)
    )
    appointment.transition_to(to, by=by, via=via)
    return appointment


@transaction.atomic
def appointment_cancel(
    *,
    appointment: Appointment,
    reason: str,
    by: User,
    now: dt.datetime | None = None,
    via: Workflow | None = None,
) -> Appointment:
    """Cancel with a reason; inside the clinic's notice window (24 hours unless it sets another)
    it is marked late."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the appointment is cancelled."})
    now = now or timezone.now()
    appointment = _transition(appointment, AppointmentStatus.CANCELLED, by=by, via=via)
    appointment.cancel_reason = reason.strip()
    appointment.cancelled_at = now
    appointment.late_cancellation = is_late_cancellation(appointment, now)
    appointment.schedule_version += 1
    appointment._history_user = by
    appointment.save()
    _free(
        appointment,
        cause="cancelled",
        starts_at=appointment.starts_at,
        practitioner_id=appointment.practitioner_id,
        room_id=appointment.room_id,
        schedule_version=appointment.schedule_version - 1,
        now=now,
    )
    transaction.on_commit(
        lambda: messaging.appointment_changed(appointment.pk, "cancelled"), robust=True
    )
    return appointment


def _free(appointment: Appointment, **slot) -> None:
    """The time ``appointment`` held is free: recorded in this transaction, offered to the
    waitlist once it commits (treatments.services.waitlist)."""
    from treatments.services import waitlist

    waitlist.slot_freed(appointment=appointment, **slot)


def check_in_day_guard(
    appointment: Appointment, *, now: dt.datetime, clinic: ClinicSettings | None = None
) -> None:
    """A patient is checked in on the appointment's own day, in the clinic's time zone: a
    session a week ahead (or one already past) cannot be."""
    tz = (clinic or ClinicSettings.load()).zone
    day = timezone.localtime(appointment.starts_at, tz).date()
    if day != timezone.localtime(now, tz).date():
        raise ValidationError(
            f"A patient is checked in on the day of their appointment: this one is on "
            f"{date_format(day, 'l j F Y')}.",
            code="not_its_day",
        )


@transaction.atomic
def appointment_check_in(
    *,
    appointment: Appointment,
    by,
    now: dt.datetime | None = None,
    clinic: ClinicSettings | None = None,
):
    appointment = _transition(appointment, AppointmentStatus.CHECKED_IN, by=by)
    now = now or timezone.now()
    check_in_day_guard(appointment, now=now, clinic=clinic)
    appointment.checked_in_at = now
    appointment.save()
    return appointment


@transaction.atomic
def appointment_no_show(*, appointment: Appointment, by, now: dt.datetime | None = None):
    now = now or timezone.now()
    if not no_show_due(appointment, now):
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
