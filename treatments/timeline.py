"""Plans on the patient's chart timeline (patients.timeline).

The front desk sees that a plan exists, its route, number of sessions and interval and its state:
what they need to book. Never the product, reasons, justification or notes (docs/clinical-rules.md
§People). Dermatologists see the plan with a link to it. One query per chart, whatever the history.
"""

from django.urls import reverse

from clinic.access import CLINICIANS
from clinic.models import Role
from patients.timeline import Entry
from treatments.models import TreatmentPlan, interval_text

DESK_FIELDS = ("pk", "created_at", "route", "sessions", "interval_days", "state")


def _course(plan) -> str:
    sessions = f"{plan.sessions} session{'s' if plan.sessions != 1 else ''}"
    return f"{sessions}, every {interval_text(plan.interval_days)}"


def plan_entries(patient, role) -> list[Entry]:
    if role == Role.FRONT_DESK:
        plans = TreatmentPlan.objects.filter(patient=patient).only(*DESK_FIELDS)
        return [
            Entry(
                when=plan.created_at,
                kind="Plan",
                title=f"Treatment plan: {plan.get_route_display()}",
                detail=_course(plan),
                badges=(plan.get_state_display(),),
            )
            for plan in plans
        ]
    if role in CLINICIANS:
        plans = TreatmentPlan.objects.filter(patient=patient).select_related("product")
        return [
            Entry(
                when=plan.created_at,
                kind="Plan",
                title=f"Treatment plan: {plan.get_route_display()}",
                url=reverse("treatments:plan_detail", kwargs={"pk": plan.pk}),
                detail=_course(plan) + (f" · {plan.product.name}" if plan.product else ""),
                badges=(plan.get_state_display(),),
            )
            for plan in plans
        ]
    return []
