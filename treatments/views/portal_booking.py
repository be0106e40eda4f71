"""The patient books the next session of their course, moves or cancels an appointment, in the
portal. HTTP only: who may book what and when is treatments.services.portal_booking's (and, behind
it, eligibility and scheduling); a refusal is shown in the patient's words next to the time.

A patient reaches only their own plans and appointments (404 for anyone else's id).
"""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from clinic.access import PATIENTS, role_required
from clinic.forms import add_service_errors
from patients.access import get_own_patient
from treatments.access import get_appointment_for_user, get_plan_for_user
from treatments.forms.portal_booking import ChosenTimeForm, PortalCancelForm, choice_value
from treatments.services import portal_booking
from treatments.views.picker import when

#: The service's keys that are the chosen time on these pages.
TIME_FIELDS = {"starts_at": "slot", "practitioner": "slot", "room": "slot"}


def _week_param(request) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return None


def _rows(choices, resources):
    """The week's times grouped by the clinic's local day and practitioner, as the page lists
    them."""
    groups: dict[tuple, list] = {}
    for choice in choices:
        local = timezone.localtime(choice.start, resources.tz)
        groups.setdefault((local.date(), choice.practitioner_id), []).append(
            {"value": choice_value(choice), "start": local}
        )
    return [
        {"day": day, "practitioner": resources.staff[practitioner_id], "times": times}
        for (day, practitioner_id), times in sorted(groups.items(), key=lambda g: g[1][0]["start"])
    ]


def _week_context(week) -> dict:
    return {
        "week": week,
        "same_days": _rows(week.same, week.resources),
        "other_days": _rows(week.others, week.resources),
        "offered": len(week.same) + len(week.others),
    }


@role_required(*PATIENTS)
@require_GET
def portal_book(request):
    """Book a session: the patient's courses with sessions left, each bookable or why not."""
    patient = get_own_patient(request.user)
    options = portal_booking.course_options(patient, clinic=request.clinic, now=timezone.now())
    return render(
        request, "treatments/portal_booking/book.html", {"patient": patient, "options": options}
    )


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_book_plan(request, pk):
    """Choose a time for the next session of a course: only times that keep its interval."""
    plan = get_plan_for_user(request.user, pk)
    patient = plan.patient
    now = timezone.now()
    clinic = request.clinic
    option = next(
        (
            o
            for o in portal_booking.course_options(patient, clinic=clinic, now=now)
            if o.plan == plan
        ),
        None,
    )
    form = ChosenTimeForm(request.POST or None)
    if request.method == "POST" and option is not None and option.bookable and form.is_valid():
        starts_at, practitioner, room = form.cleaned_data["slot"]
        try:
            appointment = portal_booking.portal_session_book(
                plan=plan,
                starts_at=starts_at,
                practitioner=practitioner,
                room=room,
                by=request.user,
                clinic=clinic,
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error, fields=TIME_FIELDS)
        else:
            messages.success(
                request,
                f"Booked: session {option.next_number} on {when(appointment.starts_at, clinic)} "
                f"with {appointment.practitioner}. A confirmation is on its way by email.",
            )
            return redirect("treatments:portal_appointments")
    context = {"plan": plan, "option": option, "form": form}
    if option is not None and option.bookable:
        week = portal_booking.week_of_times(
            patient=patient,
            appointment_type=option.appointment_type,
            clinic=clinic,
            now=now,
            first_day=option.earliest_day,
            week_start=_week_param(request),
            plan=plan,
            preferred=portal_booking.preferred_practitioner(plan),
        )
        context |= _week_context(week)
    return render(request, "treatments/portal_booking/book_plan.html", context)


def _change_context(request, appointment, now) -> dict:
    """The appointment, and why it may not be changed here ("" when it may)."""
    refusal = portal_booking.change_refusal(appointment, clinic=request.clinic, now=now)
    return {
        "appointment": appointment,
        "refused": refusal.messages[0] if refusal is not None else "",
        "inside": refusal is not None and refusal.code == "inside_notice",
    }


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_appointment_move(request, pk):
    """Move an appointment to another time the rules allow, outside the notice window."""
    appointment = get_appointment_for_user(request.user, pk)
    now = timezone.now()
    clinic = request.clinic
    context = _change_context(request, appointment, now)
    form = ChosenTimeForm(request.POST or None)
    if request.method == "POST" and not context["refused"] and form.is_valid():
        starts_at, practitioner, room = form.cleaned_data["slot"]
        try:
            moved = portal_booking.portal_appointment_move(
                appointment=appointment,
                starts_at=starts_at,
                practitioner=practitioner,
                room=room,
                by=request.user,
                clinic=clinic,
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error, fields=TIME_FIELDS)
        else:
            messages.success(
                request,
                f"Moved: your appointment is now on {when(moved.starts_at, clinic)} with "
                f"{moved.practitioner}. We have emailed you the new time.",
            )
            return redirect("treatments:portal_appointments")
    context["form"] = form
    if not context["refused"]:
        week = portal_booking.week_of_times(
            patient=appointment.patient,
            appointment_type=appointment.appointment_type,
            clinic=clinic,
            now=now,
            first_day=portal_booking.move_first_day(appointment, clinic=clinic, now=now),
            week_start=_week_param(request),
            plan=appointment.plan if appointment.is_treatment_session else None,
            moving=appointment,
            preferred=appointment.practitioner,
        )
        context |= _week_context(week)
    return render(request, "treatments/portal_booking/move.html", context)


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_appointment_cancel(request, pk):
    """Cancel an appointment, with a reason, outside the notice window."""
    appointment = get_appointment_for_user(request.user, pk)
    now = timezone.now()
    context = _change_context(request, appointment, now)
    form = PortalCancelForm(request.POST or None)
    if request.method == "POST" and not context["refused"] and form.is_valid():
        try:
            portal_booking.portal_appointment_cancel(
                appointment=appointment,
                reason=form.cleaned_data["reason"],
                by=request.user,
                clinic=request.clinic,
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Cancelled: your appointment on {when(appointment.starts_at, request.clinic)}. "
                "We have emailed you to confirm.",
            )
            return redirect("treatments:portal_appointments")
    context["form"] = form
    return render(request, "treatments/portal_booking/cancel.html", context)
