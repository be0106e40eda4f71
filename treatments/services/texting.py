"""Texts to patients: their wording, quiet hours, and sending one claimed text.

A text carries no clinical detail (no route, product or treatment: a phone's lock screen shows
it to anyone): only the clinic's name, the time and how to answer. Each fits one 160-character
GSM-7 segment for a clinic name of up to about 40 characters (see ``clinic.lib.sms``); the
number of segments billed is kept with each message.

Exactly once. The text is claimed like an email (``messaging.deliver``). A provider that is busy
(429) or down (5xx, no answer) did not take it: the message goes back to pending with a later
``send_after`` (``SMS_RETRY_MINUTES``), up to ``messaging.MAX_ATTEMPTS`` tries, then is left
failed with the provider's reason for the desk. Before any later try the provider is asked
whether it already has the text (a worker that stopped after the provider took it, an answer
that never arrived): if it does, the message is recorded sent and not sent again.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import dateformat, timezone

from clinic.lib import quiet_hours
from clinic.lib.sms import segments
from clinic.models import ClinicSettings
from treatments.models import MessageKind, MessageStatus, OutboundMessage
from treatments.services import messaging, sms

log = logging.getLogger(__name__)

#: The text of each kind that goes by text; a kind without one goes by email only. Other
#: concerns add theirs here (a waitlist offer, an intake request).
TEXTS: dict[str, str] = {
    MessageKind.CONFIRMATION: "{clinic}: your appointment is booked for {when}. {answer}",
    MessageKind.REMINDER: "Your appointment at {clinic} is on {when}. {answer}",
    MessageKind.SAME_DAY: "Your appointment at {clinic} is today at {time}. {answer}",
    MessageKind.MOVED: "{clinic}: your appointment has moved to {when}. {answer}",
    MessageKind.CANCELLED: "{clinic}: your appointment on {when} is cancelled. {rebook}",
    MessageKind.INTAKE_REQUEST: "{clinic}: before your visit on {when} please answer our "
    "questions: {url}",
}
#: Texts about something other than one of the patient's appointments, each worded by its own
#: concern: a waitlist offer (treatments.services.waitlist, with the offer's link and hold).
OTHER_TEXTS: dict[str, str] = {
    "waitlist_offer": "{clinic}: {when} is free. Yours if you take it within {minutes} min: "
    "{link}",
}
ANSWER = "Reply C to confirm or call {phone}"
ANSWER_NO_PHONE = "Reply C to confirm"
REBOOK = "To rebook call {phone}"
REBOOK_NO_PHONE = "Reply or visit us to rebook"


def when_text(moment: dt.datetime, clinic: ClinicSettings) -> str:
    """'Tue 8 Dec at 09:00' on the clinic's clock."""
    return dateformat.format(timezone.localtime(moment, clinic.zone), r"D j M \a\t H:i")


def text_body(message: OutboundMessage, *, clinic: ClinicSettings) -> str:
    appointment = message.appointment
    phone = clinic.phone.strip()
    return TEXTS[message.kind].format(
        clinic=clinic.name,
        when=when_text(appointment.starts_at, clinic),
        time=dateformat.format(timezone.localtime(appointment.starts_at, clinic.zone), "H:i"),
        answer=ANSWER.format(phone=phone) if phone else ANSWER_NO_PHONE,
        rebook=REBOOK.format(phone=phone) if phone else REBOOK_NO_PHONE,
        url=settings.SITE_URL + reverse("treatments:portal_intake", args=[appointment.pk])
        if message.kind == MessageKind.INTAKE_REQUEST
        else "",
    )


def quiet_hours_of_clinic() -> tuple[dt.time, dt.time] | None:
    """The clinic's quiet hours for texts (``SMS_QUIET_HOURS``), or None when it has none."""
    return quiet_hours.parse(settings.SMS_QUIET_HOURS) if settings.SMS_QUIET_HOURS else None


def outside_quiet_hours(when: dt.datetime, *, clinic: ClinicSettings | None = None) -> dt.datetime:
    """``when``, or the end of the clinic's quiet hours (``SMS_QUIET_HOURS``) when it is in them."""
    if not settings.SMS_QUIET_HOURS:
        return when
    clinic = clinic or ClinicSettings.load()
    start, end = quiet_hours.parse(settings.SMS_QUIET_HOURS)
    return quiet_hours.next_allowed(when, zone=clinic.zone, start=start, end=end)


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th try before the next one."""
    minutes = settings.SMS_RETRY_MINUTES or [5]
    return dt.timedelta(minutes=minutes[min(attempts, len(minutes)) - 1])


def _wait_until(message: OutboundMessage, when: dt.datetime, reason: str, *, refund=False) -> None:
    """Back to pending, to be tried at ``when``; ``refund``: this claim was no try at all."""
    fields = {"send_after": when, "last_error": reason}
    if refund:
        fields["attempts"] = F("attempts") - 1
    moved = messaging.STATES.update(
        OutboundMessage.objects.filter(pk=message.pk, sent_at__isnull=True),
        MessageStatus.PENDING,
        via=messaging.VIA,
        source=MessageStatus.SENDING,
        **fields,
    )
    if moved:
        messaging.enqueue(message.pk, when)


def send_claimed_text(message: OutboundMessage, *, clinic: ClinicSettings) -> str:
    """Send the text of ``message``, which this worker has claimed; say what happened."""
    now = timezone.now()
    resumes = outside_quiet_hours(now, clinic=clinic)
    if resumes > now:  # a retry or a resend that came due at night
        _wait_until(message, resumes, "Waiting for the end of quiet hours.", refund=True)
        return "not due"
    to = message.appointment.patient.mobile.as_e164
    body = text_body(message, clinic=clinic)
    reference = f"message-{message.pk}"
    try:
        backend = sms.get_backend()
        provider_id = None
        if message.attempts > 1:
            provider_id = backend.find_sent(to=to, body=body, since=message.created_at)
            if provider_id:
                log.warning("Text %s was already with the provider; not sent again", message.pk)
        if not provider_id:
            provider_id = backend.send(
                to=to, body=body, reference=reference, status_callback=status_callback(message)
            )
    except sms.TextRefused as error:
        messaging.finish(message.pk, MessageStatus.FAILED, last_error=error.reason, sent_to=to)
        return "failed"
    except sms.ProviderUnavailable as error:
        if message.attempts >= messaging.MAX_ATTEMPTS:
            reason = f"{error.reason} Gave up after {message.attempts} tries."
            messaging.finish(message.pk, MessageStatus.FAILED, last_error=reason, sent_to=to)
            return "failed"
        retry_at = outside_quiet_hours(now + retry_delay(message.attempts), clinic=clinic)
        local = timezone.localtime(retry_at, clinic.zone)
        _wait_until(message, retry_at, f"{error.reason} Trying again at {local:%H:%M}.")
        return "retrying"
    except Exception as error:  # a misconfigured backend: the desk sees why
        log.exception("Text %s could not be sent", message.pk)
        messaging.finish(
            message.pk, MessageStatus.FAILED, last_error=f"{type(error).__name__}: {error}"
        )
        return "failed"
    messaging.finish(
        message.pk,
        MessageStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        sent_to=to,
        provider_id=provider_id[:64],
        segments=segments(body).count,
    )
    return "sent"


# --- Delivery reports ------------------------------------------------------------------------

#: The provider's delivery statuses that mean the text never reached the phone.
NOT_DELIVERED = frozenset({"undelivered", "failed"})
#: Twilio's delivery error codes, in the desk's words (https://www.twilio.com/docs/api/errors).
DELIVERY_ERRORS = {
    "30003": "the phone is switched off or out of reach",
    "30004": "the number blocks messages",
    "30005": "the number does not exist or is no longer in use",
    "30006": "the number is a landline or cannot receive texts",
    "30007": "the network filtered it as unwanted",
    "30008": "the network did not say why",
}


def status_callback(message: OutboundMessage) -> str:
    """Where the provider reports what became of this text (signed, so the id is safe there)."""
    if not settings.SMS_DELIVERY_REPORTS:
        return ""
    return f"{settings.SITE_URL}{reverse('treatments:sms_status')}?message={message.pk}"


def bounce_reason(status: str, error_code: str) -> str:
    why = DELIVERY_ERRORS.get(error_code, "")
    text = f"Not delivered: {why}" if why else f"Not delivered (the provider says {status})"
    return f"{text} (Twilio error {error_code})." if error_code else f"{text}."


def delivery_report(*, message_id: int, provider_id: str, status: str, error_code: str) -> str:
    """The provider's report on one text it took: "undelivered" or "failed" marks the message
    bounced with the reason, for the desk to check the number and send again. Any other status
    (queued, sent, delivered) changes nothing. A report for an earlier sending of a message that
    the desk has sent again since (another provider id) is ignored. Says what it did."""
    if status not in NOT_DELIVERED:
        return "noted"
    message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "unknown message"
    if message.provider_id and message.provider_id != provider_id[:64]:
        return "an earlier sending"
    moved = messaging.STATES.update(
        OutboundMessage.objects.filter(pk=message_id, provider_id__in=["", provider_id[:64]]),
        MessageStatus.BOUNCED,
        via=messaging.VIA,
        last_error=bounce_reason(status, error_code),
        provider_id=provider_id[:64],
    )
    if moved:
        log.warning("Text %s bounced: %s %s", message_id, status, error_code)
        return "bounced"
    return "already done"
