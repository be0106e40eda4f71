"""A demo week of bookings around today. Run by `manage.py seed_demo` after treatments.demo.plans.

Every appointment is booked by the front desk (desk@demo.clinic) through the same services as the
booking pages (a session sooner than its plan's interval by the plan's dermatologist, who alone
may decide it), at a free time the slot finder offers: past days with ``now`` set before them (the
service refuses past times otherwise), then moved on through the status services. So the demo
obeys opening hours, working hours, rooms, turnover buffers, plans, consent and intervals.

- Past days: completed consultations and a completed review, a no-show, one late cancellation
  (six hours before) and one in good time.
- Today: Amara Okafor's microneedling session with Dr Amelia Hart (derm@demo.clinic), checked
  in, so that a dermatologist can start the session; consultations still to come.
- Coming days: consultations, Daniel Murphy's follow-up review, and Olivia Bennett's next
  microneedling session of her planned course, about six weeks after the session that
  treatments.demo.sessions records a few days ago.

Days the clinic is closed are skipped to the next open day (back in time for past entries). When
the clinic is closed today (a Sunday in the demo clinic), or Dr Hart does not work today, today's
entries go to whoever is free; consultations with no time left today go to the next open day, and
the checked-in session is skipped with a message when nobody can see the patient today.

Idempotent: nothing is added once any appointment booked by desk@demo.clinic exists.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import AppointmentType, ClinicSettings, StaffProfile, User
from patients.models import Patient
from treatments.models import Appointment, TreatmentPlan
from treatments.services import scheduling

DESK_EMAIL = "desk@demo.clinic"
HART = "derm@demo.clinic"
MEHTA = "derm2@demo.clinic"
CONSULTATION = "Consultation and skin assessment"
REVIEW = "Follow-up review"
SOONER = "Brought forward to fit the patient's travel plans (demo)."
#: How many days to look past a closed day.
SEARCH_DAYS = 7


@dataclass(frozen=True)
class Entry:
    patient: str  # the demo patient's name
    days: int  # from today; negative: in the past
    at: dt.time  # the earliest local time wanted
    appointment_type: (
        str  # appointment type name, or "plan" for a session of the patient's open plan
    )
    outcome: str  # completed, no_show, late_cancel, cancelled, checked_in, booked
    practitioner: str | None = HART
    plan: bool = False  # link the patient's latest plan (a review of it)
    reason: str = ""


T = dt.time
WEEK = [
    Entry("James Whitfield", -1, T(9, 30), CONSULTATION, "completed"),
    Entry("Priya Sharma", -1, T(11), CONSULTATION, "no_show", practitioner=None),
    Entry("Hannah Clarke", -2, T(10), CONSULTATION, "completed"),
    Entry("Grace Thompson", -2, T(14), REVIEW, "completed", plan=True),
    Entry(
        "Leila Haddad", -3, T(15), CONSULTATION, "late_cancel",
        reason="Called in the morning: a work deadline (demo).",
    ),
    Entry("Tomasz Nowak", -4, T(9), CONSULTATION, "completed", practitioner=None),
    Entry(
        "Aisha Rahman", -4, T(12), CONSULTATION, "cancelled",
        reason="Asked by email to come after her holiday (demo).",
    ),
    Entry("Amara Okafor", 0, T(0), "plan", "checked_in"),
    Entry("Lucy Evans", 0, T(0), CONSULTATION, "booked", practitioner=None),
    Entry("Marcus Reid", 0, T(0), CONSULTATION, "booked", practitioner=None),
    Entry("Chloe Martin", 1, T(10), CONSULTATION, "booked"),
    Entry("Mei Chen", 2, T(11), CONSULTATION, "booked", practitioner=None),
    Entry("Daniel Murphy", 3, T(16), REVIEW, "booked", plan=True, practitioner=None),
    Entry("Fatima Ali", 4, T(9), CONSULTATION, "booked", practitioner=MEHTA),
    Entry("Olivia Bennett", 39, T(10), "plan", "booked"),
]  # fmt: skip


class Skip(Exception):
    pass


def _patient(name: str) -> Patient:
    first, last = name.split(" ", 1)
    patient = Patient.objects.filter(first_name=first, last_name=last).first()
    if patient is None:
        raise Skip("the patient is missing")
    return patient


def _appointment_type_and_plan(entry: Entry, patient: Patient):
    if entry.appointment_type == "plan":
        plan = (
            TreatmentPlan.objects.filter(patient=patient, state__in=scheduling.BOOKABLE_PLAN_STATES)
            .order_by("-created_at")
            .first()
        )
        if plan is None:
            raise Skip("no plan open for booking")
        appointment_type = scheduling.treatment_type_for(plan.route)
        if appointment_type is None:
            raise Skip(f"no {plan.get_route_display().lower()} appointment type")
        return appointment_type, plan
    appointment_type = AppointmentType.objects.filter(
        name=entry.appointment_type, active=True
    ).first()
    if appointment_type is None:
        raise Skip(f"no {entry.appointment_type} appointment type")
    plan = None
    if entry.plan:
        plan = TreatmentPlan.objects.filter(patient=patient).order_by("-created_at").first()
    return appointment_type, plan


def _first_free(*, clinic, patient, appointment_type, day, after, practitioner):
    """The first free slot on ``day`` at or after ``after``, with ``practitioner`` if given."""
    found, resources = scheduling.find_free_slots(
        clinic=clinic,
        patient=patient,
        appointment_type=appointment_type,
        start_date=day,
        end_date=day,
        practitioner=practitioner,
        now=after,
        limit=1,
    )
    if not found:
        return None
    slot = found[0]
    staff = practitioner or resources.staff[slot.practitioner_ids[0]]
    return slot.start, staff, resources.room_records[slot.room_ids[0]]


def _nearest_today(*, clinic, patient, appointment_type, today, now, practitioner):
    """Today's free slot starting nearest to now (a patient checked in for it)."""
    found, resources = scheduling.find_free_slots(
        clinic=clinic,
        patient=patient,
        appointment_type=appointment_type,
        start_date=today,
        end_date=today,
        practitioner=practitioner,
        now=dt.datetime.combine(today, dt.time.min, tzinfo=clinic.zone),
    )
    if not found:
        return None
    slot = min(found, key=lambda s: abs(s.start - now))
    staff = practitioner or resources.staff[slot.practitioner_ids[0]]
    return slot.start, staff, resources.room_records[slot.room_ids[0]]


def _place(entry, *, clinic, patient, appointment_type, today, now, staff):
    """Where the entry goes: its day (or the nearest open one), at or after its time."""
    preferred = staff.get(entry.practitioner) if entry.practitioner else None
    if entry.days == 0:
        candidates = [preferred, None] if preferred else [None]
        for practitioner in candidates:
            if entry.outcome == "checked_in":
                found = _nearest_today(
                    clinic=clinic,
                    patient=patient,
                    appointment_type=appointment_type,
                    today=today,
                    now=now,
                    practitioner=practitioner,
                )
            else:
                found = _first_free(
                    clinic=clinic,
                    patient=patient,
                    appointment_type=appointment_type,
                    day=today,
                    after=now,
                    practitioner=practitioner,
                )
            if found:
                return found
        if entry.outcome == "checked_in":
            raise Skip("no free time today")
    # Nothing left today: the next open day, from the morning.
    days, earliest = (entry.days, entry.at) if entry.days else (1, dt.time(9))
    step = -1 if days < 0 else 1
    for shift in range(SEARCH_DAYS):
        day = today + dt.timedelta(days=days + step * shift)
        after = dt.datetime.combine(day, earliest, tzinfo=clinic.zone)
        for practitioner in [preferred, None] if preferred else [None]:
            found = _first_free(
                clinic=clinic,
                patient=patient,
                appointment_type=appointment_type,
                day=day,
                after=after,
                practitioner=practitioner,
            )
            if found:
                return found
    raise Skip("no free time near the day wanted")


def _book(*, patient, appointment_type, plan, starts_at, practitioner, room, desk, clinic, now):
    booking = {
        "patient": patient,
        "appointment_type": appointment_type,
        "practitioner": practitioner,
        "room": room,
        "starts_at": starts_at,
        "plan": plan,
        "by": desk,
        "clinic": clinic,
        "now": now,
    }
    try:
        with transaction.atomic():
            return scheduling.appointment_book(**booking)
    except ValidationError as error:
        if plan is None or not scheduling.needs_dermatologist(error):
            raise
    # Sooner than the plan's interval: the plan's dermatologist books it, with the reason.
    booking["by"] = plan.author
    return scheduling.appointment_book(**booking, short_interval_reason=SOONER)


def _settle(entry: Entry, appointment: Appointment, desk: User, now: dt.datetime) -> None:
    """Move the appointment on to the entry's outcome, at the times it would have happened."""
    start = appointment.starts_at
    if entry.outcome in ("completed", "checked_in"):
        arrived = start - dt.timedelta(minutes=5)
        scheduling.appointment_check_in(appointment=appointment, by=desk, now=min(arrived, now))
    if entry.outcome == "completed":
        scheduling.appointment_complete(appointment=appointment, by=desk)
    elif entry.outcome == "no_show":
        scheduling.appointment_no_show(
            appointment=appointment, by=desk, now=start + dt.timedelta(minutes=20)
        )
    elif entry.outcome == "late_cancel":
        scheduling.appointment_cancel(
            appointment=appointment, reason=entry.reason, by=desk, now=start - dt.timedelta(hours=6)
        )
    elif entry.outcome == "cancelled":
        scheduling.appointment_cancel(
            appointment=appointment, reason=entry.reason, by=desk, now=start - dt.timedelta(days=3)
        )


def seed(stdout) -> None:
    desk = User.objects.filter(email=DESK_EMAIL).first()
    if desk is None:
        stdout.write("  scheduling: the demo front desk is missing; no demo bookings.")
        return
    if Appointment.objects.filter(created_by=desk).exists():
        stdout.write("Scheduling demo: the demo week is already booked.")
        return
    clinic = ClinicSettings.load()
    now = timezone.now()
    today = timezone.localdate(now, clinic.zone)
    staff = {
        profile.user.email: profile
        for profile in StaffProfile.objects.bookable().filter(user__email__in=[HART, MEHTA])
    }
    made: Counter = Counter()
    for entry in WEEK:
        try:
            with transaction.atomic():  # the booking and its outcome, or neither
                patient = _patient(entry.patient)
                appointment_type, plan = _appointment_type_and_plan(entry, patient)
                starts_at, practitioner, room = _place(
                    entry,
                    clinic=clinic,
                    patient=patient,
                    appointment_type=appointment_type,
                    today=today,
                    now=now,
                    staff=staff,
                )
                in_the_past = starts_at < now or entry.outcome in ("cancelled", "late_cancel")
                booked_at = starts_at - dt.timedelta(days=7) if in_the_past else now
                appointment = _book(
                    patient=patient,
                    appointment_type=appointment_type,
                    plan=plan,
                    starts_at=starts_at,
                    practitioner=practitioner,
                    room=room,
                    desk=desk,
                    clinic=clinic,
                    now=min(booked_at, now),
                )
                _settle(entry, appointment, desk, now)
        except (Skip, ValidationError) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            stdout.write(f"  scheduling: {entry.patient} ({entry.outcome}) skipped: {message}")
            continue
        made[entry.outcome] += 1
    summary = ", ".join(f"{count} {outcome.replace('_', ' ')}" for outcome, count in made.items())
    stdout.write(f"Scheduling demo: {sum(made.values())} appointments ({summary}).")
