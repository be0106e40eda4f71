"""The treatment session page and its steps, adverse events and the printable aftercare.

What sessions add to other pages (the chart's timeline and panel, a lot's recall) is in
treatments/services/sessions_chart.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.decorators import audited, model_patient
from audit.models import AccessKind
from clinic.access import DESK, PATIENTS, role_required
from clinic.forms import add_service_errors
from clinic.lib.vocabulary import Area, Route
from clinic.models import Role
from patients.access import get_patient_for_user
from patients.chart import latest_screen
from patients.forms.screens import ScreenForm
from treatments.access import (
    get_aftercare_for_user,
    get_appointment_for_user,
    get_session_for_user,
)
from treatments.forms.sessions import (
    AddendumForm,
    AdverseEventForm,
    ApplicationForm,
    CompleteForm,
    NotTreatedForm,
    PrepForm,
    PrescreenForm,
)
from treatments.models import (
    Lot,
    MessageKind,
    OutboundMessage,
    SessionStatus,
    TreatmentSession,
)
from treatments.services import adverse_events, session_checks, sessions
from treatments.services.sessions import POST_CARE, REACTIONS, SessionLocked

CLINICIAN = Role.DERMATOLOGIST
#: docs/clinical-rules.md §People: the front desk issues printed aftercare; a patient reads their
#: own.
AFTERCARE_READERS = (*DESK, *PATIENTS)


# --- The session page ------------------------------------------------------------------------


def _usable_lots(request, plan) -> list[Lot]:
    return list(Lot.objects.usable(request.clinic).for_product(plan.product))


def _depth_rows(session) -> list[dict]:
    plan = session.plan
    if plan.route != Route.MICRONEEDLING:
        return []
    return [
        {
            "area": Area(area).label,
            "range": f"{limit.min_mm}\u2013{limit.max_mm} mm",
            "planned": plan.depths.get(area, ""),
            "used": session.depths.get(area, ""),
        }
        for area, limit in session_checks.depth_ranges(plan).items()
    ]


def _page(request, session, *, status=200, **forms):
    plan = session.plan
    check = session_checks.session_day_check(session, policy=request.clinic.policy)
    context = {
        "session": session,
        "patient": session.patient,
        "plan": plan,
        "appointment": session.appointment,
        "check": check,
        "depth_rows": _depth_rows(session),
        "addenda": list(session.addenda.all()),
        "adverse_events": list(session.adverse_events.all()),
        "reactions": [REACTIONS[key] for key in session.immediate_reactions if key in REACTIONS],
        "post_care": [POST_CARE[key] for key in session.post_care if key in POST_CARE],
        "area_labels": [area.label for area in Area if area.value in session.areas],
        "amount_text": (
            session.lot.amount_text(session.amount)
            if session.lot is not None and session.amount is not None
            else ""
        ),
    }
    if session.is_locked:
        context["addendum_form"] = forms.get("addendum_form") or AddendumForm()
        context["aftercare_message"] = (
            OutboundMessage.objects.filter(
                appointment_id=session.appointment_id, kind=MessageKind.AFTERCARE
            )
            .order_by("-created_at")
            .first()
        )
    else:
        previous = latest_screen(session.patient)
        blocked_reason = f"Not treated: {check.reason}" if check and check.route_blocked else ""
        context |= {
            "previous_screen": previous,
            "prescreen_form": forms.get("prescreen_form")
            or PrescreenForm(initial=ScreenForm.initial_from(previous)),
            "prep_form": forms.get("prep_form") or PrepForm(),
            "application_form": forms.get("application_form")
            or ApplicationForm(session=session, lots=_usable_lots(request, plan)),
            "complete_form": forms.get("complete_form")
            or CompleteForm(session=session, zone=request.clinic.zone),
            "not_treated_form": forms.get("not_treated_form")
            or NotTreatedForm(initial={"reason": blocked_reason}),
            "problems": session_checks.completion_problems(session, check),
        }
        # When the route is blocked only the not-treated form shows: a refused step's
        # messages are shown there.
        context["step_forms"] = [
            context[name] for name in ("prep_form", "application_form", "complete_form")
        ]
    return render(request, "treatments/sessions/detail.html", context, status=status)


def _detail(session, anchor: str = ""):
    url = reverse("treatments:session_detail", kwargs={"pk": session.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refuse_locked(request, session):
    messages.error(request, sessions.LOCKED)
    return _detail(session)


@role_required(CLINICIAN)
@require_POST
def session_start(request, appointment_pk):
    """Open (or resume) the session record of a checked-in treatment appointment."""
    appointment = get_appointment_for_user(request.user, appointment_pk)
    try:
        session = sessions.session_start(appointment=appointment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("patients:detail", pk=appointment.patient_id)
    return _detail(session)


@role_required(CLINICIAN)
@require_GET
@audited(AccessKind.SESSION, patient=model_patient(TreatmentSession))
def session_detail(request, pk):
    return _page(request, get_session_for_user(request.user, pk))


@role_required(CLINICIAN)
@require_POST
def session_prescreen(request, pk):
    """Step 1: the day's "anything changed?" screen, re-running the contraindication rules."""
    session = get_session_for_user(request.user, pk)
    if session.is_locked:
        return _refuse_locked(request, session)
    form = PrescreenForm(request.POST)
    if form.is_valid():
        try:
            check = sessions.session_prescreen(
                session=session,
                by=request.user,
                screen=form.save(commit=False),
                justification=form.cleaned_data["caution_justification"],
                policy=request.clinic.policy,
                on=request.clinic.today(),
            )
        except SessionLocked:
            return _refuse_locked(request, session)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if check.route_blocked:
                messages.error(
                    request,
                    f"The day's screen blocks {check.route.label.lower()}: the session cannot "
                    "go ahead. Close it as not treated.",
                )
                return _detail(session, "not-treated")
            messages.success(request, "The day's screen is recorded.")
            return _detail(session, "step-prep")
    return _page(request, session, prescreen_form=form)


@role_required(CLINICIAN)
@require_POST
def session_prep(request, pk):
    """Step 2: skin preparation (gentle cleansing)."""
    session = get_session_for_user(request.user, pk)
    if session.is_locked:
        return _refuse_locked(request, session)
    form = PrepForm(request.POST)
    if form.is_valid():
        try:
            sessions.session_prepare(session=session, by=request.user, policy=request.clinic.policy)
        except SessionLocked:
            return _refuse_locked(request, session)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Skin preparation recorded.")
            return _detail(session, "step-application")
    return _page(request, session, prep_form=form)


@role_required(CLINICIAN)
@require_POST
def session_application(request, pk):
    """Step 3: the lot, amount, areas and the route's device and depths or laser settings."""
    session = get_session_for_user(request.user, pk)
    if session.is_locked:
        return _refuse_locked(request, session)
    policy = request.clinic.policy
    form = ApplicationForm(request.POST, session=session, lots=_usable_lots(request, session.plan))
    if form.is_valid():
        try:
            sessions.session_application(
                session=session,
                by=request.user,
                application=form.application(),
                policy=policy,
                on=request.clinic.today(),
            )
        except SessionLocked:
            return _refuse_locked(request, session)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The application is recorded.")
            return _detail(session, "step-complete")
    else:
        # Say everything wrong at once: the rules' messages for the fields that did parse.
        check = session_checks.session_day_check(session, policy=policy)
        if check is not None and not check.route_blocked:
            errors = session_checks.application_errors(
                plan=session.plan,
                check=check,
                application=form.application(),
                on=request.clinic.today(),
                policy=policy,
            )
            for name, field_messages in errors.items():
                if name in form.fields and name not in form.errors:
                    for message in field_messages:
                        form.add_error(name, message)
    return _page(request, session, application_form=form)


@role_required(CLINICIAN)
@require_POST
def session_complete(request, pk):
    """Step 4: the session's times, reactions and care given; then complete, lock, issue the
    aftercare (its times count from the recorded end)."""
    session = get_session_for_user(request.user, pk)
    if session.is_locked:
        return _refuse_locked(request, session)
    form = CompleteForm(request.POST, session=session, zone=request.clinic.zone)
    if form.is_valid():
        try:
            session = sessions.session_complete(
                session=session,
                by=request.user,
                reactions=form.cleaned_data["immediate_reactions"],
                post_care=form.cleaned_data["post_care"],
                notes=form.cleaned_data["notes"],
                clinic=request.clinic,
                started_at=form.cleaned_data["started_at"],
                ended_at=form.cleaned_data["ended_at"],
            )
        except SessionLocked:
            return _refuse_locked(request, session)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            emailed = (
                f" and is being emailed to {session.patient.email}" if session.patient.email else ""
            )
            messages.success(
                request,
                f"The session is completed and locked. The aftercare is ready to print{emailed}.",
            )
            return _detail(session, "aftercare")
    return _page(request, session, complete_form=form)


@role_required(CLINICIAN)
@require_POST
def session_not_treated(request, pk):
    """Close the session without treatment; the appointment is cancelled with the reason."""
    session = get_session_for_user(request.user, pk)
    if session.is_locked:
        return _refuse_locked(request, session)
    form = NotTreatedForm(request.POST)
    if form.is_valid():
        try:
            sessions.session_close_untreated(
                session=session, by=request.user, reason=form.cleaned_data["reason"]
            )
        except SessionLocked:
            return _refuse_locked(request, session)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "The session is closed as not treated. The appointment is cancelled, so the "
                "session can be booked again.",
            )
            return _detail(session)
    return _page(request, session, not_treated_form=form)


@role_required(CLINICIAN)
@require_POST
def session_addendum(request, pk):
    """A correction to a locked session, kept with its author and time."""
    session = get_session_for_user(request.user, pk)
    if not session.is_locked:
        messages.error(
            request, "The session is still open: correct it in its steps. Addenda come after."
        )
        return _detail(session)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            sessions.addendum_add(session=session, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The addendum is added.")
            return _detail(session, "addenda")
    return _page(request, session, addendum_form=form)


# --- Adverse events ------------------------------------------------------------------------------


@role_required(CLINICIAN)
@require_http_methods(["GET", "POST"])
def adverse_event_new(request, patient_pk):
    """Record an adverse event, from a session (?session=<pk>) or later."""
    patient = get_patient_for_user(request.user, patient_pk)
    choices = list(
        TreatmentSession.objects.filter(patient=patient)
        .exclude(status=SessionStatus.NOT_TREATED)
        .select_related("plan", "lot")
    )
    if request.method == "POST":
        form = AdverseEventForm(request.POST, sessions=choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                event = adverse_events.adverse_event_record(
                    patient=patient,
                    by=request.user,
                    session=data["session"],
                    kind=data["kind"],
                    description=data["description"],
                    severity=data["severity"],
                    onset_on=data["onset_on"],
                    action_taken=data["action_taken"],
                    outcome=data["outcome"],
                    resolved_on=data["resolved_on"],
                    serious_criteria=data["serious_criteria"],
                    other_products=data["other_products"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Adverse event recorded: {event}.")
                if event.session_id:
                    return _detail(event.session, "adverse-events")
                return redirect("patients:detail", pk=patient.pk)
    else:
        chosen = request.GET.get("session", "")
        initial = {"onset_on": request.clinic.today()}
        if chosen.isdigit() and int(chosen) in {s.pk for s in choices}:
            initial["session"] = int(chosen)
        form = AdverseEventForm(initial=initial, sessions=choices)
    return render(
        request, "treatments/sessions/adverse_event_form.html", {"form": form, "patient": patient}
    )


# --- Aftercare ---------------------------------------------------------------------------------


@role_required(*AFTERCARE_READERS)
@require_GET
@audited(AccessKind.AFTERCARE, patient=model_patient(TreatmentSession))
def aftercare(request, pk):
    """The aftercare the patient was given, as it was kept: printable on one A4 page."""
    session = get_aftercare_for_user(request.user, pk)
    return render(
        request,
        "treatments/sessions/aftercare.html",
        {"session": session, "patient": session.patient, "sheet": session.aftercare},
    )
