"""Treatment and photo consent: signed against the current text, revocable.

In the clinic the patient signs on the tablet, witnessed by a member of staff; in the portal on
their own device. Either way the signature keeps its evidence (patients.models.consents).
"""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from clinic.access import DESK, PATIENTS, role_required
from patients import handover
from patients.access import (
    consents_for_user,
    get_consent_for_user,
    get_own_patient,
    get_patient_for_user,
)
from patients.consent_notices import notices_for
from patients.forms.consents import (
    ConsentRevokeForm,
    ConsentSignForm,
    HandoverUnlockForm,
    PortalConsentSignForm,
)
from patients.models import ConsentChannel, ConsentKind, ConsentText
from patients.services import records as services


def signing_evidence(request) -> dict:
    """Where a signature was made from: the address and the browser."""
    return {
        "ip": get_client_ip_address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


def _kind(kind: str) -> ConsentKind:
    if kind not in ConsentKind.values:
        raise Http404
    return ConsentKind(kind)


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def consent_sign(request, pk, kind):
    """The hand-over screen's consent page: opening it hands the tablet to the patient (the
    session is locked to this patient's consent pages until the staff password is given)."""
    patient = get_patient_for_user(request.user, pk)
    kind = _kind(kind)
    handover.start(request, patient)
    text = ConsentText.current(kind)
    form = ConsentSignForm(request.POST or None, patient=patient, text=text)
    if request.method == "POST" and text is not None and form.is_valid():
        services.consent_sign(
            patient=patient,
            text=text,
            signed_name=form.cleaned_data["signed_name"],
            witness=request.user,
            channel=ConsentChannel.IN_CLINIC,
            **signing_evidence(request),
        )
        messages.success(request, f"Thank you: the {kind.label.lower()} is signed.")
        return redirect("patients:handover")
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
def handover_screen(request):
    """The tablet in the patient's hands: their consents to sign; the staff member's password
    hands it back (wrong passwords throttled as at login)."""
    patient_id = handover.locked_patient_id(request)
    if patient_id is None:
        return redirect("home")
    patient = get_patient_for_user(request.user, patient_id)
    form = HandoverUnlockForm(request.POST or None)
    refused = handover.unlock_refused(request)
    if request.method == "POST" and not refused and form.is_valid():
        if handover.unlock(request, form.cleaned_data["password"]):
            messages.success(request, "The tablet is yours again.")
            return redirect("patients:detail", pk=patient.pk)
        refused = handover.unlock_refused(request)
        if not refused:
            form.add_error("password", "That is not your password.")
    rows = []
    for kind in ConsentKind:
        text = ConsentText.current(kind)
        signed = patient.consents.valid().filter(text=text).exists() if text else False
        rows.append({"kind": kind, "text": text, "signed": signed})
    return render(
        request,
        "patients/handover.html",
        {
            "patient": patient,
            "rows": rows,
            "form": form,
            "locked_out": handover.LOCKED_OUT if refused else "",
        },
        status=429 if refused and request.method == "POST" else 200,
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


# --- The patient, in the portal -----------------------------------------------------------------


def _own_current_signatures(user) -> dict[str, object]:
    """kind -> the patient's valid signature on that kind's current text (or None)."""
    signed = {}
    for kind in ConsentKind:
        text = ConsentText.current(kind)
        signed[kind] = consents_for_user(user).valid().filter(text=text).first() if text else None
    return signed


@role_required(*PATIENTS)
@require_GET
def portal_consents(request):
    """The patient's consents: each kind's current text, signed or to sign."""
    patient = get_own_patient(request.user)
    signed = _own_current_signatures(request.user)
    rows = [{"kind": kind, "consent": signed[kind]} for kind in ConsentKind]
    return render(request, "patients/portal_consents.html", {"patient": patient, "rows": rows})


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_consent_sign(request, kind):
    """The patient signs the current text on their own device."""
    patient = get_own_patient(request.user)
    kind = _kind(kind)
    text = ConsentText.current(kind)
    signed = _own_current_signatures(request.user)[kind]
    form = PortalConsentSignForm(request.POST or None, patient=patient, text=text)
    if request.method == "POST" and text is not None and signed is None and form.is_valid():
        services.consent_sign(
            patient=patient,
            text=text,
            signed_name=form.cleaned_data["signed_name"],
            witness=None,
            channel=ConsentChannel.PORTAL,
            **signing_evidence(request),
        )
        messages.success(request, f"Thank you: your {kind.label.lower()} is signed.")
        return redirect("patients:portal_consents")
    return render(
        request,
        "patients/portal_consent_sign.html",
        {
            "form": form,
            "patient": patient,
            "text": text,
            "signed": signed,
            "kind_label": kind.label,
            "notices": notices_for(patient, kind),
        },
    )
