"""Booking a first consultation online (/book/, no login), and the desk's identity check.

HTTP only: what may be held and booked, the code and its tries are
treatments.services.online_booking's. The visitor's hold is known by a secret token kept in their
session, never by an id in the address. Every response reads the same whether or not the clinic
already knows the visitor.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from clinic import throttle
from clinic.access import DESK, role_required
from clinic.forms import add_service_errors
from treatments.access import get_online_booking_for_user
from treatments.forms.online_booking import (
    ANY,
    BookingDetailsForm,
    CodeForm,
    IdentityForm,
    PractitionerForm,
)
from treatments.models import HOLD_MINUTES
from treatments.services import online_booking
from treatments.views.picker import when

HOLD_KEY = "online_booking_hold"
DONE_KEY = "online_booking_done"
#: The service's keys that are the chosen time on the page.
TIME_FIELDS = {"starts_at": "slot", "practitioner": "slot", "room": "slot"}


def _week_param(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _rows(week):
    """The week's times by the clinic's local day, as the page lists them."""
    groups: dict[dt.date, list] = {}
    for choice in week.choices:
        local = timezone.localtime(choice.start, week.resources.tz)
        groups.setdefault(local.date(), []).append(
            {
                "value": f"{choice.start.isoformat()}|{choice.practitioner_id}|{choice.room_id}",
                "start": local,
                "practitioner": week.resources.staff[choice.practitioner_id],
            }
        )
    return [{"day": day, "times": times} for day, times in sorted(groups.items())]


@login_not_required
@require_http_methods(["GET", "POST"])
def book(request):
    """Choose a practitioner (or any) and a free time, give your details, get a code."""
    clinic = request.clinic
    if not online_booking.booking_open(clinic):
        return render(request, "treatments/online_booking/closed.html")
    params = request.POST if request.method == "POST" else request.GET
    chooser = PractitionerForm(
        {"practitioner": params.get("practitioner") or ANY}, staff=online_booking.practitioners()
    )
    practitioner = chooser.chosen()
    now = timezone.now()
    form = BookingDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts_at, chosen_practitioner, room = form.cleaned_data["slot"]
        try:
            hold = online_booking.hold_create(
                starts_at=starts_at,
                practitioner=chosen_practitioner,
                room=room,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
                mobile=form.cleaned_data["mobile"],
                email=form.cleaned_data["email"],
                address=throttle.client_address(request),
                replacing=request.session.get(HOLD_KEY, ""),
                clinic=clinic,
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error, fields=TIME_FIELDS)
        else:
            request.session[HOLD_KEY] = hold.token
            request.session.pop(DONE_KEY, None)
            return redirect("book_confirm")
    week = online_booking.week_of_times(
        clinic=clinic,
        now=now,
        practitioner=practitioner,
        week_start=_week_param(params.get("week", "")),
    )
    context = {
        "chooser": chooser,
        "practitioner_value": str(practitioner.pk) if practitioner else ANY,
        "form": form,
        "week": week,
        "days": _rows(week),
        "weeks": online_booking.HORIZON_WEEKS,
        "minutes": HOLD_MINUTES,
    }
    return render(request, "treatments/online_booking/book.html", context)


@login_not_required
@require_http_methods(["GET", "POST"])
def book_confirm(request):
    """Enter the code emailed for the held time; the right one books it."""
    clinic = request.clinic
    if not online_booking.booking_open(clinic):
        return render(request, "treatments/online_booking/closed.html")
    token = request.session.get(HOLD_KEY, "")
    hold = online_booking.hold_for(token)
    form = CodeForm(request.POST or None)
    released = ""
    if request.method == "POST" and hold is not None and form.is_valid():
        try:
            booking = online_booking.hold_confirm(
                token=token, code=form.cleaned_data["code"], clinic=clinic
            )
        except ValidationError as error:
            codes = {e.code for e in getattr(error, "error_dict", {}).get("code", [])}
            if codes and "too_many_wrong" not in codes:
                add_service_errors(form, error)
            else:
                released = " ".join(error.messages)
                hold = None
        else:
            appointment = booking.appointment
            request.session.pop(HOLD_KEY, None)
            request.session[DONE_KEY] = {
                "when": when(appointment.starts_at, clinic),
                "with": appointment.practitioner.display_name,
                "what": appointment.appointment_type.name,
            }
            return redirect("book_done")
    if hold is None:
        request.session.pop(HOLD_KEY, None)
    context = {"hold": hold, "form": form, "released": released, "minutes": HOLD_MINUTES}
    if hold is not None:
        context["when"] = when(hold.starts_at, clinic)
    return render(request, "treatments/online_booking/confirm.html", context)


@login_not_required
@require_http_methods(["GET"])
def book_done(request):
    """What was booked (from the visitor's own session: nothing looked up by id)."""
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("book")
    return render(request, "treatments/online_booking/done.html", {"done": done})


# --- The desk --------------------------------------------------------------------------------

HOME_BOOKINGS = 10


def to_check_section(request) -> dict:
    """The desk's home: online bookings whose identity is still to check (two queries)."""
    bookings = online_booking.to_check()
    return {"bookings": list(bookings[:HOME_BOOKINGS]), "total": bookings.count()}


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def online_booking_check(request, pk):
    """Who booked online: confirm a new patient, or link to the record the clinic has."""
    booking = get_online_booking_for_user(request.user, pk)
    candidates = online_booking.candidates(booking)
    form = IdentityForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            checked = online_booking.identity_confirm(
                booking=booking, by=request.user, existing=form.existing()
            )
        except ValidationError as error:
            add_service_errors(form, error, fields={"existing": "who"})
        else:
            linked = checked.booking.linked_to
            if linked is None:
                text = f"{booking.patient.full_name} is confirmed as a new patient."
            elif checked.merge is not None and checked.merge.status == "pending":
                text = (
                    f"The booking is linked to {linked.full_name}: a dermatologist confirms "
                    "the merge of the two records."
                )
            else:
                text = f"The booking now belongs to {linked.full_name}'s record."
            messages.success(request, text)
            return redirect("home")
    context = {"booking": booking, "candidates": candidates, "form": form}
    return render(request, "treatments/online_booking/check.html", context)
