"""Consent texts and patients' signatures on them: a revoked consent keeps its signature."""

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
        ]

    def __str__(self):
        return f"{self.get_kind_display()} signed {self.signed_at:%d %b %Y}"

    def save(self, *args, **kwargs):
        self.kind = self.text.kind
        super().save(*args, **kwargs)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
