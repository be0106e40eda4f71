"""How patients hear from the clinic: their choice of email or text (the portal and the desk),
the desk's view of failed and bounced messages with "Send again", and the text provider's
webhooks: replies (inbound) and delivery reports (status callbacks).

The webhooks are public (Twilio calls them, nobody is signed in): a request without a valid
``X-Twilio-Signature`` for the clinic's auth token is refused with 403 before anything is read.
"""

import logging

import phonenumbers
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from twilio.request_validator import RequestValidator

from clinic.access import DESK, PATIENTS, role_required
from clinic.forms import add_service_errors
from patients.access import get_own_patient, get_patient_for_user
from treatments.access import get_message_for_user
from treatments.forms.contact import ContactPreferenceForm
from treatments.models import ChangedVia
from treatments.services import contact, outbox, texting

log = logging.getLogger(__name__)

PAGE_SIZE = 50
PATIENT_MESSAGES = 30
PREFERENCE_CHANGES = 10
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _preference_form(request, patient) -> ContactPreferenceForm:
    preference = contact.preference_of(patient)
    initial = {"reminders": preference.reminders, "other": preference.other}
    return ContactPreferenceForm(request.POST or None, initial=initial)


def _save(request, form, patient, via) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        contact.contact_preference_set(
            patient=patient,
            reminders=form.cleaned_data["reminders"],
            other=form.cleaned_data["other"],
            by=request.user,
            via=via,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


@role_required(*PATIENTS)
@require_http_methods(["GET", "POST"])
def portal_contact(request):
    """The patient chooses email, text, both or neither, for reminders and for the rest."""
    patient = get_own_patient(request.user)
    form = _preference_form(request, patient)
    if _save(request, form, patient, ChangedVia.PORTAL):
        messages.success(request, "Thank you: we will contact you as you chose.")
        return redirect("treatments:portal_contact")
    return render(
        request,
        "treatments/contact/portal_contact.html",
        {"form": form, "patient": patient, "preference": contact.preference_of(patient)},
    )


@role_required(*DESK)
@require_http_methods(["GET", "POST"])
def patient_messages(request, pk):
    """One patient's emails and texts (failed ones can be sent again) and their choice of
    channel, which the desk records when the patient tells them."""
    patient = get_patient_for_user(request.user, pk)
    form = _preference_form(request, patient)
    if _save(request, form, patient, ChangedVia.DESK):
        messages.success(request, "Contact preferences saved.")
        return redirect("treatments:patient_messages", pk=patient.pk)
    sent = list(outbox.messages_of_patient(patient)[:PATIENT_MESSAGES])
    changes = list(
        patient.contact_preference_changes.select_related("by")[:PREFERENCE_CHANGES]
    )
    return render(
        request,
        "treatments/contact/patient_messages.html",
        {
            "patient": patient,
            "form": form,
            "preference": contact.preference_of(patient),
            "sent": sent,
            "changes": changes,
            "texts_stopped": contact.TEXTS_STOPPED,
        },
    )


@role_required(*DESK)
@require_http_methods(["GET"])
def failed_messages(request):
    """Every email and text that failed or bounced, newest first, each with its reason."""
    page = Paginator(outbox.failed_messages(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "treatments/contact/failed_messages.html", {"page": page})


@role_required(*DESK)
@require_POST
def message_resend(request, pk):
    message = get_message_for_user(request.user, pk)
    try:
        outbox.message_resend(message=message, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The {message.get_channel_display().lower()} is being sent again."
        )
    back = request.POST.get("next", "")
    if back == "patient":
        return redirect("treatments:patient_messages", pk=message.appointment.patient_id)
    return redirect("treatments:failed_messages")


def _signature_valid(request) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    # Twilio signs the address it was given, which is the public one (SITE_URL), not whatever
    # host a proxy forwarded.
    url = settings.SITE_URL + request.get_full_path()
    return RequestValidator(token).validate(url, request.POST.dict(), signature)


def _e164(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@login_not_required
@csrf_exempt
@require_POST
def sms_inbound(request):
    """A patient's reply to a text (Twilio's inbound webhook): STOP, START or C."""
    if not _signature_valid(request):
        return HttpResponseForbidden("Bad signature.")
    number = _e164(request.POST.get("From", ""))
    outcome = "unknown sender"
    if number:
        outcome = contact.inbound_text(from_number=number, body=request.POST.get("Body", ""))
    log.info("Text reply from %s: %s", number or "an invalid number", outcome)
    # Twilio answers STOP and START itself; the clinic sends nothing back.
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@login_not_required
@csrf_exempt
@require_POST
def sms_status(request):
    """Twilio's delivery report on a text (its status callback): a text that never reached the
    phone is marked bounced. The message's id is in the signed address."""
    if not _signature_valid(request):
        return HttpResponseForbidden("Bad signature.")
    message_id = request.GET.get("message", "")
    if not (message_id.isdecimal() and len(message_id) <= 18):
        return HttpResponse(status=204)  # signed, but not about one of our messages
    outcome = texting.delivery_report(
        message_id=int(message_id),
        provider_id=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", "").lower(),
        error_code=request.POST.get("ErrorCode", "").strip(),
    )
    log.info("Delivery report on text %s: %s", message_id, outcome)
    return HttpResponse(status=204)
