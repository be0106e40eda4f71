"""What is free: load what the slot finder needs, find free times, and say why a chosen time
does not work.

The slot finder itself is plain Python (clinic/lib/slots.py). Here it is fed from the database in
a fixed number of queries, whatever the number of appointments: opening hours, the practitioners
the search can use with their working hours, the rooms that can host it, their busy time merged
per day (treatments.services.busy: from the cache, or one query), the patient's own
appointments of the window, and the held times (read every time: a hold lives minutes, and the
cache keeps appointments and time off only): those of online bookings whose code is still
pending, and freed times offered to the waitlist while an offer of them is open. A waitlist hold
does not stand in the way of the patients it was offered to: the first of them to accept books it.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Max, Q
from django.utils import timezone

from clinic.lib import slots
from clinic.models import AppointmentType, ClinicSettings, Room, StaffProfile
from patients.models import Patient
from treatments.models import (
    Appointment,
    BookingHold,
    FreedSlot,
    OfferStatus,
    TreatmentPlan,
    WaitlistOffer,
)
from treatments.services import busy, intervals

LONGEST_HOLD = busy.LONGEST_HOLD


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
    #: Times held for a waitlist offer: (practitioner id, room id, start, end, room free, until).
    waitlist_holds: tuple = ()


@dataclass(frozen=True, slots=True)
class WaitlistHold:
    practitioner_id: int
    room_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_free_at: dt.datetime
    until: dt.datetime


def waitlist_holds(
    *, window_start: dt.datetime, window_end: dt.datetime, patient: Patient | None, now=None
) -> list[WaitlistHold]:
    """The freed times of the window held while an offer of them is open (not ended, not taken,
    not past its hold), in one query; the times offered to ``patient`` are not in their way."""
    now = now or timezone.now()
    live = Q(offers__status=OfferStatus.OPEN, offers__expires_at__gt=now)
    held = FreedSlot.objects.filter(
        live,
        refilled_by__isnull=True,
        starts_at__lt=window_end,
        starts_at__gte=window_start - LONGEST_HOLD,
    )
    if patient is not None and patient.pk is not None:
        held = held.exclude(
            pk__in=WaitlistOffer.objects.filter(
                entry__patient=patient, status=OfferStatus.OPEN, expires_at__gt=now
            ).values("slot_id")
        )
    rows = held.values_list(
        "practitioner_id",
        "room_id",
        "starts_at",
        "appointment_type__duration_minutes",
        "appointment_type__buffer_minutes",
    ).annotate(until=Max("offers__expires_at", filter=live))
    holds = []
    for practitioner_id, room_id, starts_at, duration, buffer, until in rows:
        ends_at = starts_at + dt.timedelta(minutes=duration)
        room_free_at = ends_at + dt.timedelta(minutes=buffer)
        if room_free_at > window_start:
            holds.append(
                WaitlistHold(practitioner_id, room_id, starts_at, ends_at, room_free_at, until)
            )
    return holds


def finder_kind(appointment_type: AppointmentType) -> slots.AppointmentType:
    return slots.AppointmentType(
        duration=dt.timedelta(minutes=appointment_type.duration_minutes),
        buffer_after=dt.timedelta(minutes=appointment_type.buffer_minutes),
        route=appointment_type.route or None,
    )


def load_resources(
    *,
    clinic: ClinicSettings,
    patient: Patient | None,
    window_start: dt.datetime,
    window_end: dt.datetime,
    exclude: Appointment | None = None,
    appointment_type: AppointmentType | None = None,
    practitioner: StaffProfile | None = None,
    room: Room | None = None,
    use_cache: bool = True,
) -> Resources:
    """Everything the finder needs for ``[window_start, window_end)``, in eight queries at most.

    Only what the search can use: with ``practitioner``, that practitioner alone; with
    ``appointment_type``, only the rooms that can host it (with ``room``, that room alone). The
    practitioners' and rooms' busy time comes merged per day, from the cache when it is current
    (treatments.services.busy); ``use_cache=False`` reads it all from the database, as a
    booking's own check does. ``exclude``: an appointment being moved does not stand in its own
    way.
    """
    tz = clinic.zone
    spans: dict[int, list] = defaultdict(list)
    for day in clinic.opening_hours.all():
        if not day.closed:
            spans[day.weekday].append((day.opens, day.closes))
    clinic_hours = slots.WeeklyHours.of(spans)

    bookable = StaffProfile.objects.bookable()
    if practitioner is not None:
        bookable = bookable.filter(pk=practitioner.pk)
    staff = {s.pk: s for s in bookable.prefetch_related("working_hours")}
    active = Room.objects.filter(active=True)
    if room is not None:
        active = active.filter(pk=room.pk)
    rooms = {r.pk: r for r in active}
    if appointment_type is not None:
        kind = finder_kind(appointment_type)
        rooms = {pk: r for pk, r in rooms.items() if kind.can_use(_finder_room(r, busy.EMPTY))}

    first_day = window_start.astimezone(tz).date()
    last_day = (window_end - dt.timedelta(microseconds=1)).astimezone(tz).date()
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    merged = busy.merged_busy(
        staff_ids=staff.keys(),
        room_ids=rooms.keys(),
        days=days,
        tz=tz,
        patient_id=patient.pk if patient is not None else None,
        exclude_pk=exclude.pk if exclude is not None else None,
        use_cache=use_cache,
    )

    # A time held for an online booking blocks its practitioner and room until it expires.
    for starts_at, ends_at, room_free_at, practitioner_id, room_id in (
        BookingHold.objects.live()
        .filter(
            starts_at__lt=window_end,
            room_free_at__gt=window_start,
            starts_at__gte=window_start - LONGEST_HOLD,
        )
        .values_list("starts_at", "ends_at", "room_free_at", "practitioner_id", "room_id")
    ):
        held = (((busy.STAFF, practitioner_id), ends_at), ((busy.ROOM, room_id), room_free_at))
        for key, until in held:
            if key in merged:
                pair = (busy.to_us(starts_at), busy.to_us(until))
                merged[key] = busy.with_pairs(merged[key], [pair])
    # A freed time offered to the waitlist blocks them too while an offer of it is open.
    held_for_waitlist = tuple(
        waitlist_holds(window_start=window_start, window_end=window_end, patient=patient)
    )
    for hold in held_for_waitlist:
        held = (
            ((busy.STAFF, hold.practitioner_id), hold.ends_at),
            ((busy.ROOM, hold.room_id), hold.room_free_at),
        )
        for key, until in held:
            if key in merged:
                pair = (busy.to_us(hold.starts_at), busy.to_us(until))
                merged[key] = busy.with_pairs(merged[key], [pair])

    practitioners = []
    for pk, member in staff.items():
        hours: dict[int, list] = defaultdict(list)
        for span in member.working_hours.all():
            hours[span.weekday].append((span.starts, span.ends))
        practitioners.append(
            slots.Practitioner(
                id=pk,
                hours=slots.WeeklyHours.of(hours),
                busy=busy.as_busy(merged[busy.STAFF, pk]),
            )
        )
    finder_rooms = [_finder_room(r, busy.as_busy(merged[busy.ROOM, pk])) for pk, r in rooms.items()]
    return Resources(
        tz=tz,
        clinic_hours=clinic_hours,
        practitioners=practitioners,
        rooms=finder_rooms,
        patient_busy=busy.as_busy(merged.get((busy.PATIENT, patient.pk), []) if patient else []),
        staff=staff,
        room_records=rooms,
        waitlist_holds=held_for_waitlist,
    )


def _finder_room(room: Room, room_busy: slots.Busy) -> slots.Room:
    return slots.Room(id=room.pk, kind=room.kind, routes=frozenset(room.routes), busy=room_busy)


def _window(tz, start_date: dt.date, end_date: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(start_date, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def find_free_slots(
    *,
    clinic: ClinicSettings,
    patient: Patient,
    appointment_type: AppointmentType,
    start_date: dt.date,
    end_date: dt.date,
    practitioner: StaffProfile | None = None,
    room: Room | None = None,
    plan: TreatmentPlan | None = None,
    exclude: Appointment | None = None,
    now: dt.datetime | None = None,
    limit: int | None = None,
) -> tuple[list[slots.Slot], Resources]:
    """Free start times for the patient, the type and the days asked; never in the past.

    ``exclude``: the appointment being moved does not stand in its own way. ``plan``: for a
    treatment session of the plan, no day closer to its other sessions than its interval is
    offered (treatments.services.intervals); a sooner session is a dermatologist's decision,
    typed with its reason, never a free time offered.
    """
    start, end = _window(clinic.zone, start_date, end_date)
    resources = load_resources(
        clinic=clinic,
        patient=patient,
        window_start=start,
        window_end=end,
        exclude=exclude,
        appointment_type=appointment_type,
        practitioner=practitioner,
        room=room,
    )
    rule = None
    if intervals.applies(plan, appointment_type):
        rule = intervals.interval_rule(plan=plan, tz=clinic.zone, moving=exclude)
    found = slots.find_slots(
        tz=resources.tz,
        start_date=start_date,
        end_date=end_date,
        clinic_hours=resources.clinic_hours,
        practitioners=resources.practitioners,
        rooms=resources.rooms,
        patient_busy=resources.patient_busy,
        kind=finder_kind(appointment_type),
        not_before=now or timezone.now(),
        practitioner_id=practitioner.pk if practitioner else None,
        room_id=room.pk if room else None,
        # The interval leaves whole days out: a limit counts only the slots kept.
        limit=limit if rule is None else None,
    )
    if rule is not None:
        found = [slot for slot in found if rule.allows_day(rule.day_of(slot.start))]
        if limit is not None:
            found = found[:limit]
    return found, resources


def move_search_days(appointment: Appointment, *, today: dt.date, tz) -> tuple[dt.date, dt.date]:
    """The two weeks a move looks at first: around the appointment's own day, never the past."""
    day = timezone.localtime(appointment.starts_at, tz).date()
    start = max(today, day - dt.timedelta(days=7))
    return start, start + dt.timedelta(days=13)


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
    appointment_type: AppointmentType,
    practitioner: StaffProfile,
    room: Room,
    starts_at: dt.datetime,
) -> tuple[str, str] | None:
    """(field, message) saying why this exact booking cannot be made, or None if it can."""
    tz = resources.tz
    finder = finder_kind(appointment_type)
    start = starts_at.astimezone(tz)
    end = (starts_at + finder.duration).astimezone(tz)
    if not room.active:
        return "room", f"{room.name} is not in use."
    if appointment_type.route and not room.hosts(appointment_type.route):
        return "room", f"{room.name} cannot host {appointment_type.get_route_display().lower()}."
    if finder.procedure_room_only and room.kind != Room.Kind.PROCEDURE:
        return "room", f"{appointment_type.name} needs a procedure room."
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
    room_need = slots.Interval(starts_at, starts_at + finder.duration + finder.buffer_after)
    for hold in resources.waitlist_holds:
        if (
            hold.practitioner_id == practitioner.pk
            and held.start < hold.ends_at
            and hold.starts_at < held.end
        ) or (
            hold.room_id == room.pk
            and room_need.start < hold.room_free_at
            and hold.starts_at < room_need.end
        ):
            until = timezone.localtime(hold.until, tz)
            return "starts_at", (
                f"This time is held for a waitlist offer until {until:%H:%M}: choose another "
                "time, or book it once the offer has ended."
            )
    if not member.busy.is_free(held):
        return "starts_at", f"{practitioner} is already booked or away at that time."
    finder_room = next((r for r in resources.rooms if r.id == room.pk), None)
    if finder_room is None or not finder_room.busy.is_free(room_need):
        return "room", f"{room.name} is in use (or being turned over) at that time."
    if not resources.patient_busy.is_free(held):
        return "starts_at", "The patient already has an appointment at that time."
    return None
