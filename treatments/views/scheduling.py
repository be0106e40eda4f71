"""Booking pages (issue 5), for the front desk and dermatologists.

Book one appointment (from the free slots, or at a typed time), book a plan's course in one step
from a preview, look at an appointment, move it, cancel it with a reason (marked late under 24
hours before), check the patient in, mark a no-show, complete it. Every change goes through
treatments/scheduling.py, whose ValidationErrors are shown at the field they name; appointment
states, their transitions and who may make each are the appointment's state machine
(``Appointment.state_machine``), from which the page's buttons are derived.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic import history
from clinic.access import DESK, role_required
from clinic.lib import slots
from clinic.models import AppointmentType, ClinicSettings, Role, Room, StaffProfile
from patients.access import get_patient_for_user
from patients.models import ConsentKind, Patient
from treatments.access import get_appointment_for_user, get_plan_for_user
from treatments.forms.scheduling import (
    FIRST_YEAR,
    LAST_YEAR,
    BookingForm,
    BookingSearchForm,
    CancelForm,
    CourseFormSet,
    CourseStartForm,
    MoveForm,
    SlotSearchForm,
    StatusForm,
    add_service_errors,
)
from treatments.models import Appointment, AppointmentStatus, PlanState, TreatmentPlan
from treatments.services import scheduling

#: Free times shown per day in a search over several days; one day shows up to ONE_DAY_MAX.
PER_DAY = 12
ONE_DAY_MAX = 120
SEARCH_KEYS = ("type", "plan", "practitioner", "room", "start", "end")
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


def _clinic(request) -> ClinicSettings:
    return request.clinic


def _when(value: dt.datetime, clinic: ClinicSettings) -> str:
    """'Mon 30 Mar 2026, 10:00' in the clinic's zone."""
    return date_format(timezone.localtime(value, clinic.zone), "D j M Y, H:i")


def _treatment_type(route: str) -> AppointmentType | None:
    return AppointmentType.objects.filter(
        kind=AppointmentType.Kind.TREATMENT, route=route, active=True
    ).first()


def _has_treatment_consent(patient: Patient) -> bool:
    return patient.consents.valid().filter(kind=ConsentKind.TREATMENT).exists()


def _optional_url(name: str, *args) -> str:
    """A link to a page another part of the app provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- Free slots --------------------------------------------------------------------------------


def free_slots(
    *,
    clinic: ClinicSettings,
    patient: Patient,
    kind: AppointmentType,
    start_date: dt.date,
    end_date: dt.date,
    practitioner: StaffProfile | None = None,
    room: Room | None = None,
    exclude: Appointment | None = None,
    now: dt.datetime | None = None,
) -> tuple[list[slots.Slot], scheduling.Resources]:
    """Free start times, as ``scheduling.find_free_slots``; ``exclude``: the appointment being
    moved does not stand in its own way."""
    if exclude is None:
        return scheduling.find_free_slots(
            clinic=clinic,
            patient=patient,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            practitioner=practitioner,
            room=room,
            now=now,
        )
    tz = clinic.zone
    resources = scheduling.load_resources(
        clinic=clinic,
        patient=patient,
        window_start=dt.datetime.combine(start_date, dt.time.min, tzinfo=tz),
        window_end=dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        exclude=exclude,
    )
    found = slots.find_slots(
        tz=resources.tz,
        start_date=start_date,
        end_date=end_date,
        clinic_hours=resources.clinic_hours,
        practitioners=resources.practitioners,
        rooms=resources.rooms,
        patient_busy=resources.patient_busy,
        kind=scheduling.finder_kind(kind),
        not_before=now or timezone.now(),
        practitioner_id=practitioner.pk if practitioner else None,
        room_id=room.pk if room else None,
    )
    return found, resources


@dataclass(frozen=True, slots=True)
class SlotOption:
    start: dt.datetime
    end: dt.datetime
    practitioner: StaffProfile
    room: Room
    url: str


@dataclass(frozen=True, slots=True)
class SlotDay:
    day: dt.date
    options: list[SlotOption]
    hidden: int
    all_url: str


def _slot_days(found, resources, *, link, day_link, one_day: bool) -> tuple[list[SlotDay], int]:
    """Free times grouped by local day: one option per start and free practitioner, in the
    slot's preferred room. A search over several days shows the first PER_DAY of each day with a
    link to the whole day."""
    cap = ONE_DAY_MAX if one_day else PER_DAY
    days: dict[dt.date, list] = {}
    for slot in found:
        local = slot.start.astimezone(resources.tz)
        for practitioner_id in slot.practitioner_ids:
            days.setdefault(local.date(), []).append((slot, practitioner_id))
    result, total = [], 0
    for day, pairs in days.items():
        options = [
            SlotOption(
                start=slot.start,
                end=slot.end,
                practitioner=resources.staff[practitioner_id],
                room=resources.room_records[slot.room_ids[0]],
                url=link(slot.start, practitioner_id, slot.room_ids[0]),
            )
            for slot, practitioner_id in pairs[:cap]
        ]
        total += len(pairs)
        result.append(SlotDay(day, options, len(pairs) - len(options), day_link(day)))
    return result, total


def _url(base: str, params: dict, anchor: str = "") -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}{anchor}" if query else base + anchor


def _pk(value) -> str:
    return str(value.pk) if value is not None else ""


def _search_params(data: dict, keys) -> dict:
    """The search's cleaned values as query parameters."""
    params = {}
    for key in keys:
        value = data.get(key)
        params[key] = value.isoformat() if isinstance(value, dt.date) else _pk(value)
    return params


def _slots_context(request, *, search, base_url, keys, patient, kind, exclude=None) -> dict:
    """The free times for a valid search form, with links that choose one."""
    data = search.cleaned_data
    params = _search_params(data, keys)
    found, resources = free_slots(
        clinic=_clinic(request),
        patient=patient,
        kind=kind,
        start_date=data["start"],
        end_date=data["end"],
        practitioner=data.get("practitioner"),
        room=data.get("room"),
        exclude=exclude,
    )

    def link(start, practitioner_id, room_id):
        chosen = {
            "book-starts_at": start.isoformat(),
            "book-practitioner": practitioner_id,
            "book-room": room_id,
        }
        return _url(base_url, {**params, **chosen}, "#confirm")

    def day_link(day):
        return _url(base_url, {**params, "start": day.isoformat(), "end": day.isoformat()})

    days, total = _slot_days(
        found, resources, link=link, day_link=day_link, one_day=data["start"] == data["end"]
    )
    return {
        "searched": True,
        "days": days,
        "slot_total": total,
        "search_start": data["start"],
        "search_end": data["end"],
        "kind": kind,
        "search_hidden": list(params.items()),
    }


def _search_errors(form) -> list[str]:
    errors = []
    for name, field_errors in form.errors.items():
        label = form[name].label if name in form.fields else ""
        for message in field_errors:
            errors.append(f"{label}: {message}" if label else message)
    return errors


# --- Booking one appointment ---------------------------------------------------------------------


def _search_data(source, patient: Patient) -> dict | None:
    """The search as the query asks it, or None when nothing was asked. A plan alone (a link
    from the chart) chooses its route's treatment type."""
    if not any(source.get(key) for key in SEARCH_KEYS):
        return None
    data = {key: source.get(key, "") for key in SEARCH_KEYS}
    if data["plan"] and not data["type"]:
        plan = TreatmentPlan.objects.filter(patient=patient, pk=_int(data["plan"])).first()
        kind = _treatment_type(plan.route) if plan else None
        data["type"] = str(kind.pk) if kind else ""
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


def _new_page(request, *, patient, search, form, confirming, summary=None, choosing=False):
    context = {
        "patient": patient,
        "search": search,
        "form": form,
        "confirming": confirming,
        "choosing": choosing,
        "summary": summary,
        "searched": False,
        "archived": patient.is_archived,
        "consent_missing": not _has_treatment_consent(patient),
        "typed_action": reverse("treatments:appointment_new", args=[patient.pk]),
    }
    kind = None
    if choosing:
        return render(request, "treatments/scheduling/appointment_new.html", context)
    if search.is_bound and search.is_valid():
        kind = search.cleaned_data["type"]
        context |= _slots_context(
            request,
            search=search,
            base_url=reverse("treatments:appointment_new", args=[patient.pk]),
            keys=SEARCH_KEYS,
            patient=patient,
            kind=kind,
        )
        if form is None:
            form = BookingForm(patient=patient, initial=_typed_initial(search.cleaned_data))
            context["form"] = form
    context["treatment"] = kind is not None and kind.kind == AppointmentType.Kind.TREATMENT
    return render(request, "treatments/scheduling/appointment_new.html", context)


def _typed_initial(data: dict) -> dict:
    return {
        "type": data.get("type"),
        "plan": data.get("plan"),
        "practitioner": data.get("practitioner"),
        "room": data.get("room"),
    }


def _summary(form, kind: AppointmentType | None = None) -> dict | None:
    """The chosen booking in words, from a valid form (before the service has its say)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    kind = kind or data["type"]
    return {
        "kind": kind,
        "starts_at": data["starts_at"],
        "ends_at": data["starts_at"] + dt.timedelta(minutes=kind.duration_minutes),
        "practitioner": data["practitioner"],
        "room": data["room"],
    }


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def appointment_new(request, patient_pk):
    """Book one appointment: find a free time and confirm it, or type a time already agreed.

    The end is always the start plus the appointment type's duration: no end is taken from the
    form, so an end before the start cannot be booked.
    """
    patient = get_patient_for_user(request.user, patient_pk)
    if request.method == "POST":
        step = request.POST.get("step")
        confirming, choosing = step == "confirm", step == "at"
        form = BookingForm(
            request.POST, patient=patient, confirming=confirming, choosing_type=choosing
        )
        summary = _summary(form) if confirming else None
        if form.is_valid():
            data = form.cleaned_data
            try:
                appointment = scheduling.appointment_book(
                    patient=patient,
                    kind=data["type"],
                    practitioner=data["practitioner"],
                    room=data["room"],
                    starts_at=data["starts_at"],
                    plan=data["plan"],
                    short_interval_reason=data["short_interval_reason"],
                    by=request.user,
                    clinic=_clinic(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Booked: {appointment.kind} on {_when(appointment.starts_at, request.clinic)}"
                    f" with {appointment.practitioner} in {appointment.room.name}.",
                )
                return redirect("treatments:appointment_detail", pk=appointment.pk)
        search_data = _search_data(request.POST, patient) or {
            "type": request.POST.get("book-type", ""),
            "plan": request.POST.get("book-plan", ""),
        }
        search = BookingSearchForm(search_data, patient=patient)
        return _new_page(
            request,
            patient=patient,
            search=search,
            form=form,
            confirming=confirming,
            summary=summary,
            choosing=choosing,
        )

    search_data = _search_data(request.GET, patient)
    search = BookingSearchForm(search_data, patient=patient)
    at = _prefilled_time(request.GET.get("at", ""))
    if at is not None and not (request.GET.get("type") or request.GET.get("plan")):
        # From a free time in the calendar: choose what to book there.
        form = BookingForm(
            patient=patient,
            choosing_type=True,
            initial={
                "starts_at": at,
                "practitioner": _int(request.GET.get("practitioner")),
                "room": _int(request.GET.get("room")),
            },
        )
        return _new_page(
            request, patient=patient, search=search, form=form, confirming=False, choosing=True
        )
    form, summary, confirming = None, None, "book-starts_at" in request.GET
    if confirming:
        data = request.GET.copy()
        data.setdefault("book-type", (search_data or {}).get("type", ""))
        data.setdefault("book-plan", (search_data or {}).get("plan", ""))
        form = BookingForm(data, patient=patient, confirming=True)
        summary = _summary(form)
    return _new_page(
        request,
        patient=patient,
        search=search,
        form=form,
        confirming=confirming,
        summary=summary,
    )


@role_required(*DESK)
@require_GET
def slot_search(request, patient_pk):
    """The free times for the search (an htmx fragment); bad parameters get a message."""
    patient = get_patient_for_user(request.user, patient_pk)
    search = BookingSearchForm(_search_data(request.GET, patient) or {}, patient=patient)
    context = {"patient": patient, "fragment": True, "searched": False}
    if search.is_valid():
        context |= _slots_context(
            request,
            search=search,
            base_url=reverse("treatments:appointment_new", args=[patient.pk]),
            keys=SEARCH_KEYS,
            patient=patient,
            kind=search.cleaned_data["type"],
        )
        context["form"] = BookingForm(patient=patient, initial=_typed_initial(search.cleaned_data))
        context["typed_action"] = reverse("treatments:appointment_new", args=[patient.pk])
    else:
        context["search_errors"] = _search_errors(search)
    return render(request, "treatments/scheduling/appointment_new.html#slots", context)


# --- A course in one step ------------------------------------------------------------------------


def _course_problem(plan: TreatmentPlan, kind: AppointmentType | None, booked: int) -> str:
    """Why no session of the plan can be booked now, or ""."""
    if plan.state == PlanState.DRAFT:
        return "The plan is still a draft: its sessions can be booked once it is planned."
    if plan.state not in scheduling.BOOKABLE_PLAN_STATES:
        return f"The plan is {plan.get_state_display().lower()}: no sessions can be booked for it."
    if kind is None:
        return (
            f"The clinic offers no {plan.get_route_display().lower()} appointment type: the "
            "clinic manager sets one up in the clinic admin."
        )
    if booked >= plan.sessions:
        return f"All {plan.sessions} sessions of this plan are booked."
    return ""


@dataclass(frozen=True, slots=True)
class PreviewRow:
    number: int
    start: dt.datetime
    end: dt.datetime
    practitioner: StaffProfile
    room: Room
    same_practitioner: bool
    note: str


def _preview_rows(result: slots.CourseResult, resources, first_number: int) -> list[PreviewRow]:
    return [
        PreviewRow(
            number=first_number + index,
            start=placed.start,
            end=placed.end,
            practitioner=resources.staff[placed.practitioner_id],
            room=resources.room_records[placed.room_id],
            same_practitioner=placed.same_practitioner,
            note=placed.note,
        )
        for index, placed in enumerate(result.slots)
    ]


def _course_choices(formset) -> list[scheduling.CourseChoice]:
    return [
        scheduling.CourseChoice(
            starts_at=form.cleaned_data["starts_at"],
            practitioner=form.cleaned_data["practitioner"],
            room=form.cleaned_data["room"],
            short_interval_reason=form.cleaned_data["short_interval_reason"],
        )
        for form in formset.forms
    ]


#: Service errors about the whole course rather than one session of it.
COURSE_LEVEL = ("plan", "patient", "kind")


def _course_errors(formset, refusal: scheduling.CourseRefused) -> list[str]:
    """Put each refused session's errors on its row; return those about the whole course."""
    course_errors: list[str] = []
    for index, error in refusal.refusals.items():
        row = formset.forms[index]
        for key, errors in getattr(error, "error_dict", {None: [error]}).items():
            for message in (m for e in errors for m in e.messages):
                if key in COURSE_LEVEL or key is None or key not in row.fields:
                    if message not in course_errors:
                        course_errors.append(message)
                else:
                    row.add_error(key, message)
    return course_errors


def _course_page(request, context, status=200):
    return render(request, "treatments/scheduling/course_preview.html", context, status=status)


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def course_preview(request, plan_pk):
    """The remaining sessions of a plan placed on the earliest fitting slots, the plan's interval
    apart and with the same practitioner when possible; the user adjusts any row and confirms.
    Booking is all or nothing."""
    plan = get_plan_for_user(request.user, plan_pk)
    patient = plan.patient
    clinic = _clinic(request)
    kind = _treatment_type(plan.route)
    booked = plan.appointments.holding().count()
    problem = _course_problem(plan, kind, booked)
    context = {
        "plan": plan,
        "patient": patient,
        "kind": kind,
        "booked": booked,
        "problem": problem,
        "is_clinician": request.user.role == Role.DERMATOLOGIST,
        "consent_missing": not _has_treatment_consent(patient),
        "start_form": CourseStartForm(request.GET or None),
        "rows": [],
        "formset": None,
        "course_errors": [],
    }

    if request.method == "POST":
        formset = CourseFormSet(request.POST, first_number=booked + 1)
        context |= {"formset": formset, "refused": True}
        if problem:
            context["course_errors"] = [problem]
            return _course_page(request, context)
        if formset.is_valid() and formset.forms:
            choices = _course_choices(formset)
            try:
                appointments = scheduling.course_book(
                    plan=plan, kind=kind, choices=choices, by=request.user, clinic=clinic
                )
            except scheduling.CourseRefused as refusal:
                context["course_errors"] = _course_errors(formset, refusal)
            else:
                count = len(appointments)
                messages.success(request, f"{count} session{'s' if count != 1 else ''} booked.")
                return redirect("treatments:appointment_detail", pk=appointments[0].pk)
        elif not formset.forms:
            context["course_errors"] = ["There is no session to book."]
        return _course_page(request, context)

    if problem:
        return _course_page(request, context)
    start_form = context["start_form"]
    earliest, preferred = timezone.now(), None
    if start_form.is_bound and start_form.is_valid():
        day = start_form.cleaned_data["earliest"]
        if day is not None:
            earliest = max(earliest, dt.datetime.combine(day, dt.time.min, tzinfo=clinic.zone))
        preferred = start_form.cleaned_data["practitioner"]
    try:
        result, resources = scheduling.course_preview(
            plan=plan, kind=kind, earliest=earliest, clinic=clinic, practitioner=preferred
        )
    except ValidationError as exc:
        context["problem"] = " ".join(exc.messages)
        return _course_page(request, context)
    rows = _preview_rows(result, resources, booked + 1)
    context |= {
        "result": result,
        "rows": rows,
        "formset": CourseFormSet(
            initial=[
                {"starts_at": row.start, "practitioner": row.practitioner, "room": row.room}
                for row in rows
            ],
            first_number=booked + 1,
        ),
    }
    return _course_page(request, context)


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
    started = appointment.starts_at <= timezone.now()
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
        "can_move": status == AppointmentStatus.BOOKED,
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


def _move_page(request, *, appointment, search, form, confirming, summary=None):
    context = {
        "appointment": appointment,
        "patient": appointment.patient,
        "search": search,
        "form": form,
        "confirming": confirming,
        "summary": summary,
        "searched": False,
        "can_move": appointment.status == AppointmentStatus.BOOKED,
        "typed_action": reverse("treatments:appointment_move", args=[appointment.pk]),
    }
    if not context["can_move"]:
        return context
    if search.is_valid():
        context |= _slots_context(
            request,
            search=search,
            base_url=reverse("treatments:appointment_move", args=[appointment.pk]),
            keys=MOVE_SEARCH_KEYS,
            patient=appointment.patient,
            kind=appointment.kind,
            exclude=appointment,
        )
    else:
        context["search_errors"] = _search_errors(search)
    return context


def _move_search(source, appointment: Appointment) -> SlotSearchForm:
    data = {key: source.get(key, "") for key in MOVE_SEARCH_KEYS}
    if not any(data.values()):
        data = {"start": timezone.localdate().isoformat()}
    return SlotSearchForm(data)


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def appointment_move(request, pk):
    """Move a booked appointment: choose a new free time (the appointment itself does not count
    as busy) or type one."""
    appointment = get_appointment_for_user(request.user, pk)
    template = "treatments/scheduling/appointment_move.html"
    if request.method == "POST":
        confirming = request.POST.get("step") == "confirm"
        form = MoveForm(request.POST, confirming=confirming)
        summary = _summary(form, appointment.kind) if confirming else None
        if appointment.status != AppointmentStatus.BOOKED:
            form.add_error(
                None,
                f"A {appointment.get_status_display().lower()} appointment cannot be moved.",
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                moved = scheduling.appointment_move(
                    appointment=appointment,
                    starts_at=data["starts_at"],
                    practitioner=data["practitioner"],
                    room=data["room"],
                    short_interval_reason=data["short_interval_reason"],
                    by=request.user,
                    clinic=_clinic(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"Moved to {_when(moved.starts_at, request.clinic)} with "
                    f"{moved.practitioner} in {moved.room.name}.",
                )
                return redirect("treatments:appointment_detail", pk=moved.pk)
        search = _move_search(request.POST, appointment)
        context = _move_page(
            request,
            appointment=appointment,
            search=search,
            form=form,
            confirming=confirming,
            summary=summary,
        )
        return render(request, template, context)

    search = _move_search(request.GET, appointment)
    confirming, summary = "book-starts_at" in request.GET, None
    if confirming:
        form = MoveForm(request.GET, confirming=True)
        summary = _summary(form, appointment.kind)
    else:
        form = MoveForm(
            initial={"practitioner": appointment.practitioner, "room": appointment.room}
        )
    context = _move_page(
        request,
        appointment=appointment,
        search=search,
        form=form,
        confirming=confirming,
        summary=summary,
    )
    if request.headers.get("HX-Request") and not confirming:
        context["fragment"] = True
        return render(request, template + "#slots", context)
    return render(request, template, context)


def _is_late(appointment: Appointment, now: dt.datetime) -> bool:
    return appointment.starts_at - now < scheduling.LATE_CANCELLATION


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
    if request.method == "POST":
        if not can_cancel:
            form.add_error(
                None,
                f"A {appointment.get_status_display().lower()} appointment cannot be cancelled.",
            )
        elif form.is_valid():
            try:
                cancelled = scheduling.appointment_cancel(
                    appointment=appointment, reason=form.cleaned_data["reason"], by=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
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
            "late": can_cancel and _is_late(appointment, timezone.now()),
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
