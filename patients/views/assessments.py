"""Skin assessments (docs/clinical-rules.md §Skin assessment): record, read and edit; dermatologists
only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.decorators import audited
from audit.models import AccessKind
from clinic.access import CLINICIANS, role_required
from clinic.concurrency import StaleEdit
from clinic.forms import add_service_errors
from clinic.lib.scores import MASI_REGIONS
from clinic.lib.vocabulary import Severity
from patients.access import get_assessment_for_user, get_patient_for_user
from patients.forms.assessments import MASI_FIELD_NAMES, AssessmentForm, MasiForm
from patients.models import ConsentKind
from patients.services import assessments as assessment_services
from patients.services import photos


def _masi_state(form) -> dict:
    """What the live MASI output shows for a bound form (data) or an unbound one (initial)."""
    if not form.is_bound:
        values = [form.initial.get(name) for name in MASI_FIELD_NAMES]
        if all(v is not None for v in values):
            regions = form.initial_regions()
            return {"masi_total": assessment_services.masi_total(regions), "masi_partial": False}
        return {"masi_total": None, "masi_partial": any(v is not None for v in values)}
    form.is_valid()
    if any(name in form.errors for name in MASI_FIELD_NAMES):
        return {"masi_total": None, "masi_partial": True}
    return {"masi_total": form.cleaned_data.get("masi"), "masi_partial": False}


def _render_form(request, *, form, patient, assessment=None):
    return render(
        request,
        "patients/assessment_form.html",
        {"form": form, "patient": patient, "assessment": assessment, **_masi_state(form)},
    )


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def assessment_new(request, patient_pk):
    patient = get_patient_for_user(request.user, patient_pk)
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_services.assessment_create(
                patient=patient, author=request.user, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The skin assessment is recorded.")
            return redirect("patients:assessment_detail", patient.pk, assessment.pk)
    return _render_form(request, form=form, patient=patient)


@role_required(*CLINICIANS)
@require_GET
@audited(AccessKind.ASSESSMENT, patient="patient_pk")
def assessment_detail(request, patient_pk, pk):
    patient = get_patient_for_user(request.user, patient_pk)
    assessment = get_assessment_for_user(request.user, pk, patient=patient)
    masi_rows = [
        {"label": label, "weight": weight, **assessment.masi_regions.get(key, {})}
        for key, label, weight in MASI_REGIONS
    ]
    concerns = list(assessment.concerns.all())
    return render(
        request,
        "patients/assessment_detail.html",
        {
            "patient": patient,
            "assessment": assessment,
            "concerns": [(row, Severity(row.severity).label) for row in concerns],
            "concern_zones": sorted({zone for row in concerns for zone in row.zones}),
            "masi_rows": masi_rows if assessment.masi_regions else [],
            "photos": [(photo, photos.alt_text(photo)) for photo in assessment.photos.all()],
            "photo_consent": patient.has_valid_consent(ConsentKind.PHOTO),
        },
    )


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def assessment_edit(request, patient_pk, pk):
    patient = get_patient_for_user(request.user, patient_pk)
    assessment = get_assessment_for_user(request.user, pk, patient=patient)
    if request.method == "POST":
        form = AssessmentForm(request.POST, editing=True)
    else:
        form = AssessmentForm(initial=AssessmentForm.initial_for(assessment), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_services.assessment_update(
                assessment=assessment,
                loaded_version=form.cleaned_data["version"],
                **form.service_data(),
            )
        except StaleEdit as stale:
            form.add_error(None, stale.message)
            assessment = get_assessment_for_user(request.user, pk, patient=patient)
        except ValidationError as error:
            add_service_errors(form, error)
            assessment = get_assessment_for_user(request.user, pk, patient=patient)
        else:
            messages.success(request, "The changes to the skin assessment are saved.")
            return redirect("patients:assessment_detail", patient.pk, assessment.pk)
    return _render_form(request, form=form, patient=patient, assessment=assessment)


@role_required(*CLINICIANS)
@require_POST
def masi_preview(request, patient_pk):
    """The MASI total for the region inputs posted, for the live output on the form (htmx)."""
    get_patient_for_user(request.user, patient_pk)
    form = MasiForm(request.POST)
    return render(request, "patients/assessment_form.html#masi_total", _masi_state(form))
