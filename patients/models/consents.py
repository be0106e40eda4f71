"""Consent texts and patients' signatures on them: a revoked consent keeps its signature.

A signature keeps its evidence: the text's version and the SHA-256 of its wording as signed, the
name the patient typed, when, from which address and browser, and where (the portal, or the
clinic's tablet).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.published import PublishedText
from patients.models.registry import Patient


class ConsentKind(models.TextChoices):
    TREATMENT = "treatment", "Treatment consent"
    PHOTO = "photo", "Photo consent"


class ConsentText(PublishedText):
    """A version of a consent form's wording. Published versions are never edited."""

    version_of = "kind"

    kind = models.CharField(max_length=12, choices=ConsentKind.choices)
    title = models.CharField(max_length=120)
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="consent_text_version_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, version {self.version}"

    @property
    def content_sha256(self) -> str:
        """The SHA-256 of the wording the patient reads (title and body), in hex."""
        return content_sha256(self.title, self.body)


def content_sha256(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


class ConsentChannel(models.TextChoices):
    IN_CLINIC = "in_clinic", "In clinic"
    PORTAL = "portal", "In the portal"


class ConsentQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Consent(models.Model):
    """A patient's signature on one version of a consent text; revocable, never erased."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=12, choices=ConsentKind.choices, editable=False)
    signed_name = models.CharField("full name, typed by the patient", max_length=170)
    agreed = models.BooleanField(default=False)
    signed_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(
        max_length=10, choices=ConsentChannel.choices, default=ConsentChannel.IN_CLINIC
    )
    #: The text as signed: its version and the SHA-256 of its wording (copied from ``text``).
    text_version = models.PositiveIntegerField(editable=False)
    text_sha256 = models.CharField("SHA-256 of the text signed", max_length=64, editable=False)
    signed_from_ip = models.GenericIPAddressField("signed from address", null=True, blank=True)
    user_agent = models.CharField("signed in browser", max_length=400, blank=True)
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(agreed=True), name="consent_agreed"),
            models.CheckConstraint(
                condition=Q(channel__in=ConsentChannel.values), name="consent_channel_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} signed {self.signed_at:%d %b %Y}"

    def save(self, *args, **kwargs):
        self.kind = self.text.kind
        if self._state.adding:
            self.text_version = self.text.version
            self.text_sha256 = self.text.content_sha256
        super().save(*args, **kwargs)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
