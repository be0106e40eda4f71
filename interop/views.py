"""A patient's whole record as one FHIR R4 Bundle, for the dermatologist to hand on."""

from django.views.decorators.http import require_GET

from audit.decorators import audited
from audit.models import AccessKind
from clinic.access import CLINICIANS, role_required
from interop.http import bundle_response
from patients.access import get_patient_for_user


@role_required(*CLINICIANS)
@require_GET
@audited(AccessKind.FHIR_EXPORT, patient="pk")
def patient_bundle(request, pk):
    patient = get_patient_for_user(request.user, pk)
    return bundle_response(patient, filename=f"patient-{patient.pk}-fhir.json")
