"""The patient portal: appointments, sessions with their aftercare, skin reports, asking to move
or cancel, rating a course, and the patient's home sections. Booking, moving and cancelling in the
portal are treatments.views.portal_booking; the dermatologist's worklist treatments.views.worklist;
the desk's list of requests treatments.views.change_requests.

A patient reaches only their own records: every view fetches through the access helpers
(patients.access, treatments.access), which answer 404 for any other patient's id. Staff do not
use the portal pages (403).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods

from clinic.access import CLINICIANS, PATIENTS, role_required
from clinic.lib.aftercare import PRE_VISIT, aftercare_for, format_until
from clinic.lib.vocabulary import Route
from clinic.templatetags.phone import tel_link
from patients import timeline
from patients.access import get_own_patient, own_patient
from patients.models import Patient
from patients.views.portal import ActivateView
from treatments.access import (
    get_appointment_for_user,
    get_plan_for_user,
    get_session_for_user,
)
from treatments.forms.portal import (
    ChangeRequestForm,
    RatingForm,
    SkinReportForm,
)
from treatments.models import (
    HOLDING_STATUSES,
    Appointment,
    ChangeRequest,
    PlanState,
    SessionStatus,
    SkinReport,
    TreatmentPlan,
    TreatmentSession,
)
from treatments.services import intake, portal, portal_booking, scheduling

HOME_UPCOMING = 3


# --- What the pages show -------------------------------------------------------------------------


def clinician_name(user) -> str:
    """'Dr Amelia Hart': the staff profile's name when there is one (select_related it)."""
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile is not None else (user.get_full_name() or user.email)


def pre_visit(appointment: Appointment) -> tuple[str, ...]:
    """docs/clinical-rules.md §Aftercare: pre-visit instructions for the appointment's route, if it
    has one."""
    route = appointment.appointment_type.route
    return PRE_VISIT[Route(route)] if route else ()


def _upcoming(patient: Patient, *, now: dt.datetime):
    """The patient's holding appointments still to come, soonest first (one query)."""
    return (
        Appointment.objects.holding()
        .with_calendar_details()
        .select_related("intake")
        .filter(patient=patient, starts_at__gte=now)
        .order_by("starts_at", "pk")
    )


def _with_pre_visit(appointments) -> list[Appointment]:
    appointments = list(appointments)
    for appointment in appointments:
        appointment.pre_visit = pre_visit(appointment)
        appointment.intake_status = intake.status_of(appointment)
    return appointments


@dataclass(frozen=True, slots=True)
class AftercareSummary:
    """A session's aftercare as the patient was given it (or, failing that, as computed)."""

    instructions: list[str]
    call_clinic_if: str
    from_snapshot: bool


def aftercare_summary(session: TreatmentSession, *, zone) -> AftercareSummary:
    """The instructions stored with the session when it was completed, never recomputed; a
    session completed without a stored snapshot gets them computed from its route and end time
    (clinic.lib.aftercare, docs/clinical-rules.md §Aftercare)."""
    snapshot = session.aftercare or {}
    lines = [
        item.get("text", "") if isinstance(item, dict) else str(item)
        for item in snapshot.get("instructions", [])
    ]
    if lines:
        return AftercareSummary(
            instructions=[line for line in lines if line],
            call_clinic_if=snapshot.get("call_clinic_if", ""),
            from_snapshot=True,
        )
    computed = aftercare_for(
        session.plan.route, ended_at=timezone.localtime(session.ended_at, zone)
    )
    return AftercareSummary(
        instructions=[i.text for i in computed.instructions],
        call_clinic_if=computed.call_clinic_if,
        from_snapshot=False,
    )


def _completed_sessions(patient: Patient):
    return (
        TreatmentSession.objects.filter(
            patient=patient, status=SessionStatus.COMPLETED, ended_at__isnull=False
        )
        .select_related("plan", "clinician__staff_profile")
        .order_by("-ended_at", "-pk")
    )


def _call_us(request) -> str:
    phone = request.clinic.phone
    if not phone:
        return "call the clinic now"
    return format_html("call the clinic now on {}", tel_link(phone))


# --- Patient: appointments and asking to move or cancel ------------------------------------------


@role_required(*PATIENTS)
@require_GET
def portal_appointments(request):
    """Upcoming appointments with pre-visit instructions, then earlier and cancelled ones."""
    patient = get_own_patient(request.user)
    now = timezone.now()
    open_requests = Prefetch(
        "change_requests",
        queryset=ChangeRequest.objects.filter(handled_at__isnull=True),
        to_attr="open_requests",
    )
    appointments = list(
        Appointment.objects.with_calendar_details()
        .filter(patient=patient)
        .select_related("intake")
        .prefetch_related(open_requests)
        .order_by("starts_at", "pk")
    )
    upcoming = [a for a in appointments if a.status in HOLDING_STATUSES and a.starts_at >= now]
    coming = {a.pk for a in upcoming}
    earlier = [a for a in reversed(appointments) if a.pk not in coming]
    for appointment in upcoming:
        appointment.pre_visit = pre_visit(appointment)
        appointment.open_request = (
            appointment.open_requests[0] if appointment.open_requests else None
        )
        appointment.changeable = portal.can_request_change(appointment, now=now)
        refusal = portal_booking.change_refusal(appointment, clinic=request.clinic, now=now)
        appointment.self_service = refusal is None
        appointment.why_ask = refusal.messages[0] if refusal is not None else ""
        appointment.intake_status = intake.status_of(appointment)
    return render(
        request,
        "treatments/portal/appointments.html",
        {"patient": patient, "upcoming": upcoming, "earlier": earlier},
    )


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_change_request(request, pk):
    """Ask the clinic to move or cancel an appointment; the desk sees the request."""
    appointment = get_appointment_for_user(request.user, pk)
    patient = appointment.patient
    now = timezone.now()
    existing = ChangeRequest.objects.filter(
        appointment=appointment, handled_at__isnull=True
    ).first()
    changeable = portal.can_request_change(appointment, now=now)
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal.change_request_create(
                appointment=appointment,
                patient=patient,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                now=now,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Your request is with the clinic's front desk. They will contact you; until then "
                "your appointment stands.",
            )
            return redirect("treatments:portal_appointments")
    return render(
        request,
        "treatments/portal/change_request.html",
        {
            "appointment": appointment,
            "form": form,
            "existing": existing,
            "changeable": changeable,
            "already_asked": portal.ALREADY_ASKED,
            "not_changeable": portal.NOT_CHANGEABLE,
            "late": changeable
            and scheduling.is_late_cancellation(appointment, now, clinic=request.clinic),
        },
    )


# --- Patient: sessions, aftercare, skin reports and rating ----------------------------------------


@role_required(*PATIENTS)
@require_GET
def portal_sessions(request):
    """Past treatment sessions, each with its aftercare and, for 7 days, the skin report."""
    patient = get_own_patient(request.user)
    now = timezone.now()
    sessions = list(_completed_sessions(patient).annotate(skin_report_count=Count("skin_reports")))
    for session in sessions:
        session.window = portal.skin_report_window(session, now=now)
        session.clinician_name = clinician_name(session.clinician)
    # Courses, once planned (a draft is the clinician's working copy), each with its rating.
    plans = list(
        TreatmentPlan.objects.filter(patient=patient)
        .exclude(state=PlanState.DRAFT)
        .annotate(
            done=Count("sessions_done", filter=Q(sessions_done__status=SessionStatus.COMPLETED))
        )
        .prefetch_related("patient_ratings")
        .order_by("-created_at", "-pk")
    )
    for plan in plans:
        plan.rating_offered = portal.rating_offered(plan, sessions_done=plan.done)
        ratings = list(plan.patient_ratings.all())
        plan.last_rating = ratings[0] if ratings else None
    return render(
        request,
        "treatments/portal/sessions.html",
        {"patient": patient, "sessions": sessions, "plans": plans},
    )


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_skin_report(request, pk):
    """How is your skin? Offered for 7 days after the session; beyond the expected, the
    dermatologist gets a worklist item and the patient is told to call if it is urgent."""
    session = get_session_for_user(request.user, pk)
    zone = request.clinic.zone
    now = timezone.now()
    window = portal.skin_report_window(session, now=now)
    form = SkinReportForm(request.POST or None) if window.open else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            result = portal.skin_report_submit(
                session=session, patient=session.patient, answers=form.answers, now=now, zone=zone
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.beyond_expected:
                who = clinician_name(session.clinician)
                messages.warning(
                    request,
                    format_html(
                        "Thank you. What you describe is more than the usual reaction after a "
                        "session, so we have let {} know and the clinic will contact you. "
                        "If it is urgent, {}.",
                        who,
                        _call_us(request),
                    ),
                )
            else:
                messages.success(
                    request,
                    "Thank you. What you describe is expected after a session and should settle. "
                    "Tell us again if anything changes.",
                )
            return redirect("treatments:portal_sessions")
    earlier = list(session.skin_reports.all())
    return render(
        request,
        "treatments/portal/skin_report.html",
        {
            "session": session,
            "form": form,
            "window": window,
            "closes_at_text": (
                format_until(timezone.localtime(window.closes_at, zone)) if window.closes_at else ""
            ),
            "closed_message": ""
            if window.open
            else portal.window_closed_message(window, zone=zone),
            "earlier": earlier,
            "call_us": _call_us(request),
        },
    )


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_rating(request, pk):
    """The patient's own GAIS and satisfaction for a course (docs/clinical-rules.md §Follow-up)."""
    plan = get_plan_for_user(request.user, pk)
    offered = portal.rating_offered(plan, sessions_done=portal.sessions_done(plan))
    form = RatingForm(request.POST or None) if offered else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            portal.rating_submit(
                plan=plan,
                patient=plan.patient,
                gais=form.cleaned_data["gais"],
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thank you for rating your results.")
            return redirect("treatments:portal_sessions")
    return render(
        request,
        "treatments/portal/rating.html",
        {"plan": plan, "form": form, "not_yet": "" if offered else portal.RATING_NOT_YET},
    )


# --- Patient home ------------------------------------------------------------------------------


def upcoming_section(request) -> dict:
    patient = own_patient(request.user)
    if patient is None:
        return {"appointments": []}
    return {"appointments": _with_pre_visit(_upcoming(patient, now=timezone.now())[:HOME_UPCOMING])}


def aftercare_section(request) -> dict:
    patient = own_patient(request.user)
    session = _completed_sessions(patient).first() if patient is not None else None
    if session is None:
        return {"session": None}
    window = portal.skin_report_window(session, now=timezone.now())
    zone = request.clinic.zone
    return {
        "session": session,
        "aftercare": aftercare_summary(session, zone=zone),
        "window": window,
        "closes_at_text": (
            format_until(timezone.localtime(window.closes_at, zone)) if window.open else ""
        ),
    }


# --- The chart timeline: skin reports, for dermatologists only ------------------------------------


def skin_report_entries(patient, role) -> list[timeline.Entry]:
    """Skin reports on the chart (clinical: dermatologists only; one query)."""
    if role not in CLINICIANS:
        return []
    entries = []
    for skin_report in SkinReport.objects.filter(patient=patient).select_related("session"):
        session_day = dateformat.format(timezone.localtime(skin_report.session.started_at), "j M Y")
        entries.append(
            timeline.Entry(
                when=skin_report.submitted_at,
                kind="Skin report",
                title=f"Skin report after the session of {session_day}",
                detail=portal.answers_text(skin_report),
                badges=("Beyond the expected",) if skin_report.beyond_expected else (),
            )
        )
    return entries


class PortalActivateView(ActivateView):
    """The invitation's one-time link (patients.views.portal.ActivateView); once the patient has
    chosen their password, the intake of each coming consultation is asked for
    (treatments.services.intake)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        intake.intake_requests_on_activation(form.user)
        return response
