"""How each patient wants to hear from the clinic, and what they answered by text."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from treatments.models.messages import MessageChannel, MessageKind


class Channels(models.TextChoices):
    EMAIL = "email", "Email only"
    SMS = "sms", "Text only"
    BOTH = "both", "Email and text"
    NONE = "none", "Neither"


#: The channels each choice sends by.
CHANNELS_OF = {
    Channels.EMAIL: frozenset({MessageChannel.EMAIL}),
    Channels.SMS: frozenset({MessageChannel.SMS}),
    Channels.BOTH: frozenset({MessageChannel.EMAIL, MessageChannel.SMS}),
    Channels.NONE: frozenset(),
}


class Topic(models.TextChoices):
    REMINDERS = "reminders", "Appointment reminders"
    OTHER = "other", "Everything else (bookings, changes, cancellations, aftercare)"


def topic_of(kind: str) -> Topic:
    return Topic.REMINDERS if kind in (MessageKind.REMINDER, MessageKind.SAME_DAY) else Topic.OTHER


class ChangedVia(models.TextChoices):
    PORTAL = "portal", "By the patient in the portal"
    DESK = "desk", "By the clinic on the record"
    REPLY = "reply", "By the patient's text reply"


def _choice_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": Channels.values}), name=name)


class ContactPreference(models.Model):
    """A patient's choice of channel per topic, and whether they replied STOP to texts.

    A patient without one hears by email only, as before texts were offered: a text needs
    their consent. Every change is kept in ``ContactPreferenceChange``.
    """

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="contact_preference"
    )
    reminders = models.CharField(max_length=5, choices=Channels.choices, default=Channels.EMAIL)
    other = models.CharField(max_length=5, choices=Channels.choices, default=Channels.EMAIL)
    #: Set by a STOP reply (no texts at all until START), cleared by START.
    texts_stopped_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            _choice_check("reminders", "contact_reminders_valid"),
            _choice_check("other", "contact_other_valid"),
        ]

    def __str__(self):
        return f"Contact preferences of patient {self.patient_id}"

    def choice(self, topic: Topic) -> Channels:
        return Channels(self.reminders if topic == Topic.REMINDERS else self.other)

    def channels(self, kind: str) -> frozenset:
        """The channels the patient chose for messages of ``kind`` (before STOP is applied)."""
        return CHANNELS_OF[self.choice(topic_of(kind))]


#: What a patient without a ContactPreference gets.
DEFAULT_PREFERENCE = ContactPreference(reminders=Channels.EMAIL, other=Channels.EMAIL)


class ContactPreferenceChange(models.Model):
    """One change of a patient's contact preferences: what they became, when, and how.

    Append-only: it is the record of the patient's consent to texts.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="contact_preference_changes"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=8, choices=ChangedVia.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminders = models.CharField(max_length=5, choices=Channels.choices)
    other = models.CharField(max_length=5, choices=Channels.choices)
    texts_stopped = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [
            _choice_check("reminders", "contact_change_reminders_valid"),
            _choice_check("other", "contact_change_other_valid"),
        ]

    def __str__(self):
        return f"Contact preferences of patient {self.patient_id} changed {self.changed_at:%c}"


class AppointmentConfirmation(models.Model):
    """The patient confirmed an appointment by replying C to a text about it."""

    appointment = models.OneToOneField(
        "Appointment", on_delete=models.CASCADE, related_name="confirmation"
    )
    schedule_version = models.PositiveIntegerField()
    confirmed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Appointment {self.appointment_id} confirmed"

    @property
    def current(self) -> bool:
        """Whether it confirms the appointment's present time (not one it was moved from)."""
        return self.schedule_version == self.appointment.schedule_version
