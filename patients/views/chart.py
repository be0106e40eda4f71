"""One patient, one page: the dermatologist's chart, or the front desk's desk view."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.decorators import audited
from audit.models import AccessKind
from clinic.access import CLINICIANS, DESK, role_required
from patients import chart, panels, timeline
from patients.access import get_patient_for_user


@role_required(*DESK)
@require_GET
@audited(AccessKind.CHART, patient="pk")
def patient_detail(request, pk):
    patient = get_patient_for_user(request.user, pk)
    role = request.user.role
    context = {
        "patient": patient,
        "consents": chart.consent_status(patient),
        "entries": timeline.entries_for(patient, role),
        # Each provider decides what a role sees (the desk: contact details only).
        "panels": panels.panels_for(patient, role),
    }
    if request.user.has_role(*CLINICIANS):
        context["alerts"] = chart.alerts(patient, policy=request.clinic.policy)
        return render(request, "patients/chart.html", context)
    return render(request, "patients/desk_view.html", context)
