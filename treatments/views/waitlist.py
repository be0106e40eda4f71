"""The waitlist's pages: the patient's own ("Join the waitlist" and an offer's link), and the
desk's list, a patient's entry and a time offered by hand. HTTP only: what suits whom, who may
wait for what and who gets a time is treatments.services.waitlist's.

A patient reaches only their own entries and offers (404 for anyone else's).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.access import DESK, PATIENTS, role_required
from clinic.forms import add_service_errors
from clinic.models import Role
from patients.access import get_own_patient, get_patient_for_user
from treatments.access import (
    get_waitlist_entry_for_user,
    get_waitlist_offer_for_user,
    waitlist_entries_for_user,
)
from treatments.forms.portal_booking import choice_value
from treatments.forms.waitlist import HandOfferForm, WaitlistForm
from treatments.models import LIVE_ENTRY_STATUSES, OfferStatus, WaitlistOffer
from treatments.services import portal_booking, waitlist
from treatments.views.picker import when

#: The service's keys that are other fields on these forms.
WISH_FIELDS = {"appointment_type": "what", "plan": "what", "patient": "what"}


def _open_offers():
    return Prefetch(
        "offers",
        queryset=WaitlistOffer.objects.filter(status=OfferStatus.OPEN).select_related(
            "slot__practitioner__user"
        ),
        to_attr="open_offers",
    )


def _join(request, *, patient, form, in_portal: bool):
    """Add the entry the form describes; the refusal at its field otherwise."""
    try:
        entry = waitlist.waitlist_join(
            patient=patient, by=request.user, clinic=request.clinic, **form.wish()
        )
    except ValidationError as error:
        if in_portal:
            error = portal_booking.patient_error(error, clinic=request.clinic)
        add_service_errors(form, error, fields=WISH_FIELDS)
        return None
    return entry


# --- The patient's own ---------------------------------------------------------------------------


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_waitlist(request):
    """The patient's waitlist entries and offers, and joining the waitlist."""
    patient = get_own_patient(request.user)
    form = WaitlistForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        entry = _join(request, patient=patient, form=form, in_portal=True)
        if entry is not None:
            messages.success(
                request,
                f"You are on the waitlist for {entry.appointment_type.name}. We will "
                "email you when a time that suits you is free.",
            )
            return redirect("treatments:portal_waitlist")
    entries = (
        waitlist_entries_for_user(request.user)
        .filter(status__in=LIVE_ENTRY_STATUSES)
        .select_related("appointment_type", "practitioner__user")
        .prefetch_related(_open_offers())
        .in_joining_order()
    )
    return render(
        request,
        "treatments/waitlist/portal.html",
        {"patient": patient, "form": form, "entries": entries, "now": timezone.now()},
    )


@role_required(Role.PATIENT, Role.FRONT_DESK, Role.DERMATOLOGIST)
@require_POST
def waitlist_leave(request, pk):
    """Take an entry off the waitlist (the patient's own, or the desk for a patient)."""
    entry = get_waitlist_entry_for_user(request.user, pk)
    try:
        waitlist.waitlist_withdraw(entry=entry, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Taken off the waitlist.")
    if request.user.has_role(*PATIENTS):
        return redirect("treatments:portal_waitlist")
    return redirect("treatments:waitlist_list")


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def waitlist_offer(request, token):
    """An offer's link: the time, and "Take this time" while it is open."""
    offer = get_waitlist_offer_for_user(request.user, token)
    now = timezone.now()
    refusal = ""
    if request.method == "POST":
        answer = waitlist.waitlist_accept(
            offer=offer, by=request.user, clinic=request.clinic, now=now
        )
        if answer.appointment is not None:
            messages.success(
                request,
                f"Booked: {answer.appointment.appointment_type.name} on "
                f"{when(answer.appointment.starts_at, request.clinic)} with "
                f"{answer.appointment.practitioner}. A confirmation is on its way by email.",
            )
            return redirect("treatments:portal_appointments")
        refusal = answer.refusal
        offer.refresh_from_db()
    state = waitlist.offer_state(offer, now=now)
    if not refusal and state == OfferStatus.GONE:
        refusal = waitlist.GONE
    elif not refusal and state == OfferStatus.EXPIRED:
        refusal = waitlist.ENDED
    return render(
        request,
        "treatments/waitlist/offer.html",
        {"offer": offer, "slot": offer.slot, "state": state, "refusal": refusal},
    )


# --- The desk ------------------------------------------------------------------------------------


@role_required(*DESK)
@require_GET
def waitlist_list(request):
    """Everyone waiting, in the order they joined, with their open offers."""
    entries = (
        waitlist_entries_for_user(request.user)
        .filter(status__in=LIVE_ENTRY_STATUSES)
        .select_related("patient", "appointment_type", "practitioner__user")
        .prefetch_related(_open_offers())
        .annotate(offer_count=Count("offers"))
        .in_joining_order()
    )
    return render(
        request, "treatments/waitlist/list.html", {"entries": entries, "now": timezone.now()}
    )


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def waitlist_new(request, patient_pk):
    """The desk puts a patient on the waitlist."""
    patient = get_patient_for_user(request.user, patient_pk)
    form = WaitlistForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        entry = _join(request, patient=patient, form=form, in_portal=False)
        if entry is not None:
            messages.success(request, f"{patient.full_name} is on the waitlist.")
            return redirect("treatments:waitlist_entry", pk=entry.pk)
    return render(request, "treatments/waitlist/new.html", {"patient": patient, "form": form})


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def waitlist_entry(request, pk):
    """One entry: what it waits for, its offers, and free times the desk may offer by hand."""
    entry = get_waitlist_entry_for_user(request.user, pk)
    now = timezone.now()
    form = HandOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts_at, practitioner, room = form.cleaned_data["slot"]
        try:
            waitlist.waitlist_offer_by_hand(
                entry=entry,
                starts_at=starts_at,
                practitioner=practitioner,
                room=room,
                by=request.user,
                clinic=request.clinic,
                now=now,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Offered {when(starts_at, request.clinic)} to {entry.patient.full_name}: the "
                f"offer is open for {request.clinic.waitlist_hold_minutes} minutes.",
            )
            return redirect("treatments:waitlist_entry", pk=entry.pk)
    times, resources = ([], None)
    if entry.is_live:
        times, resources = waitlist.hand_offer_times(entry, clinic=request.clinic, now=now)
    offers = entry.offers.select_related("slot__practitioner__user").order_by("-created_at")
    rows = [
        {
            "value": choice_value(choice),
            "start": choice.start,
            "practitioner": resources.staff[choice.practitioner_id],
            "room": resources.room_records[choice.room_id],
        }
        for choice in times
    ]
    return render(
        request,
        "treatments/waitlist/entry.html",
        {"entry": entry, "offers": offers, "times": rows, "form": form, "now": now},
    )
