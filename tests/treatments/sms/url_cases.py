"""Who may open the contact preference, message and webhook pages.

The patient's own choice is a portal page (staff 403; the permission test's patient user has no
Patient record, hence 404). A patient's messages and the failed list are the desk's and the
dermatologists'. The webhooks (replies and delivery reports) are public and answer 403 to
anything Twilio did not sign.
"""

from django.utils import timezone

from clinic.models import Role
from tests.factories import PatientFactory
from tests.treatments.messaging.factories import AppointmentFactory
from tests.url_expectations import ALL, DESK_AND_DERM, PATIENT, Case
from treatments.models import MessageStatus, OutboundMessage


def _patient(request):
    return {"pk": PatientFactory().pk}


def _failed(request):
    message = OutboundMessage.objects.create(
        appointment=AppointmentFactory(),
        kind="confirmation",
        channel="sms",
        schedule_version=1,
        send_after=timezone.now(),
        status=MessageStatus.FAILED,
        last_error="Twilio refused the text.",
    )
    return {"pk": message.pk}


CASES = {
    "treatments:portal_contact": Case(allowed=PATIENT, per_role={Role.PATIENT: 404}),
    "treatments:patient_messages": Case(allowed=DESK_AND_DERM, kwargs=_patient),
    "treatments:failed_messages": Case(allowed=DESK_AND_DERM),
    "treatments:message_resend": Case(
        allowed=DESK_AND_DERM, kwargs=_failed, method="post", ok=302
    ),
    "treatments:sms_inbound": Case(
        allowed=ALL, method="post", ok=403, public=True, data={"From": "+447911123456"}
    ),
    # Twilio's delivery reports: public, and 403 to anything Twilio did not sign.
    "treatments:sms_status": Case(
        allowed=ALL, method="post", ok=403, public=True, data={"MessageStatus": "failed"}
    ),
}
