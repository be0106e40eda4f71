"""The portal's "My record": the patient's whole record on a page, printable, and as FHIR."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.decorators import OWN, audited
from audit.models import AccessKind
from clinic.access import PATIENTS, role_required
from interop.http import bundle_response
from patients.access import get_own_patient
from treatments.services.own_record import own_record


def _page(request, template):
    record = own_record(get_own_patient(request.user))
    return render(request, template, {"record": record, "now": timezone.now()})


@role_required(*PATIENTS)
@require_GET
@audited(AccessKind.OWN_RECORD, patient=OWN)
def my_record(request):
    return _page(request, "treatments/own_record/page.html")


@role_required(*PATIENTS)
@require_GET
@audited(AccessKind.OWN_RECORD_PRINT, patient=OWN)
def my_record_print(request):
    return _page(request, "treatments/own_record/print.html")


@role_required(*PATIENTS)
@require_GET
@audited(AccessKind.OWN_RECORD_FHIR, patient=OWN)
def my_record_fhir(request):
    patient = get_own_patient(request.user)
    stamp = timezone.localdate().isoformat()
    return bundle_response(patient, filename=f"my-record-{stamp}.json", drafts=False)
