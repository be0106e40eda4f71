"""Booking one appointment, for the front desk and dermatologists: find a free time and confirm
it, type a time already agreed, or book at a time chosen in the calendar. The rules are
treatments.services.scheduling's; a refusal is shown at the field it names."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from clinic.access import DESK, role_required
from patients.access import get_patient_for_user
from patients.models import Patient
from treatments.forms.scheduling import (
    FIRST_YEAR,
    LAST_YEAR,
    ApprovalRequestForm,
    BookingForm,
    BookingSearchForm,
)
from treatments.models import TreatmentPlan
from treatments.presentation.slots import with_query
from treatments.services import scheduling
from treatments.views.picker import (
    ask_context,
    ask_for_approval,
    booking_picker,
    search_errors,
    show_errors,
    slots_context,
    summary_of,
    when,
)

SEARCH_KEYS = ("type", "plan", "practitioner", "room", "start", "end")


def _search_data(source, patient: Patient) -> dict | None:
    """The search as the query asks it, or None when nothing was asked. A plan alone (a link
    from the chart) chooses its route's treatment type."""
    if not any(source.get(key) for key in SEARCH_KEYS):
        return None
    data = {key: source.get(key, "") for key in SEARCH_KEYS}
    if data["plan"] and not data["type"]:
        plan = TreatmentPlan.objects.filter(patient=patient, pk=_int(data["plan"])).first()
        appointment_type = scheduling.treatment_type_for(plan.route) if plan else None
        data["type"] = str(appointment_type.pk) if appointment_type else ""
    return data


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _prefilled_time(value: str) -> dt.datetime | None:
    """``?at=`` from the calendar: an ISO 8601 instant (a "+" may arrive as a space)."""
    if not value:
        return None
    try:
        at = dt.datetime.fromisoformat(value.strip().replace(" ", "+"))
    except ValueError:
        return None
    if timezone.is_naive(at) or not FIRST_YEAR <= at.year <= LAST_YEAR:
        return None
    return at


def _typed_initial(data: dict) -> dict:
    return {
        "type": data.get("type"),
        "plan": data.get("plan"),
        "practitioner": data.get("practitioner"),
        "room": data.get("room"),
    }


def _new_context(request, *, patient, search, form, can_approve, **extra) -> dict:
    """The booking page (or its free times): with a valid search, the free times and the typed
    form; ``extra``: the step's own values (confirming, choosing, summary, ask)."""
    picker = booking_picker(patient)
    context = {
        "patient": patient,
        "search": search,
        "form": form,
        "confirming": False,
        "choosing": False,
        "summary": None,
        "ask": None,
        "searched": False,
        "picker": picker,
        "archived": patient.is_archived,
        "consent_missing": not scheduling.has_treatment_consent(patient),
        **extra,
    }
    if context["choosing"] or not search.is_bound:
        return context
    if not search.is_valid():
        context["search_errors"] = search_errors(search)
        return context
    data = search.cleaned_data
    context |= slots_context(
        request,
        search=search,
        picker=picker,
        keys=SEARCH_KEYS,
        patient=patient,
        appointment_type=data["type"],
        plan=data["plan"],
    )
    if form is None:
        context["form"] = BookingForm(
            patient=patient, initial=_typed_initial(data), can_approve=can_approve
        )
    return context


def _new_page(request, context):
    return render(request, "treatments/scheduling/appointment_new.html", context)


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def appointment_new(request, patient_pk):
    """Book one appointment: find a free time and confirm it, or type a time already agreed.

    The end is always the start plus the appointment type's duration: no end is taken from the
    form, so an end before the start cannot be booked.
    """
    patient = get_patient_for_user(request.user, patient_pk)
    can_approve = scheduling.can_approve_short_interval(request.user)
    if request.method == "POST":
        return _new_post(request, patient, can_approve)

    search_data = _search_data(request.GET, patient)
    search = BookingSearchForm(search_data, patient=patient)
    at = _prefilled_time(request.GET.get("at", ""))
    if at is not None and not (request.GET.get("type") or request.GET.get("plan")):
        # From a free time in the calendar: choose what to book there.
        form = BookingForm(
            patient=patient,
            choosing_type=True,
            can_approve=can_approve,
            initial={
                "starts_at": at,
                "practitioner": _int(request.GET.get("practitioner")),
                "room": _int(request.GET.get("room")),
            },
        )
        context = _new_context(
            request,
            patient=patient,
            search=search,
            form=form,
            can_approve=can_approve,
            choosing=True,
        )
        return _new_page(request, context)
    form, summary, confirming = None, None, "book-starts_at" in request.GET
    if confirming:
        data = request.GET.copy()
        data.setdefault("book-type", (search_data or {}).get("type", ""))
        data.setdefault("book-plan", (search_data or {}).get("plan", ""))
        form = BookingForm(data, patient=patient, confirming=True, can_approve=can_approve)
        summary = summary_of(form)
    context = _new_context(
        request,
        patient=patient,
        search=search,
        form=form,
        can_approve=can_approve,
        confirming=confirming,
        summary=summary,
    )
    return _new_page(request, context)


def _new_post(request, patient, can_approve):
    step = request.POST.get("step")
    if step == "ask":
        form = ApprovalRequestForm(request.POST, patient=patient)
        ask_for_approval(request, form=form)
        plan = form.cleaned_data.get("plan") if form.is_valid() else None
        target = reverse("treatments:appointment_new", args=[patient.pk])
        return redirect(with_query(target, {"plan": plan.pk if plan else ""}))
    confirming, choosing = step == "confirm", step == "at"
    form = BookingForm(
        request.POST,
        patient=patient,
        confirming=confirming,
        choosing_type=choosing,
        can_approve=can_approve,
    )
    summary = summary_of(form) if confirming else None
    ask = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            appointment = scheduling.appointment_book(
                patient=patient,
                appointment_type=data["type"],
                practitioner=data["practitioner"],
                room=data["room"],
                starts_at=data["starts_at"],
                plan=data["plan"],
                short_interval_reason=data["short_interval_reason"],
                by=request.user,
                clinic=request.clinic,
            )
        except ValidationError as exc:
            ask = ask_context(booking_picker(patient), form, exc, data["plan"])
            show_errors(form, exc)
        else:
            messages.success(
                request,
                f"Booked: {appointment.appointment_type} on "
                f"{when(appointment.starts_at, request.clinic)}"
                f" with {appointment.practitioner} in {appointment.room.name}.",
            )
            return redirect("treatments:appointment_detail", pk=appointment.pk)
    search_data = _search_data(request.POST, patient) or {
        "type": request.POST.get("book-type", ""),
        "plan": request.POST.get("book-plan", ""),
    }
    search = BookingSearchForm(search_data, patient=patient)
    context = _new_context(
        request,
        patient=patient,
        search=search,
        form=form,
        can_approve=can_approve,
        confirming=confirming,
        choosing=choosing,
        summary=summary,
        ask=ask,
    )
    return _new_page(request, context)


@role_required(*DESK)
@require_GET
def slot_search(request, patient_pk):
    """The free times for the search (an htmx fragment); bad parameters get a message."""
    patient = get_patient_for_user(request.user, patient_pk)
    search = BookingSearchForm(_search_data(request.GET, patient) or {}, patient=patient)
    context = _new_context(
        request,
        patient=patient,
        search=search,
        form=None,
        can_approve=scheduling.can_approve_short_interval(request.user),
    )
    context["fragment"] = True
    context["typed_shown"] = bool(request.GET.get("typed_shown"))
    return render(request, "treatments/scheduling/_slot_picker.html#search_answer", context)
