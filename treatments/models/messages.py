"""Outbound patient messages (sent exactly once) and private calendar feeds."""


from django.db import models
from django.db.models import Q


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Booking confirmation"
    REMINDER = "reminder", "Reminder"
    MOVED = "moved", "Appointment moved"
    CANCELLED = "cancelled", "Appointment cancelled"
    AFTERCARE = "aftercare", "Aftercare instructions"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent (no longer true)"
    FAILED = "failed", "Failed"


class OutboundMessage(models.Model):
    """One email to a patient about one appointment, sent at most once.

    The unique (appointment, kind, schedule_version) key means a message for one version of an
    appointment's schedule exists once, however often the booking code or a worker runs; a worker
    claims a message by moving it from pending to sending in one conditional UPDATE, so two
    workers never both send it. A reminder queued for an older schedule_version is skipped.
    """

    appointment = models.ForeignKey("Appointment", on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=14, choices=MessageKind.choices)
    schedule_version = models.PositiveIntegerField()
    send_after = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["send_after", "pk"]
        indexes = [models.Index(fields=["status", "send_after"], name="message_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "schedule_version"], name="message_once_per_version"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for appointment {self.appointment_id}"


class CalendarFeed(models.Model):
    """A practitioner's private iCalendar feed: the token in its URL is the only key."""

    staff = models.ForeignKey(
        "clinic.StaffProfile", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

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
