"""The calendar: day and week views for the front desk and dermatologists, the page that books a
free quarter hour, the short address everyone's week links each appointment by (a redirect to its
page), and the home sections with today's appointments and those that need moving.

``treatments.services.calendar`` loads what a page shows in a fixed number of queries;
``treatments.presentation.calendar`` lays it out. The date, the toggle and the arrows are plain
links that htmx turns into swaps of the calendar alone (``hx-get`` with the page's own URL): the
server answers an htmx request (``request.htmx``, django-htmx) with the ``calendar`` template
partial, anything else with the whole page, and says so in ``Vary: HX-Request``.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from clinic.access import DESK, get_visible_or_404, role_required
from treatments.access import appointments_for_user
from treatments.forms.calendar import EARLIEST, LATEST, BookAtForm, DateForm, WeekForm
from treatments.presentation import calendar
from treatments.presentation.calendar import By, Listed, Resource
from treatments.services import calendar as service
from treatments.views.intake import with_intake_status

CALENDAR_ROLES = DESK
PATIENT_MATCHES = 10
#: How many appointments that need moving the desk's home lists (with the total).
TO_MOVE_SHOWN = 20
TEMPLATE = "treatments/calendar/calendar.html"


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


def _detail_url() -> _Link:
    return _Link("treatments:appointment_detail")


def _book_url():
    book_at = reverse("treatments:calendar_book_at")

    def make(at: dt.datetime, resource: Resource) -> str:
        return _with_query(
            book_at, at=at.isoformat(timespec="minutes"), **{resource.by: resource.id}
        )

    return make


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


# --- The pages --------------------------------------------------------------------------------


def _is_htmx(request) -> bool:
    """An htmx swap (not a history restore, which needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _respond(request, context: dict, canonical: str):
    """The calendar partial for an htmx swap, else the whole page; either varies on HX-Request."""
    htmx = _is_htmx(request)
    context["htmx"] = htmx
    if context["grid"] is not None:
        context["body"] = calendar.grid_body(context["grid"], context["where"])
    response = render(request, f"{TEMPLATE}#calendar" if htmx else TEMPLATE, context)
    if htmx:
        # The address bar shows what is shown, also after a fallback from a bad parameter.
        response["HX-Push-Url"] = canonical
    patch_vary_headers(response, ["HX-Request"])
    return response


@role_required(*CALENDAR_ROLES)
@require_GET
def calendar_day(request):
    clinic = request.clinic
    today = clinic.today()
    params = _params(request, today, with_who=False)  # the day view shows every column
    day, by = params.day, params.by
    data = service.calendar_day(clinic=clinic, day=day, by=by)
    grid = calendar.day_grid(
        day=day,
        tz=clinic.zone,
        by=by,
        clinic_hours=data.clinic_hours,
        resources=data.resources,
        entries=data.entries,
        now=timezone.now(),
        book_url=_book_url(),
        detail_url=_detail_url(),
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
    return _respond(request, context, links["day"])


@role_required(*CALENDAR_ROLES)
@require_GET
def calendar_week(request):
    clinic = request.clinic
    today = clinic.today()
    params = _params(request, today, with_who=True)
    by = params.by
    monday = calendar.week_start(params.day)
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    data = service.calendar_week(clinic=clinic, days=days, by=by, who=params.who)
    chosen = data.chosen
    if params.who is not None and chosen is None:
        params.notices.append(f"No such {by}: showing all {by.label}.")

    day_url = reverse("treatments:calendar_day")
    week_url = reverse("treatments:calendar_week")
    who = chosen.id if chosen else None
    grid = calendar.week_grid(
        days=days,
        tz=clinic.zone,
        clinic_hours=data.clinic_hours,
        resource=chosen,
        entries=data.entries,
        now=timezone.now(),
        today=today,
        book_url=_book_url(),
        detail_url=_detail_url(),
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
            initial={"date": params.day, "who": str(who or "")}, resources=data.resources, by=by
        ),
        "who": who,
        "chosen": chosen,
        "where": where,
        "heading": heading,
        "caption": f"Appointments in the {heading[0].lower()}{heading[1:]}, one column per day",
        "previous_label": "Previous week",
        "next_label": "Next week",
    }
    return _respond(request, context, links["week"])


@role_required(*DESK)  # the roles of the appointment's page (scheduling.appointment_detail)
@require_GET
def calendar_appointment(request, pk):
    """The short address everyone's week links each appointment by (``../a/<pk>``, two
    thousand of them on a busy week): a redirect to the appointment's page, for those who may
    open that page; 404 for an appointment they may not see."""
    appointment = get_visible_or_404(appointments_for_user(request.user).only("pk"), pk)
    return redirect("treatments:appointment_detail", pk=appointment.pk)


# --- Booking a free quarter hour -------------------------------------------------------------


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
        found = service.patients_matching(query, limit=PATIENT_MATCHES)
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


def desk_schedule(request) -> dict:
    """Every appointment today in time order with its consultation's intake status, and the
    appointments that need moving (their practitioner is away), in four queries at most."""
    detail = _detail_url()
    to_move, total = service.appointments_to_move(clinic=request.clinic, limit=TO_MOVE_SHOWN)
    return {
        "items": with_intake_status(
            calendar.in_time_order(service.appointments_today(clinic=request.clinic), detail)
        ),
        "to_move": [Listed(entry, detail(entry.pk)) for entry in to_move],
        "to_move_total": total,
    }


def dermatologist_today(request) -> dict:
    """The signed-in dermatologist's own appointments today with their intake status, in two
    queries."""
    entries = service.appointments_today(clinic=request.clinic, practitioner=request.user)
    return {"items": with_intake_status(calendar.in_time_order(entries, _detail_url()))}
