"""Who may book what, read from the database (the rule: clinic/lib/eligibility.py,
docs/clinical-rules.md §Who may book what).

One place for the front desk's booking, the course preview and the portal: each asks
``booking_refusals`` (to show why before anyone acts) or ``check_booking`` (inside the booking
transaction, which refuses with a ValidationError keyed by field).
"""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError

from clinic.lib import eligibility
from clinic.lib.screening import Level, findings_for, screen_findings
from clinic.lib.vocabulary import Area, Route
from clinic.models import AppointmentType, ClinicSettings
from patients.models import ConsentKind, Patient
from treatments.models import Appointment, AppointmentStatus, TreatmentPlan

HOLDING_OR_DONE = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.COMPLETED,
)


def is_new_patient(patient: Patient) -> bool:
    """Never seen: no assessment on record and no consultation booked or done."""
    if patient.assessments.exists():
        return False
    return not Appointment.objects.filter(
        patient=patient,
        appointment_type__kind=AppointmentType.Kind.CONSULTATION,
        status__in=HOLDING_OR_DONE,
    ).exists()


def latest_screen(patient: Patient):
    return patient.screens.order_by("-screened_on", "-created_at", "-pk").first()


def blocked_routes(screen, *, areas, clinic: ClinicSettings, on: dt.date) -> frozenset[str]:
    """The routes ``screen`` blocks on ``on`` in ``areas`` (docs/clinical-rules.md
    §Contraindication screen, §Block and caution)."""
    if screen is None:
        return frozenset()
    findings = screen_findings(screen.facts(), policy=clinic.policy, on=on)
    treated = [Area(a) for a in areas or ()]
    return frozenset(
        route.value
        for route in Route
        if any(f.level == Level.BLOCKED for f in findings_for(findings, route=route, areas=treated))
    )


def booking_facts(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    plan: TreatmentPlan | None,
    clinic: ClinicSettings,
    today: dt.date,
) -> eligibility.BookingFacts:
    """The rule's inputs for booking ``appointment_type`` (from ``plan``) for ``patient``: a few
    queries."""
    plan_facts = None
    screen = None
    consent = False
    blocked: frozenset[str] = frozenset()
    if plan is not None:
        plan_facts = eligibility.PlanFacts(
            state=plan.state,
            state_label=plan.get_state_display().lower(),
            route=plan.route,
            route_label=plan.get_route_display().lower(),
            own=plan.patient_id == patient.pk,
        )
    if appointment_type.kind == AppointmentType.Kind.TREATMENT:
        consent = patient.consents.valid().filter(kind=ConsentKind.TREATMENT).exists()
        screen = latest_screen(patient)
        if plan is not None:
            blocked = blocked_routes(screen, areas=plan.areas, clinic=clinic, on=today)
    return eligibility.BookingFacts(
        kind=appointment_type.kind,
        route=appointment_type.route,
        route_label=(
            appointment_type.get_route_display().lower() if appointment_type.route else ""
        ),
        new_patient=appointment_type.kind == AppointmentType.Kind.FOLLOW_UP
        and is_new_patient(patient),
        plan=plan_facts,
        treatment_consent=consent,
        screened_on=screen.screened_on if screen is not None else None,
        blocked_routes=blocked,
        today=today,
        screen_valid_days=clinic.screen_valid_days,
    )


def booking_refusals(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    plan: TreatmentPlan | None,
    clinic: ClinicSettings,
    today: dt.date,
) -> list[eligibility.Refusal]:
    """Why ``patient`` may not book ``appointment_type`` (from ``plan``) today; empty when they
    may."""
    return eligibility.booking_refusals(
        booking_facts(
            patient=patient,
            appointment_type=appointment_type,
            plan=plan,
            clinic=clinic,
            today=today,
        )
    )


def as_error(refusals: list[eligibility.Refusal]) -> ValidationError:
    by_field: dict[str, list[ValidationError]] = defaultdict(list)
    for refusal in refusals:
        by_field[refusal.field].append(ValidationError(refusal.message, code=refusal.code))
    return ValidationError(dict(by_field))


def check_booking(
    *,
    patient: Patient,
    appointment_type: AppointmentType,
    plan: TreatmentPlan | None,
    clinic: ClinicSettings,
    today: dt.date,
) -> None:
    """Refuse (ValidationError keyed by field) a booking the rule does not allow."""
    refusals = booking_refusals(
        patient=patient, appointment_type=appointment_type, plan=plan, clinic=clinic, today=today
    )
    if refusals:
        raise as_error(refusals)
