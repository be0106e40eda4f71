"""iCalendar (RFC 5545) for appointments: one appointment as an .ics file, a practitioner's feed.

Times are written as the clinic's local wall-clock time with ``TZID=<the clinic's zone>`` and a
VTIMEZONE that describes that zone over the span of the calendar, so that a calendar app shows
10:00 for a 10:00 appointment on either side of a daylight-saving change.

An appointment keeps one UID for life; its SEQUENCE is the appointment's ``schedule_version``,
which every move and cancellation raises, so that a calendar app replaces the old copy.

What each audience sees: the patient's copy names the clinic, the room, the practitioner and the
pre-visit instructions; a practitioner's copy (their feed) names the patient and the appointment
type and nothing clinical, because calendar apps keep feeds on servers the clinic does not run.
"""

import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.utils import dateformat, timezone
from icalendar import Calendar, Event, Timezone, vCalAddress

from clinic.lib.aftercare import PRE_VISIT
from clinic.lib.vocabulary import Route
from clinic.models import ClinicSettings, StaffProfile
from treatments.models import Appointment, AppointmentStatus

PRODID = "-//Exoclinic//Appointments//EN"
#: How often calendar apps are asked to fetch a feed again.
FEED_REFRESH = dt.timedelta(minutes=15)
#: The span of a practitioner's feed, around today .
FEED_PAST = dt.timedelta(days=30)
FEED_AHEAD = dt.timedelta(days=365)

PUBLISH = "PUBLISH"  # a file to add to a calendar
REQUEST = "REQUEST"  # an email invitation: add or update
CANCEL = "CANCEL"  # an email notice: remove


def format_when(moment: dt.datetime) -> str:
    """'Monday 30 March 2026, 10:00': an aware time as the clinic's clock shows it.

    ``moment`` must already be in the clinic's zone (see ``Details.starts``).
    """
    return dateformat.format(moment, "l j F Y, H:i")


@dataclass(frozen=True, slots=True)
class Details:
    """What a patient is told about an appointment, in emails and calendar files alike."""

    starts: dt.datetime  # in the clinic's zone
    ends: dt.datetime  # in the clinic's zone
    when: str  # 'Monday 30 March 2026, 10:00'
    what: str  # the appointment type's name
    practitioner: str  # 'Dr Amelia Hart'
    room: str
    clinic_name: str
    address_lines: tuple[str, ...]
    phone: str
    # docs/clinical-rules.md §Pre-visit instructions, for treatments with a route.
    pre_visit: tuple[str, ...]

    @property
    def place(self) -> str:
        """'Exoclinic, Treatment room A, 12 Harley Street, London W1G 9PF'."""
        return ", ".join((self.clinic_name, self.room, *self.address_lines))


def details_for(appointment: Appointment, clinic: ClinicSettings) -> Details:
    """The patient-facing facts of ``appointment``; times on the clinic's clock."""
    zone = clinic.zone
    starts = timezone.localtime(appointment.starts_at, zone)
    route = appointment.appointment_type.route
    return Details(
        starts=starts,
        ends=timezone.localtime(appointment.ends_at, zone),
        when=format_when(starts),
        what=appointment.appointment_type.name,
        practitioner=appointment.practitioner.display_name,
        room=appointment.room.name,
        clinic_name=clinic.name,
        address_lines=tuple(line.strip() for line in clinic.address.splitlines() if line.strip()),
        phone=clinic.phone,
        pre_visit=PRE_VISIT[Route(route)] if route else (),
    )


def appointment_uid(appointment: Appointment) -> str:
    return f"appointment-{appointment.pk}@exoclinic"


def _clinic_address(clinic: ClinicSettings) -> str:
    """The clinic's email address for ORGANIZER: its own, else the sender of every email."""
    return clinic.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _status(appointment: Appointment, method: str) -> str:
    if method == CANCEL or appointment.status == AppointmentStatus.CANCELLED:
        return "CANCELLED"
    return "CONFIRMED"


def _patient_event(appointment: Appointment, clinic: ClinicSettings, method: str) -> Event:
    facts = details_for(appointment, clinic)
    lines = [f"{facts.what} with {facts.practitioner}.", f"Where: {facts.place}."]
    if facts.pre_visit:
        lines += ["", "Before your visit:", *(f"- {item}." for item in facts.pre_visit)]
    if facts.phone:
        lines += ["", f"To move or cancel, call {facts.clinic_name} on {facts.phone}."]
    event = Event.new(
        uid=appointment_uid(appointment),
        sequence=appointment.schedule_version,
        start=facts.starts,
        end=facts.ends,
        summary=f"{facts.what} at {facts.clinic_name}",
        location=facts.place,
        description="\n".join(lines),
        status=_status(appointment, method),
        created=appointment.created_at,
    )
    if method in (REQUEST, CANCEL):
        # An invitation (iTIP, RFC 5546) names who organises it and who attends.
        organizer = vCalAddress(f"mailto:{_clinic_address(clinic)}")
        organizer.params["CN"] = clinic.name
        attendee = vCalAddress(f"mailto:{appointment.patient.email}")
        attendee.params["CN"] = appointment.patient.full_name
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "ACCEPTED"
        attendee.params["RSVP"] = "FALSE"
        event.add("ORGANIZER", organizer)
        event.add("ATTENDEE", attendee)
    return event


def _staff_event(appointment: Appointment, clinic: ClinicSettings, *, names: bool = True) -> Event:
    """``names``: the patient's name, or only their record number ("Microneedling (patient
    12)"), as a feed sends unless the clinic turns names on: calendar services keep copies."""
    zone = clinic.zone
    status = AppointmentStatus(appointment.status)
    what = appointment.appointment_type.name
    if names:
        summary = f"{appointment.patient.full_name}: {what}"
        description = f"{what} with {appointment.patient.full_name} in {appointment.room.name}. "
    else:
        summary = f"{what} (patient {appointment.patient_id})"
        description = f"{what} in {appointment.room.name}. "
    return Event.new(
        uid=appointment_uid(appointment),
        sequence=appointment.schedule_version,
        start=timezone.localtime(appointment.starts_at, zone),
        end=timezone.localtime(appointment.ends_at, zone),
        summary=summary,
        location=f"{appointment.room.name}, {clinic.name}",
        description=description + f"Status: {status.label.lower()}.",
        status=_status(appointment, PUBLISH),
        created=appointment.created_at,
    )


def _calendar(
    events: list[Event], *, clinic: ClinicSettings, method: str, first: dt.date, last: dt.date, **kw
) -> Calendar:
    calendar = Calendar.new(prodid=PRODID, method=method, **kw)
    # The clinic's zone over the span of the calendar (a year either side is cheap and covers
    # clients that expand a little beyond the events).
    calendar.add_component(
        Timezone.from_tzid(
            clinic.time_zone,
            first_date=dt.date(first.year - 1, 1, 1),
            last_date=dt.date(last.year + 2, 1, 1),
        )
    )
    for event in events:
        calendar.add_component(event)
    return calendar


def appointment_ics(
    appointment: Appointment,
    *,
    method: str = PUBLISH,
    audience: str = "patient",
    clinic: ClinicSettings | None = None,
) -> bytes:
    """One appointment as an iCalendar file.

    ``method``: PUBLISH for a download, REQUEST for an email invitation (booked, moved,
    reminder), CANCEL for a cancellation notice. ``audience``: "patient" or "staff".
    """
    clinic = clinic or ClinicSettings.load()
    if audience == "patient":
        event = _patient_event(appointment, clinic, method)
    elif audience == "staff":
        event = _staff_event(appointment, clinic)
    else:
        raise ValueError(f"Unknown audience {audience!r}: 'patient' or 'staff'.")
    day = timezone.localtime(appointment.starts_at, clinic.zone).date()
    return _calendar([event], clinic=clinic, method=method, first=day, last=day).to_ical()


def feed_window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    now = now or timezone.now()
    return now - FEED_PAST, now + FEED_AHEAD


def feed_ics(
    staff: StaffProfile,
    *,
    start: dt.datetime,
    end: dt.datetime,
    clinic: ClinicSettings | None = None,
) -> bytes:
    """A practitioner's appointments that start in ``[start, end)``, as a subscribable calendar.

    Cancelled appointments are left out, so a calendar app drops them on its next refresh. One
    query for the appointments, whatever their number.
    """
    clinic = clinic or ClinicSettings.load()
    appointments = (
        Appointment.objects.holding()
        .filter(practitioner=staff, starts_at__gte=start, starts_at__lt=end)
        .with_calendar_details()
        .order_by("starts_at", "pk")
    )
    names = clinic.feed_shows_patient_names
    events = [_staff_event(appointment, clinic, names=names) for appointment in appointments]
    zone = clinic.zone
    calendar = _calendar(
        events,
        clinic=clinic,
        method=PUBLISH,
        first=timezone.localtime(start, zone).date(),
        last=timezone.localtime(end, zone).date(),
        name=f"{clinic.name}: {staff.display_name}",
        uid=f"feed-{staff.pk}@exoclinic",
        refresh_interval=FEED_REFRESH,
    )
    calendar.add("X-PUBLISHED-TTL", FEED_REFRESH)  # the older name of REFRESH-INTERVAL
    return calendar.to_ical()
