"""The calendar (issue 5): day and week views for the front desk and dermatologists, the page
that books a free quarter hour, and the home sections with today's appointments.

The pages load what they show in a fixed number of queries, however many appointments there are
(opening hours, practitioners with their working hours and time off, rooms, the appointments);
``treatments.presentation.calendar`` lays it out. The date, the toggle and the arrows are plain links that htmx
turns into swaps of the calendar alone (``hx-get`` with the page's own URL): the server answers an
htmx request with the ``calendar`` template partial, anything else with the whole page.
"""

import datetime as dt
import html
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from clinic.access import role_required
from clinic.models import ClinicSettings, Role, Room, StaffProfile, TimeOff
from patients.models import Patient
from treatments.models import Appointment
from treatments.presentation import calendar
from treatments.presentation.calendar import By, Entry, Resource

CALENDAR_ROLES = (Role.FRONT_DESK, Role.DERMATOLOGIST)
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)
PATIENT_MATCHES = 10
#: No appointment runs longer than this with its room's turnover (AppointmentType: at most 480
#: minutes, and 120 of turnover). Bounding the start on both sides lets the database read the
#: days shown from the start-time index instead of scanning every appointment ever booked.
LONGEST = dt.timedelta(minutes=480 + 120)


# --- Links ------------------------------------------------------------------------------------


class _Link:
    """A URL with one primary key, reversed once and filled in per row.

    A week of a busy clinic has two thousand blocks; ``reverse()`` for each costs more than
    laying the block out.
    """

    _MARK = 987654321

    def __init__(self, name: str, key: str = "pk"):
        url = reverse(name, kwargs={key: self._MARK})
        self.head, self.tail = url.split(str(self._MARK))

    def __call__(self, pk: int) -> str:
        return f"{self.head}{pk}{self.tail}"


def _with_query(url: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


# --- Loading ----------------------------------------------------------------------------------

ENTRY_FIELDS = (
    "pk",
    "starts_at",
    "ends_at",
    "room_free_at",
    "status",
    "late_cancellation",
    "patient__first_name",
    "patient__last_name",
    "kind__name",
    "kind__kind",
    "kind__route",
    "practitioner_id",
    "practitioner__title",
    "practitioner__user__first_name",
    "practitioner__user__last_name",
    "practitioner__user__email",
    "room_id",
    "room__name",
)


def _staff_name(title: str, first: str, last: str, email: str) -> str:
    """StaffProfile.display_name from the joined columns."""
    return f"{title} {f'{first} {last}'.strip() or email}".strip()


def overlapping(appointments, start: dt.datetime, end: dt.datetime, *, room_time=False):
    """The appointments that overlap [start, end), with the room's turnover when ``room_time``."""
    appointments = appointments.filter(starts_at__gte=start - LONGEST, starts_at__lt=end)
    if room_time:
        return appointments.filter(room_free_at__gt=start)
    return appointments.filter(ends_at__gt=start)


def load_entries(appointments, tz) -> list[Entry]:
    """The appointments as the calendar shows them, in one query.

    One row of plain values per appointment, joined with its patient, type, practitioner and
    room: on a busy week this is several times faster than building five model instances each.
    """
    rows = appointments.order_by("starts_at", "pk").values_list(*ENTRY_FIELDS)
    return [
        Entry(
            pk=pk,
            starts_at=starts_at.astimezone(tz),
            ends_at=ends_at.astimezone(tz),
            room_free_at=room_free_at.astimezone(tz),
            status=status,
            late_cancellation=late,
            patient_name=f"{first} {last}",
            kind_name=kind_name,
            kind=kind,
            route=route,
            practitioner_id=practitioner_id,
            practitioner_name=_staff_name(title, staff_first, staff_last, staff_email),
            room_id=room_id,
            room_name=room_name,
        )
        for (
            pk,
            starts_at,
            ends_at,
            room_free_at,
            status,
            late,
            first,
            last,
            kind_name,
            kind,
            route,
            practitioner_id,
            title,
            staff_first,
            staff_last,
            staff_email,
            room_id,
            room_name,
        ) in rows
    ]


def clinic_hours(clinic: ClinicSettings) -> dict[int, list[calendar.Span]]:
    hours: dict[int, list[calendar.Span]] = defaultdict(list)
    for day in clinic.opening_hours.all():
        if not day.closed:
            hours[day.weekday].append((day.opens, day.closes))
    return dict(hours)


def practitioners(start: dt.datetime, end: dt.datetime) -> list[Resource]:
    """Active practitioners with their working hours and their time off in [start, end)."""
    away = defaultdict(list)
    for off in TimeOff.objects.filter(
        staff__is_practitioner=True, starts_at__lt=end, ends_at__gt=start
    ).only("staff_id", "starts_at", "ends_at"):
        away[off.staff_id].append((off.starts_at, off.ends_at))
    staff = StaffProfile.objects.bookable().prefetch_related("working_hours")
    resources = []
    for member in staff:
        hours: dict[int, list[calendar.Span]] = defaultdict(list)
        for span in member.working_hours.all():
            hours[span.weekday].append((span.starts, span.ends))
        resources.append(
            Resource(
                by=By.PRACTITIONER,
                id=member.pk,
                name=member.display_name,
                hours=dict(hours),
                away=tuple(away[member.pk]),
            )
        )
    return resources


def rooms() -> list[Resource]:
    return [
        Resource(by=By.ROOM, id=room.pk, name=room.name)
        for room in Room.objects.filter(active=True).only("pk", "name")
    ]


def _with_others(resources: list[Resource], entries: list[Entry], by: By) -> list[Resource]:
    """The active resources, and any other that has an appointment shown (a practitioner who has
    left, a room no longer in use): their appointments are still on the calendar."""
    known = {resource.id for resource in resources}
    others: dict[int, Resource] = {}
    for entry in entries:
        pk = entry.resource_id(by)
        if pk not in known and pk not in others:
            name = entry.practitioner_name if by is By.PRACTITIONER else entry.room_name
            others[pk] = Resource(by=by, id=pk, name=name, active=False)
    return resources + sorted(others.values(), key=lambda r: r.name)


# --- The grid's HTML ---------------------------------------------------------------------------


def grid_body(grid: calendar.Grid, where: str) -> SafeString:
    """The rows of the calendar table, as HTML.

    Built here rather than in the template: a week of a busy clinic has two thousand blocks and
    five thousand cells, and the template engine took over 150 ms of CPU to write them where
    these few string operations take a tenth of that. Every value is escaped.
    """
    escaped: dict[str, str] = {}  # names, types and times repeat: escape each once

    def esc(value: str) -> str:
        text = escaped.get(value)
        if text is None:
            text = escaped[value] = html.escape(value)
        return text

    out: list[str] = []
    for row in grid.rows:
        out.append('<tr class="cal-hour">' if row.on_the_hour else "<tr>")
        out.append(f'<th scope="row" class="cal-time">{esc(row.label)}</th>')
        for cell in row.cells:
            entry = cell.entry
            if entry is not None:
                other = entry.room_name if where == "room" else entry.practitioner_name
                when, patient = esc(entry.time_text), esc(entry.patient_name)
                kind, status = esc(entry.type_text), esc(entry.status_label)
                out.append(
                    f'<td rowspan="{cell.rowspan}" class="{esc(cell.css)}">'
                    f'<a class="cal-link" href="{esc(cell.url)}" '
                    f'title="{when} {patient}, {kind}, {status}">'
                    f'<span class="cal-when">{when}</span> '
                    f'<span class="cal-patient">{patient}</span> '
                    f'<span class="cal-status">{status}</span> '
                    f'<span class="cal-type">{kind}</span> '
                    f'<span class="cal-where">{esc(other)}</span></a></td>'
                )
            elif cell.url:
                out.append(
                    f'<td class="cal-free"><a class="cal-free-link" href="{esc(cell.url)}">'
                    f'<span class="visually-hidden">{esc(cell.label)}</span></a></td>'
                )
            elif cell.label:
                out.append(
                    f'<td rowspan="{cell.rowspan}" class="{esc(cell.css)}">{esc(cell.label)}</td>'
                )
            else:
                out.append(f'<td class="{esc(cell.css)}"></td>')
        out.append("</tr>\n")
    return mark_safe("".join(out))  # every value above is escaped


# --- Parameters -------------------------------------------------------------------------------


@dataclass
class Params:
    day: dt.date
    by: By
    who: int | None = None
    notices: list[str] = field(default_factory=list)


def _params(request, today: dt.date, *, with_who: bool) -> Params:
    """Read date, by (and who); anything unreadable falls back, with a notice saying so."""
    params = Params(day=today, by=By.PRACTITIONER)
    raw_date = request.GET.get("date", "").strip()
    if raw_date:
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            params.notices.append(
                f"“{raw_date[:40]}” is not a date (write it as 2026-03-31): showing today."
            )
        else:
            if EARLIEST <= day <= LATEST:
                params.day = day
            else:
                params.notices.append(
                    f"The calendar shows the years {EARLIEST.year} to {LATEST.year}: showing today."
                )
    raw_by = request.GET.get("by", "").strip()
    if raw_by:
        try:
            params.by = By(raw_by)
        except ValueError:
            params.notices.append(
                f"“{raw_by[:40]}” is not a way to show the calendar: showing practitioners."
            )
    raw_who = request.GET.get("who", "").strip() if with_who else ""
    if raw_who:
        try:
            params.who = int(raw_who)
        except ValueError:
            params.notices.append(f"No such {params.by}: showing all {params.by.label}.")
    return params


class DateForm(forms.Form):
    date = forms.DateField(
        label="Go to date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class WeekForm(DateForm):
    who = forms.ChoiceField(label="Show", required=False)

    def __init__(self, *args, resources, by: By, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("", f"All {by.label}")] + [
            (str(resource.id), resource.name) for resource in resources
        ]


# --- The pages --------------------------------------------------------------------------------


def _is_htmx(request) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _respond(request, template: str, context: dict, canonical: str):
    htmx = _is_htmx(request)
    context["htmx"] = htmx
    if context["grid"] is not None:
        context["body"] = grid_body(context["grid"], context["where"])
    response = render(request, f"{template}#calendar" if htmx else template, context)
    if htmx:
        # The address bar shows what is shown, also after a fallback from a bad parameter.
        response["HX-Push-Url"] = canonical
    patch_vary_headers(response, ["HX-Request"])
    return response


def _today(clinic) -> dt.date:
    return timezone.localdate(timezone.now(), clinic.zone)


def _book_url():
    book_at = reverse("treatments:calendar_book_at")

    def make(at: dt.datetime, resource: Resource) -> str:
        return _with_query(
            book_at, at=at.isoformat(timespec="minutes"), **{resource.by: resource.id}
        )

    return make


@role_required(*CALENDAR_ROLES)
@require_GET
def calendar_day(request):
    clinic = request.clinic
    tz = clinic.zone
    today = _today(clinic)
    params = _params(request, today, with_who=False)  # the day view shows every column
    day, by = params.day, params.by
    start, end = calendar.day_bounds(day, tz)

    appointments = overlapping(Appointment.objects.all(), start, end, room_time=by is By.ROOM)
    resources = rooms() if by is By.ROOM else practitioners(start, end)
    entries = load_entries(appointments, tz)
    grid = calendar.day_grid(
        day=day,
        tz=tz,
        by=by,
        clinic_hours=clinic_hours(clinic),
        resources=_with_others(resources, entries, by),
        entries=entries,
        now=timezone.now(),
        book_url=_book_url(),
        detail_url=_Link("treatments:appointment_detail"),
    )

    day_url = reverse("treatments:calendar_day")
    week_url = reverse("treatments:calendar_week")
    one_day = dt.timedelta(days=1)
    links = {
        "previous": _with_query(day_url, date=(day - one_day).isoformat(), by=by),
        "next": _with_query(day_url, date=(day + one_day).isoformat(), by=by),
        "today": _with_query(day_url, date=today.isoformat(), by=by),
        "by_practitioner": _with_query(day_url, date=day.isoformat(), by=By.PRACTITIONER),
        "by_room": _with_query(day_url, date=day.isoformat(), by=By.ROOM),
        "day": _with_query(day_url, date=day.isoformat(), by=by),
        "week": _with_query(week_url, date=day.isoformat(), by=by),
        "form": day_url,
    }
    context = {
        "view": "day",
        "day": day,
        "by": by,
        "today": today,
        "is_today": day == today,
        "grid": grid,
        "links": links,
        "notices": params.notices,
        "form": DateForm(initial={"date": day}),
        "where": "room" if by is By.PRACTITIONER else "practitioner",
        "heading": f"{day:%A} {day.day} {day:%B %Y}",
        "caption": f"Appointments on {day:%A} {day.day} {day:%B %Y}, one column per {by}",
        "previous_label": "Previous day",
        "next_label": "Next day",
    }
    return _respond(request, "treatments/calendar/calendar.html", context, links["day"])


@role_required(*CALENDAR_ROLES)
@require_GET
def calendar_week(request):
    clinic = request.clinic
    tz = clinic.zone
    today = _today(clinic)
    params = _params(request, today, with_who=True)
    by = params.by
    monday = calendar.week_start(params.day)
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    start, _ = calendar.day_bounds(days[0], tz)
    _, end = calendar.day_bounds(days[-1], tz)

    resources = practitioners(start, end) if by is By.PRACTITIONER else rooms()
    chosen = None
    if params.who is not None:
        chosen = next((r for r in resources if r.id == params.who), None)
        if chosen is None:
            params.notices.append(f"No such {by}: showing all {by.label}.")
    appointments = overlapping(Appointment.objects.all(), start, end, room_time=by is By.ROOM)
    if chosen is not None:
        appointments = appointments.filter(
            Q(practitioner_id=chosen.id) if by is By.PRACTITIONER else Q(room_id=chosen.id)
        )
    entries = load_entries(appointments, tz)

    day_url = reverse("treatments:calendar_day")
    week_url = reverse("treatments:calendar_week")
    who = chosen.id if chosen else None
    grid = calendar.week_grid(
        days=days,
        tz=tz,
        clinic_hours=clinic_hours(clinic),
        resource=chosen,
        entries=entries,
        now=timezone.now(),
        today=today,
        book_url=_book_url(),
        detail_url=_Link("treatments:appointment_detail"),
        day_url=lambda d: _with_query(day_url, date=d.isoformat(), by=by),
    )
    one_week = dt.timedelta(days=7)
    links = {
        "previous": _with_query(week_url, date=(monday - one_week).isoformat(), by=by, who=who),
        "next": _with_query(week_url, date=(monday + one_week).isoformat(), by=by, who=who),
        "today": _with_query(week_url, date=today.isoformat(), by=by, who=who),
        "by_practitioner": _with_query(week_url, date=monday.isoformat(), by=By.PRACTITIONER),
        "by_room": _with_query(week_url, date=monday.isoformat(), by=By.ROOM),
        "day": _with_query(day_url, date=params.day.isoformat(), by=by),
        "week": _with_query(week_url, date=monday.isoformat(), by=by, who=who),
        "form": week_url,
    }
    sunday = days[-1]
    span = f"{monday.day} {monday:%B}"
    if monday.year != sunday.year:
        span += f" {monday.year}"
    heading = f"Week of {span} to {sunday.day} {sunday:%B %Y}"
    if chosen is not None:
        heading += f": {chosen.name}"
    if chosen is None:
        where = "practitioner" if by is By.PRACTITIONER else "room"
    else:
        where = "room" if by is By.PRACTITIONER else "practitioner"
    context = {
        "view": "week",
        "day": params.day,
        "by": by,
        "today": today,
        "is_today": monday <= today <= sunday,
        "grid": grid,
        "links": links,
        "notices": params.notices,
        "form": WeekForm(
            initial={"date": params.day, "who": str(who or "")}, resources=resources, by=by
        ),
        "who": who,
        "chosen": chosen,
        "where": where,
        "heading": heading,
        "caption": f"Appointments in the {heading[0].lower()}{heading[1:]}, one column per day",
        "previous_label": "Previous week",
        "next_label": "Next week",
    }
    return _respond(request, "treatments/calendar/calendar.html", context, links["week"])


# --- Booking a free quarter hour -------------------------------------------------------------


class BookAtForm(forms.Form):
    """The time and practitioner or room of a free cell, and a search for the patient."""

    at = forms.DateTimeField(widget=forms.HiddenInput)
    practitioner = forms.ModelChoiceField(
        queryset=StaffProfile.objects.bookable(),
        required=False,
        widget=forms.HiddenInput,
    )
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(active=True), required=False, widget=forms.HiddenInput
    )
    q = forms.CharField(
        label="Find the patient",
        required=False,
        max_length=100,
        help_text="Name, date of birth (23/11/1985), mobile or email.",
    )

    def __init__(self, *args, now: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now

    def clean_at(self):
        at = self.cleaned_data["at"]
        if not EARLIEST <= at.date() <= LATEST:
            raise forms.ValidationError("That date is outside the calendar. Choose a time in it.")
        if at < self.now:
            raise forms.ValidationError("That time has passed. Choose a free time in the calendar.")
        return at


@role_required(*CALENDAR_ROLES)
@require_GET
def calendar_book_at(request):
    """Who is the appointment for? Matching patients link on to the booking page, with the time,
    practitioner and room of the cell passed as ``?at=...&practitioner=...&room=...``."""
    tz = request.clinic.zone
    form = BookAtForm(request.GET, now=timezone.now())
    form.is_valid()
    where = ("at", "practitioner", "room")
    problems = [error for name in where for error in form.errors.get(name, [])]
    context = {"form": form, "problems": problems, "patients": [], "query": ""}
    if problems:
        context["back"] = reverse("treatments:calendar_day")
        return render(request, "treatments/calendar/book_at.html", context, status=400)

    data = form.cleaned_data
    at = data["at"].astimezone(tz)
    practitioner, room = data["practitioner"], data["room"]
    query = data.get("q", "").strip()
    book = _Link("treatments:appointment_new", key="patient_pk")
    prefill = {
        "at": at.isoformat(timespec="minutes"),
        "practitioner": practitioner.pk if practitioner else None,
        "room": room.pk if room else None,
    }
    matches = []
    if query:
        found = (
            Patient.objects.active()
            .search(query)
            .only("first_name", "last_name", "date_of_birth")[:PATIENT_MATCHES]
        )
        matches = [(patient, _with_query(book(patient.pk), **prefill)) for patient in found]
    by = By.ROOM if room and not practitioner else By.PRACTITIONER
    context |= {
        "at": at,
        "practitioner": practitioner,
        "room": room,
        "query": query,
        "patients": matches,
        "back": _with_query(reverse("treatments:calendar_day"), date=at.date().isoformat(), by=by),
    }
    return render(request, "treatments/calendar/book_at.html", context)


# --- Home sections ----------------------------------------------------------------------------


def _todays(request, appointments) -> list[calendar.Listed]:
    clinic = request.clinic
    start, end = calendar.day_bounds(_today(clinic), clinic.zone)
    entries = load_entries(overlapping(appointments, start, end), clinic.zone)
    return calendar.in_time_order(entries, _Link("treatments:appointment_detail"))


def desk_schedule(request) -> dict:
    """Every appointment today, in time order, in one query."""
    return {"items": _todays(request, Appointment.objects.all())}


def dermatologist_today(request) -> dict:
    """The signed-in dermatologist's own appointments today, in one query."""
    return {"items": _todays(request, Appointment.objects.filter(practitioner__user=request.user))}
