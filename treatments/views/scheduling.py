"""An appointment's own pages, for the front desk and dermatologists: look at it, move it,
cancel it with a reason, check the patient in, mark a no-show, complete it.

Booking one appointment is in treatments.views.booking and a plan's course in
treatments.views.courses. The pages read what was asked and show what the services answer:
every rule (what is free, the interval, late cancellation, the no-show) is in
treatments.services.scheduling, whose ValidationErrors are shown at the field they name
(``clinic.forms.add_service_errors``); appointment states, their transitions and who may
make each are the appointment's state machine (``Appointment.state_machine``), from which the
page's buttons are derived.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from clinic import history
from clinic.access import DESK, role_required
from clinic.models import Role
from treatments.access import get_appointment_for_user
from treatments.forms.scheduling import (
    ApprovalRequestForm,
    CancelForm,
    MoveForm,
    SlotSearchForm,
    StatusForm,
)
from treatments.models import Appointment, AppointmentStatus
from treatments.services import scheduling
from treatments.views.picker import (
    ask_context,
    ask_for_approval,
    is_fragment,
    move_picker,
    search_errors,
    show_errors,
    slots_context,
    summary_of,
    when,
)

MOVE_SEARCH_KEYS = ("practitioner", "room", "start", "end")

STATUS_BADGES = {
    AppointmentStatus.BOOKED: "text-bg-primary",
    AppointmentStatus.CHECKED_IN: "text-bg-info",
    AppointmentStatus.COMPLETED: "text-bg-success",
    AppointmentStatus.CANCELLED: "text-bg-dark",
    AppointmentStatus.NO_SHOW: "text-bg-warning",
}
ACTIONS = {
    "check_in": (AppointmentStatus.CHECKED_IN, scheduling.appointment_check_in),
    "no_show": (AppointmentStatus.NO_SHOW, scheduling.appointment_no_show),
    "complete": (AppointmentStatus.COMPLETED, scheduling.appointment_complete),
}
ACTION_FOR = {to: action for action, (to, _) in ACTIONS.items()}


def _optional_url(name: str, *args) -> str:
    """A link to a page another part of the app provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- One appointment -----------------------------------------------------------------------------


def _can_read_history(user) -> bool:
    """The history page decides who may open it, and so whether to link to it."""
    from clinic.views import record_history

    roles = getattr(record_history, "allowed_roles", frozenset())
    return user.role in roles and user.role in history.REGISTRY["appointment"].roles


def _session_record(request, appointment: Appointment) -> dict | None:
    """The way into the appointment's treatment session record, for those who record sessions:
    "Record the session" once the patient is checked in (the record completes the appointment),
    or the record itself once there is one."""
    from treatments.models import TreatmentSession
    from treatments.views.sessions import session_start

    if not appointment.is_treatment or not request.user.has_role(*session_start.allowed_roles):
        return None
    session = TreatmentSession.objects.filter(appointment=appointment).first()
    if appointment.status == AppointmentStatus.CHECKED_IN and appointment.plan_id:
        return {
            "label": "Continue the session record" if session else "Record the session",
            "url": reverse("treatments:session_start", args=[appointment.pk]),
            "post": True,
        }
    if session is not None:
        return {
            "label": "Open the session record",
            "url": reverse("treatments:session_detail", args=[session.pk]),
            "post": False,
        }
    return None


def _detail_context(request, appointment: Appointment) -> dict:
    status = AppointmentStatus(appointment.status)
    # The changes this user may make now, from the appointment's state machine.
    allowed = {row.target: row for row in appointment.allowed_transitions(by=request.user)}
    started = scheduling.no_show_due(appointment, timezone.now())
    actions = [
        {"action": ACTION_FOR[to], "label": allowed[to].label}
        for to in (
            AppointmentStatus.CHECKED_IN,
            AppointmentStatus.NO_SHOW,
            AppointmentStatus.COMPLETED,
        )
        if to in allowed and (to != AppointmentStatus.NO_SHOW or started)
    ]
    course = []
    if appointment.plan_id:
        course = list(
            Appointment.objects.filter(plan_id=appointment.plan_id)
            .select_related("practitioner__user")
            .order_by("starts_at", "pk")
        )
    return {
        "appointment": appointment,
        "patient": appointment.patient,
        "plan": appointment.plan,
        "status_badge": STATUS_BADGES[status],
        "is_clinician": request.user.role == Role.DERMATOLOGIST,
        "actions": actions,
        "no_show_later": AppointmentStatus.NO_SHOW in allowed and not started,
        "can_move": scheduling.can_move(appointment),
        "can_cancel": AppointmentStatus.CANCELLED in allowed,
        "session_record": _session_record(request, appointment),
        "completed_by_session": appointment.is_treatment and status == AppointmentStatus.CHECKED_IN,
        "course": course,
        "ics_url": _optional_url("treatments:appointment_ics", appointment.pk),
        "history_link": _can_read_history(request.user),
    }


@role_required(*DESK)
@require_GET
def appointment_detail(request, pk):
    appointment = get_appointment_for_user(request.user, pk)
    return render(
        request,
        "treatments/scheduling/appointment_detail.html",
        _detail_context(request, appointment),
    )


def _move_context(request, *, appointment, search, form, **extra):
    picker = move_picker(appointment)
    context = {
        "appointment": appointment,
        "patient": appointment.patient,
        "search": search,
        "form": form,
        "confirming": False,
        "summary": None,
        "ask": None,
        "searched": False,
        "picker": picker,
        "can_move": scheduling.can_move(appointment),
        **extra,
    }
    if not context["can_move"]:
        return context
    if search.is_valid():
        context |= slots_context(
            request,
            search=search,
            picker=picker,
            keys=MOVE_SEARCH_KEYS,
            patient=appointment.patient,
            appointment_type=appointment.appointment_type,
            plan=appointment.plan,
            exclude=appointment,
        )
    else:
        context["search_errors"] = search_errors(search)
    return context


def _move_search(request, source, appointment: Appointment) -> SlotSearchForm:
    """The search asked, or by default the two weeks around the appointment's own day."""
    data = {key: source.get(key, "") for key in MOVE_SEARCH_KEYS}
    if not any(data.values()):
        tz = request.clinic.zone
        start, end = scheduling.move_search_days(
            appointment, today=request.clinic.today(), tz=tz
        )
        data = {"start": start.isoformat(), "end": end.isoformat()}
    return SlotSearchForm(data)


def _move_form(request, appointment, data=None, *, confirming=False) -> MoveForm:
    can_approve = scheduling.can_approve_short_interval(request.user)
    if data is None:
        return MoveForm(
            initial={"practitioner": appointment.practitioner, "room": appointment.room},
            can_approve=can_approve,
        )
    return MoveForm(data, confirming=confirming, can_approve=can_approve)


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def appointment_move(request, pk):
    """Move a booked appointment: choose a new free time (the appointment itself does not count
    as busy, and no day too close to the plan's other sessions is offered) or type one. htmx
    asks for the free times alone, so the answer varies with HX-Request."""
    appointment = get_appointment_for_user(request.user, pk)
    template = "treatments/scheduling/appointment_move.html"
    if request.method == "POST":
        return _move_post(request, appointment)

    search = _move_search(request, request.GET, appointment)
    confirming, summary = "book-starts_at" in request.GET, None
    if confirming:
        form = _move_form(request, appointment, request.GET, confirming=True)
        summary = summary_of(form, appointment.appointment_type)
    else:
        form = _move_form(request, appointment)
    context = _move_context(
        request,
        appointment=appointment,
        search=search,
        form=form,
        confirming=confirming,
        summary=summary,
    )
    if is_fragment(request) and not confirming:
        context["fragment"] = True
        context["typed_shown"] = bool(request.GET.get("typed_shown"))
        return render(request, "treatments/scheduling/_slot_picker.html#search_answer", context)
    return render(request, template, context)


def _move_post(request, appointment):
    step = request.POST.get("step")
    if step == "ask":
        ask_for_approval(request, form=ApprovalRequestForm(request.POST), appointment=appointment)
        return redirect("treatments:appointment_move", pk=appointment.pk)
    confirming = step == "confirm"
    form = _move_form(request, appointment, request.POST, confirming=confirming)
    summary = summary_of(form, appointment.appointment_type) if confirming else None
    ask = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = scheduling.appointment_move(
                appointment=appointment,
                starts_at=data["starts_at"],
                practitioner=data["practitioner"],
                room=data["room"],
                short_interval_reason=data["short_interval_reason"],
                by=request.user,
                clinic=request.clinic,
            )
        except ValidationError as exc:
            ask = ask_context(move_picker(appointment), form, exc)
            show_errors(form, exc)
        else:
            messages.success(
                request,
                f"Moved to {when(moved.starts_at, request.clinic)} with "
                f"{moved.practitioner} in {moved.room.name}.",
            )
            return redirect("treatments:appointment_detail", pk=moved.pk)
    context = _move_context(
        request,
        appointment=appointment,
        search=_move_search(request, request.POST, appointment),
        form=form,
        confirming=confirming,
        summary=summary,
        ask=ask,
    )
    return render(request, "treatments/scheduling/appointment_move.html", context)


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, pk):
    """Cancel with a reason; under 24 hours before the start it is marked late, and the page
    says so before the user confirms."""
    appointment = get_appointment_for_user(request.user, pk)
    can_cancel = any(
        row.target == AppointmentStatus.CANCELLED
        for row in appointment.allowed_transitions(by=request.user)
    )
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = scheduling.appointment_cancel(
                appointment=appointment, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            late = " It was a late cancellation." if cancelled.late_cancellation else ""
            messages.success(request, f"Appointment cancelled.{late}")
            return redirect("treatments:appointment_detail", pk=cancelled.pk)
    return render(
        request,
        "treatments/scheduling/appointment_cancel.html",
        {
            "appointment": appointment,
            "patient": appointment.patient,
            "form": form,
            "can_cancel": can_cancel,
            "late": can_cancel and scheduling.is_late_cancellation(appointment, timezone.now()),
        },
    )


@role_required(*DESK)
@require_POST
def appointment_status(request, pk):
    """Check in, no-show or complete, through the scheduling services; a refused change is said
    in a message. ``next`` (a page of this site) is where to go back to."""
    appointment = get_appointment_for_user(request.user, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose check in, no-show or completed.")
    else:
        action = form.cleaned_data["action"]
        _, service = ACTIONS[action]
        try:
            changed = service(appointment=appointment, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if action == "check_in":
                at = date_format(timezone.localtime(changed.checked_in_at), "H:i")
                text = f"Checked in at {at}."
            else:
                text = f"Marked as {changed.get_status_display().lower()}."
            messages.success(request, f"{changed.patient.full_name}: {text}")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("treatments:appointment_detail", pk=appointment.pk)
