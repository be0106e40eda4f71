"""The desk's view of the outbox: what failed, and sending a failed message again.

A resend moves the same row back to pending, so a message is still sent once per appointment,
kind, schedule version and channel; it is checked again before it goes (a message about an
appointment that moved since is skipped, a text to a patient who replied STOP is not sent).
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from treatments.models import MessageChannel, MessageStatus, OutboundMessage
from treatments.services import messaging

NO_LONGER_FAILED = "This message is no longer failed: it was sent again or has changed."


def failed_messages() -> QuerySet[OutboundMessage]:
    """Failed emails and texts, newest first, with what the desk's lists show."""
    return (
        OutboundMessage.objects.filter(status=MessageStatus.FAILED)
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
    """Send a failed message again (the same row: still once per version and channel)."""
    messaging.STATES.check(message, MessageStatus.PENDING, by=by)
    now = timezone.now()
    send_after = now
    if message.channel == MessageChannel.SMS:
        from treatments.services import texting

        send_after = texting.outside_quiet_hours(now)
    moved = messaging.STATES.update(
        OutboundMessage.objects.filter(pk=message.pk, sent_at__isnull=True),
        MessageStatus.PENDING,
        via=messaging.VIA,
        source=MessageStatus.FAILED,
        send_after=send_after,
        attempts=0,
        claimed_at=None,
        last_error=f"Sent again by {by.get_full_name() or by.email}.",
    )
    if not moved:
        raise ValidationError(NO_LONGER_FAILED)
    transaction.on_commit(partial(messaging.enqueue, message.pk, send_after))
    message.refresh_from_db()
    return message
