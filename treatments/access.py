"""How treatments views fetch records: one helper per kind, 404 for what does not exist.

Every view that uses these is already limited to the roles that may see the kind at all
(clinic.access.role_required); these helpers fetch what the page needs in one query.
"""

from django.shortcuts import get_object_or_404

from patients.models import Assessment
from treatments.models import Lot, TreatmentPlan


def get_assessment_for_plan(user, pk) -> Assessment:
    """An assessment a plan may be started from: the patient must not be archived."""
    return get_object_or_404(
        Assessment.objects.select_related("patient").prefetch_related("concerns"),
        pk=pk,
        patient__archived_at__isnull=True,
    )


def get_plan(user, pk) -> TreatmentPlan:
    return get_object_or_404(
        TreatmentPlan.objects.select_related(
            "patient", "assessment", "product", "author", "state_changed_by", "screen"
        ),
        pk=pk,
    )


def get_lot(user, pk) -> Lot:
    return get_object_or_404(Lot.objects.select_related("product", "recalled_by"), pk=pk)
