"""Outbound patient messages (sent exactly once per channel) and private calendar feeds."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.models import Role
from treatments.models.states import StateMachine, StateMachineModel, Workflow, transition


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Booking confirmation"
    REMINDER = "reminder", "Reminder"
    #: The clinic's optional second reminder, on the morning of the appointment.
    SAME_DAY = "same_day", "Same-day reminder"
    MOVED = "moved", "Appointment moved"
    CANCELLED = "cancelled", "Appointment cancelled"
    AFTERCARE = "aftercare", "Aftercare instructions"
    INTAKE_REQUEST = "intake_request", "Intake before the visit"


class MessageChannel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent (no longer true)"
    FAILED = "failed", "Failed"
    #: The provider took it, then reported that it never reached the phone.
    BOUNCED = "bounced", "Bounced (not delivered)"


def _message_refused(current: MessageStatus, target: MessageStatus, targets: list) -> str:
    return f"A message {current.label.lower()} cannot become {target.label.lower()}."


_M = MessageStatus
_WORKER = [Workflow.MESSAGING]
#: A message's states. Only treatments.services.messaging moves them (the queue, the worker and
#: its recovery), each change in one conditional UPDATE built from this table, so that two
#: workers never both make it. A worker's result may arrive after recovery took its claim back
#: (it was only slow): what really happened is still recorded, and a sent message stays sent.
MESSAGE_STATES = StateMachine(
    field="status",
    states=MessageStatus,
    refused=_message_refused,
    unknown="Unknown message status.",
    transitions=[
        transition(_M.PENDING, _M.SENDING, via=_WORKER),  # a worker claims it
        transition(_M.PENDING, _M.SKIPPED, via=_WORKER),  # voided: the appointment changed
        transition(_M.SENDING, _M.SENT, via=_WORKER),
        transition(_M.SENDING, _M.SKIPPED, via=_WORKER),  # no longer true at the last moment
        transition(_M.SENDING, _M.FAILED, via=_WORKER),  # the mail server refused, or gave up
        # Recovery (the worker stopped), or a retry later (the text provider was busy or down).
        transition(_M.SENDING, _M.PENDING, via=_WORKER),
        # A slow worker's result, after recovery took its claim back.
        transition(_M.PENDING, _M.SENT, via=_WORKER),
        transition(_M.PENDING, _M.FAILED, via=_WORKER),
        transition(_M.FAILED, _M.SENT, via=_WORKER),
        transition(_M.FAILED, _M.SKIPPED, via=_WORKER),
        transition(_M.SKIPPED, _M.SENT, via=_WORKER),
        # The provider's delivery report: it took the text, and the phone never got it. The
        # report may come before the worker has recorded the provider's answer, or after
        # recovery took the claim back; a bounced text is not sent again by itself.
        transition(_M.SENT, _M.BOUNCED, via=_WORKER),
        transition(_M.SENDING, _M.BOUNCED, via=_WORKER),
        transition(_M.PENDING, _M.BOUNCED, via=_WORKER),
        # The desk sends a failed or bounced message again: the same row, so still once per
        # version.
        transition(
            _M.FAILED,
            _M.PENDING,
            "Send again",
            roles=[Role.FRONT_DESK, Role.DERMATOLOGIST],
            via=_WORKER,
        ),
        transition(
            _M.BOUNCED,
            _M.PENDING,
            "Send again",
            roles=[Role.FRONT_DESK, Role.DERMATOLOGIST],
            via=_WORKER,
        ),
    ],
)


class OutboundMessage(StateMachineModel, models.Model):
    """One email or text to a patient about one appointment, sent at most once.

    The unique (appointment, kind, schedule_version, channel) key means a message for one
    version of an appointment's schedule exists once per channel, however often the booking code
    or a worker runs; a worker
    claims a message by moving it from pending to sending in one conditional UPDATE, so two
    workers never both send it. A reminder queued for an older schedule_version is skipped.
    """

    appointment = models.ForeignKey(
        "Appointment", on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=14, choices=MessageKind.choices)
    schedule_version = models.PositiveIntegerField()
    channel = models.CharField(
        max_length=5, choices=MessageChannel.choices, default=MessageChannel.EMAIL
    )
    send_after = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    #: Where it went (the email address or E.164 mobile at the time) and the provider's id of
    #: a text, which the provider's records are searched by.
    sent_to = models.CharField(max_length=254, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    #: Billed segments of a text (see clinic.lib.sms).
    segments = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    state_machine = MESSAGE_STATES

    class Meta:
        ordering = ["send_after", "pk"]
        indexes = [models.Index(fields=["status", "send_after"], name="message_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "schedule_version", "channel"],
                name="message_once_per_version_channel",
            ),
            MESSAGE_STATES.constraint("message_status_valid"),
            models.CheckConstraint(
                condition=Q(channel__in=MessageChannel.values), name="message_channel_valid"
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} ({self.get_channel_display().lower()}) "
            f"for appointment {self.appointment_id}"
        )


class CalendarFeed(models.Model):
    """A practitioner's private iCalendar feed: the token in its URL is the only key."""

    staff = models.ForeignKey(
        "clinic.StaffProfile", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: works until it is revoked."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_feed_per_staff",
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.staff}"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
