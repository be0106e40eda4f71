"""The slot picker that booking and moving an appointment share: the free times of a search as
links, the chosen slot in words, and the desk's request that a dermatologist approve a session
sooner than the plan's interval. Helpers for treatments.views.booking and .scheduling; the rules
are the services'."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import urlencode

from clinic.forms import add_service_errors
from clinic.models import AppointmentType, ClinicSettings
from patients.models import Patient
from treatments.forms.scheduling import SERVICE_FIELDS
from treatments.models import Appointment, TreatmentPlan, interval_text
from treatments.presentation.slots import search_params, slot_days, with_query
from treatments.services import intervals, scheduling


def when(value: dt.datetime, clinic: ClinicSettings) -> str:
    """'Mon 30 Mar 2026, 10:00' in the clinic's zone."""
    return date_format(timezone.localtime(value, clinic.zone), "D j M Y, H:i")


def show_errors(form, error: ValidationError) -> None:
    add_service_errors(form, error, fields=SERVICE_FIELDS)


def is_fragment(request) -> bool:
    """An htmx swap, not a history restore (which needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


# --- Free slots --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Picker:
    """The words and addresses of the shared slot picker (_slot_picker.html)."""

    action: str  # where a chosen or typed time is posted, and the search's own page
    fragment_url: str  # where htmx fetches the free times
    find_heading: str
    confirm_heading: str
    confirm_label: str
    typed_heading: str
    typed_button: str
    moving: bool = False


def booking_picker(patient: Patient) -> Picker:
    return Picker(
        action=reverse("treatments:appointment_new", args=[patient.pk]),
        fragment_url=reverse("treatments:slot_search", args=[patient.pk]),
        find_heading="Find a free time",
        confirm_heading="Confirm the booking",
        confirm_label="Book",
        typed_heading="Or book a time already agreed",
        typed_button="Book this time",
    )


def move_picker(appointment: Appointment) -> Picker:
    url = reverse("treatments:appointment_move", args=[appointment.pk])
    return Picker(
        action=url,
        fragment_url=url,
        find_heading="Find a new time",
        confirm_heading="Confirm the new time",
        confirm_label="Move",
        typed_heading="Or move to a time already agreed",
        typed_button="Move to this time",
        moving=True,
    )


def interval_note(plan: TreatmentPlan | None, appointment_type, exclude: Appointment | None) -> str:
    """Why days near the plan's other sessions are missing from the free times, when they are."""
    if not intervals.applies(plan, appointment_type) or not intervals.has_other_sessions(
        plan, moving=exclude
    ):
        return ""
    return (
        f"Days less than the plan's interval ({interval_text(plan.interval_days)}) from its other "
        "sessions are not offered: a session sooner than that is a dermatologist's decision."
    )


def slots_context(
    request, *, search, picker: Picker, keys, patient, appointment_type, plan=None, exclude=None
) -> dict:
    """The free times for a valid search form, with links that choose one."""
    data = search.cleaned_data
    params = search_params(data, keys)
    found, resources = scheduling.find_free_slots(
        clinic=request.clinic,
        patient=patient,
        appointment_type=appointment_type,
        start_date=data["start"],
        end_date=data["end"],
        practitioner=data.get("practitioner"),
        room=data.get("room"),
        plan=plan,
        exclude=exclude,
    )

    # The search's own parameters, encoded once; each link adds the time it chooses.
    searched_url = with_query(picker.action, params)
    joiner = "&" if "?" in searched_url else "?"

    def link(start, practitioner_id, room_id):
        chosen = {
            "book-starts_at": start.isoformat(),
            "book-practitioner": practitioner_id,
            "book-room": room_id,
        }
        return f"{searched_url}{joiner}{urlencode(chosen)}#confirm"

    def day_link(day):
        return with_query(
            picker.action, {**params, "start": day.isoformat(), "end": day.isoformat()}
        )

    days, total = slot_days(
        found, resources, link=link, day_link=day_link, one_day=data["start"] == data["end"]
    )
    return {
        "searched": True,
        "days": days,
        "slot_total": total,
        "search_start": data["start"],
        "search_end": data["end"],
        "appointment_type": appointment_type,
        "search_hidden": list(params.items()),
        "interval_note": interval_note(plan, appointment_type, exclude),
    }


def search_errors(form) -> list[str]:
    errors = []
    for name, field_errors in form.errors.items():
        label = form[name].label if name in form.fields else ""
        for message in field_errors:
            errors.append(f"{label}: {message}" if label else message)
    return errors


def summary_of(form, appointment_type: AppointmentType | None = None) -> dict | None:
    """The chosen booking in words, from a valid form (before the service has its say)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    appointment_type = appointment_type or data["type"]
    return {
        "appointment_type": appointment_type,
        "starts_at": data["starts_at"],
        "ends_at": data["starts_at"] + dt.timedelta(minutes=appointment_type.duration_minutes),
        "practitioner": data["practitioner"],
        "room": data["room"],
    }


def ask_context(picker: Picker, form, error: ValidationError, plan=None) -> dict | None:
    """When a refusal is one only a dermatologist can lift: what asking one of them posts."""
    if not scheduling.needs_dermatologist(error):
        return None
    return {
        "action": picker.action,
        "starts_at": form.cleaned_data["starts_at"].isoformat(),
        "plan": plan.pk if plan is not None else "",
    }


def ask_for_approval(request, *, form, plan=None, appointment=None) -> None:
    """The desk's request that a dermatologist approve a session sooner than the interval."""
    if not form.is_valid():
        messages.error(request, "The time to approve was not understood: choose it again.")
        return
    try:
        worklist_item, created = scheduling.short_interval_request(
            starts_at=form.cleaned_data["starts_at"],
            plan=plan or form.cleaned_data.get("plan"),
            appointment=appointment,
            by=request.user,
            clinic=request.clinic,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return
    who = worklist_item.assigned_to or "a dermatologist"
    if created:
        messages.success(request, f"Asked {who} to approve it: the request is on their worklist.")
    else:
        messages.info(request, f"This was already asked: the request is on {who}'s worklist.")
