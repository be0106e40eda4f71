"""The desk's view of the outbox: what failed or bounced, and sending such a message again.

Failed: never taken (the mail server or the text provider refused it, or gave up). Bounced: the
text provider took it and later reported that it never reached the phone (its delivery report,
``texting.delivery_report``).

A resend moves the same row back to pending, so a message is still sent once per appointment,
kind, schedule version and channel; it is checked again before it goes (a message about an
appointment that moved since is skipped, a text to a patient who replied STOP is not sent).
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from treatments.models import MessageChannel, MessageStatus, OutboundMessage
from treatments.services import messaging

NO_LONGER_FAILED = "This message is no longer failed: it was sent again or has changed."

#: What the desk's failed list shows and may send again.
NOT_DELIVERED = (MessageStatus.FAILED, MessageStatus.BOUNCED)


def failed_messages() -> QuerySet[OutboundMessage]:
    """Failed and bounced emails and texts, newest first, with what the desk's lists show."""
    return (
        OutboundMessage.objects.filter(status__in=NOT_DELIVERED)
        .select_related("appointment__patient", "appointment__appointment_type")
        .order_by("-created_at", "-pk")
    )


def messages_of_patient(patient) -> QuerySet[OutboundMessage]:
    return (
        OutboundMessage.objects.filter(appointment__patient=patient)
        .select_related("appointment__appointment_type")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def message_resend(*, message: OutboundMessage, by) -> OutboundMessage:
    """Send a failed or bounced message again (the same row: still once per version and
    channel). A bounced text forgets its first sending, which never arrived."""
    messaging.STATES.check(message, MessageStatus.PENDING, by=by)
    now = timezone.now()
    send_after = now
    if message.channel == MessageChannel.SMS:
        from treatments.services import texting

        send_after = texting.outside_quiet_hours(now)
    undelivered = OutboundMessage.objects.filter(pk=message.pk).filter(
        Q(status=MessageStatus.FAILED, sent_at__isnull=True) | Q(status=MessageStatus.BOUNCED)
    )
    moved = messaging.STATES.update(
        undelivered,
        MessageStatus.PENDING,
        via=messaging.VIA,
        send_after=send_after,
        attempts=0,
        claimed_at=None,
        sent_at=None,
        provider_id="",
        segments=None,
        last_error=f"Sent again by {by.get_full_name() or by.email}.",
    )
    if not moved:
        raise ValidationError(NO_LONGER_FAILED)
    transaction.on_commit(partial(messaging.enqueue, message.pk, send_after))
    message.refresh_from_db()
    return message
