"""The intake before a consultation: the patient fills it in the portal, a dermatologist reads and
confirms it; the desk sees its status only (on the day's schedule).

A patient reaches only their own consultations' intakes (404 for any other id); the desk never
opens one (403).
"""

from dataclasses import replace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from clinic.access import CLINICIANS, PATIENTS, role_required
from clinic.lib import intake as rules
from clinic.models import AppointmentType
from patients import panels
from patients.models import ConsentKind, ConsentText
from treatments.access import get_consultation_for_user
from treatments.forms.intake import IntakeConfirmForm, IntakeForm
from treatments.models import Appointment, AppointmentStatus, Intake, IntakeStatus
from treatments.services import intake as service

ACTIONS = {"save": False, "submit": True}
UNKNOWN_ACTION = "Choose “Save and finish later” or “Send to the clinic”."


def _intake_or_blank(appointment: Appointment) -> Intake:
    """The appointment's intake, or an unsaved blank one (reading a page saves nothing)."""
    try:
        return appointment.intake
    except Intake.DoesNotExist:
        return Intake(appointment=appointment, patient=appointment.patient)


def _consents_to_sign(patient) -> list[dict]:
    """Each consent kind whose current text the patient has not signed (a query per kind)."""
    rows = []
    for kind in ConsentKind:
        text = ConsentText.current(kind)
        if text is None:
            continue
        signed = patient.consents.valid().filter(text=text).exists()
        rows.append({"kind": kind, "signed": signed})
    return rows


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_intake(request, pk):
    """The patient answers the screen's questions, their concerns and goals, saves as they go
    and sends it; the page links to signing consent."""
    appointment = get_consultation_for_user(request.user, pk)
    intake = _intake_or_blank(appointment)
    open_ = service.needs_intake(appointment) and intake.status != IntakeStatus.CONFIRMED
    form = IntakeForm(request.POST or None, initial=IntakeForm.initial_from(intake))
    if request.method == "POST" and open_:
        action = request.POST.get("action")
        if action not in ACTIONS:
            form.add_error(None, UNKNOWN_ACTION)
        elif form.is_valid():
            try:
                intake = service.intake_save(
                    intake=service.intake_for(appointment=appointment),
                    answers=form.cleaned_data,
                    submit=ACTIONS[action],
                )
            except ValidationError as error:
                form.add_error(None, error)  # a dict of fields goes next to each field
            else:
                if ACTIONS[action]:
                    messages.success(request, "Thank you: your answers are with the clinic.")
                else:
                    messages.success(request, "Your answers are saved. Come back any time.")
                return redirect("treatments:portal_intake", pk=appointment.pk)
    status = IntakeStatus(intake.status)
    return render(
        request,
        "treatments/intake/portal_intake.html",
        {
            "appointment": appointment,
            "intake": intake,
            "status": status,
            "open": open_,
            "form": form,
            "consents": _consents_to_sign(appointment.patient),
        },
    )


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def intake_review(request, pk):
    """The dermatologist reads a consultation's intake and confirms a submitted one as a screen."""
    appointment = get_consultation_for_user(request.user, pk)
    intake = _intake_or_blank(appointment)
    form = IntakeConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if intake.pk is None:
            form.add_error(None, "The patient has not sent this intake yet.")
        else:
            try:
                screen = service.intake_confirm(
                    intake=intake, by=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, "The intake is confirmed: it is the patient's screen now."
                )
                return redirect(
                    "patients:screen_detail", pk=appointment.patient_id, screen_pk=screen.pk
                )
    clinic = request.clinic
    findings = []
    if intake.status != IntakeStatus.NOT_STARTED:
        findings = rules.blocking_findings(
            intake.answers(),
            reported_on=clinic.today(),
            visit_on=timezone.localtime(appointment.starts_at, clinic.zone).date(),
            policy=clinic.policy,
        )
    return render(
        request,
        "treatments/intake/review.html",
        {
            "appointment": appointment,
            "patient": appointment.patient,
            "intake": intake,
            "answers": _answer_rows(intake),
            "findings": findings,
            "can_confirm": intake.pk is not None
            and any(
                row.target == IntakeStatus.CONFIRMED
                for row in intake.allowed_transitions(by=request.user)
            ),
            "form": form,
        },
    )


def _answer_rows(intake: Intake) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(question, answer)]) as the patient gave them; "Not answered" where empty."""
    from clinic.lib.vocabulary import Allergen, Area, Concern

    def words(question, value) -> str:
        if question.ask == rules.Ask.YES_NO:
            return {True: "Yes", False: "No"}.get(value, "Not answered")
        if question.ask == rules.Ask.AREAS:
            return ", ".join(Area(v).label for v in value) or "Nowhere"
        if question.ask == rules.Ask.ALLERGENS:
            return ", ".join(Allergen(v).label for v in value) or "None"
        if question.ask == rules.Ask.DATE:
            return f"{value:%d %b %Y}" if value else "Never"
        return value or "None"

    rows = [
        (heading, [(q.text, words(q, getattr(intake, q.name))) for q in questions])
        for heading, questions in rules.GROUPS
    ]
    rows.append(
        (
            "What the patient would like",
            [
                ("Concerns", ", ".join(Concern(c).label for c in intake.concerns) or "None"),
                ("In their own words", intake.concerns_in_own_words or "—"),
                ("Goals", intake.goals or "—"),
            ],
        )
    )
    return rows


# --- What other pages show ----------------------------------------------------------------------


def with_intake_status(items) -> list:
    """The schedule's items, each with its consultation's intake status (one query, none when
    no consultation is among them)."""
    consultations = [
        item.entry.pk for item in items if item.entry.kind == AppointmentType.Kind.CONSULTATION
    ]
    statuses = service.statuses_for(consultations) if consultations else {}
    return [replace(item, intake=statuses.get(item.entry.pk)) for item in items]


def intakes_to_confirm_section(request) -> dict:
    """The dermatologist's home: submitted intakes waiting for a dermatologist, soonest visit
    first (one query)."""
    return {"intakes": list(service.to_confirm()[:20])}


def intake_panel(patient, role):
    """The chart: the intakes of the patient's coming consultations, and whether they wait."""
    if role not in CLINICIANS:
        return None
    upcoming = list(
        Appointment.objects.filter(
            patient=patient,
            appointment_type__kind=AppointmentType.Kind.CONSULTATION,
            status=AppointmentStatus.BOOKED,
            starts_at__gte=timezone.now(),
        )
        .select_related("intake")
        .order_by("starts_at")
    )
    if not upcoming:
        return None
    for appointment in upcoming:
        appointment.intake_status = service.status_of(appointment)
    return panels.Panel(
        key="intake",
        title="Intake before the consultation",
        template="treatments/intake/_panel.html",
        context={"appointments": upcoming, "submitted": IntakeStatus.SUBMITTED},
    )
