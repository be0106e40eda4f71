"""The access log: who read which record of which patient, when, in what role and from where.

It is append-only. The app never changes or deletes a row (``save`` refuses an update, ``delete``
and the queryset's ``update``/``delete`` raise); the admin is read-only; and the database refuses
UPDATE and DELETE with a trigger (``audit/migrations/0002_append_only_triggers.py``), so not even a
bug or a shell session in the app's own account can rewrite who opened a chart.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnly(Exception):
    """Raised when code tries to change or delete an access log entry."""


class AccessKind(models.TextChoices):
    CHART = "chart", "Chart"
    SCREEN = "screen", "Screen"
    ASSESSMENT = "assessment", "Assessment"
    PHOTO = "photo", "Photo"
    PLAN = "plan", "Treatment plan"
    SESSION = "session", "Session record"
    AFTERCARE = "aftercare", "Aftercare"
    FOLLOW_UP = "follow_up", "Follow-up"
    COURSE = "course", "Course at a glance"
    RECALL = "recall", "Lot recall list"
    RECALL_CSV = "recall_csv", "Lot recall CSV download"
    APPOINTMENT_ICS = "appointment_ics", "Appointment .ics download"
    FEED = "feed", "Calendar feed read"
    FHIR_EXPORT = "fhir_export", "FHIR export download"
    FHIR_BULK_EXPORT = "fhir_bulk_export", "FHIR bulk export (whole clinic)"
    OWN_RECORD = "own_record", "Own record (portal)"
    OWN_RECORD_PRINT = "own_record_print", "Own record, printable (portal)"
    OWN_RECORD_FHIR = "own_record_fhir", "Own record FHIR download (portal)"
    ACCESS_REPORT_CSV = "access_report_csv", "Access report CSV download"


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("The access log is append-only: entries are never changed.")

    def delete(self):
        raise AppendOnly("The access log is append-only: entries are never deleted.")

    def for_report(self):
        return self.select_related("user", "patient")


class AccessLog(models.Model):
    at = models.DateTimeField(default=timezone.now, editable=False)
    # related_name="+" everywhere: merging two patient records moves every related record, and a
    # read of the duplicate stays a read of the duplicate.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    role = models.CharField(max_length=16, blank=True, editable=False)
    kind = models.CharField(max_length=24, choices=AccessKind.choices, editable=False)
    object_id = models.PositiveBigIntegerField(null=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    address = models.GenericIPAddressField(null=True, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "-at"], name="accesslog_patient_idx"),
            models.Index(fields=["user", "-at"], name="accesslog_user_idx"),
            models.Index(fields=["-at"], name="accesslog_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id or ''} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("The access log is append-only: entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("The access log is append-only: entries are never deleted.")
