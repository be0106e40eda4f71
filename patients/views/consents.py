"""Treatment and photo consent: signed against the current text, witnessed, revocable."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clinic.access import DESK, role_required
from patients.access import get_consent_for_user, get_patient_for_user
from patients.consent_notices import notices_for
from patients.forms.consents import ConsentRevokeForm, ConsentSignForm
from patients.models import ConsentKind, ConsentText
from patients.services import records as services


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def consent_sign(request, pk, kind):
    patient = get_patient_for_user(request.user, pk)
    if kind not in ConsentKind.values:
        raise Http404
    text = ConsentText.current(kind)
    form = ConsentSignForm(request.POST or None, patient=patient, text=text)
    if request.method == "POST" and text is not None and form.is_valid():
        services.consent_sign(
            patient=patient,
            text=text,
            signed_name=form.cleaned_data["signed_name"],
            witness=request.user,
        )
        messages.success(request, f"{ConsentKind(kind).label} is signed.")
        return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/consent_sign.html",
        {
            "form": form,
            "patient": patient,
            "text": text,
            "kind_label": ConsentKind(kind).label,
            "notices": notices_for(patient, kind),
        },
    )


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def consent_revoke(request, pk, consent_pk):
    patient = get_patient_for_user(request.user, pk)
    consent = get_consent_for_user(request.user, consent_pk, patient=patient)
    form = ConsentRevokeForm(request.POST or None)
    if consent.revoked_at is not None:
        messages.info(request, "This consent was already revoked.")
        return redirect("patients:detail", pk=patient.pk)
    if request.method == "POST" and form.is_valid():
        services.consent_revoke(
            consent=consent, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"{consent.get_kind_display()} is revoked.")
        return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/consent_revoke.html",
        {"form": form, "patient": patient, "consent": consent},
    )
