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
    MessageKind.MOVED: "{clinic}: your appointment has moved to {when}. {answer}",
    MessageKind.CANCELLED: "{clinic}: your appointment on {when} is cancelled. {rebook}",
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
        answer=ANSWER.format(phone=phone) if phone else ANSWER_NO_PHONE,
        rebook=REBOOK.format(phone=phone) if phone else REBOOK_NO_PHONE,
    )


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
            provider_id = backend.send(to=to, body=body, reference=reference)
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
