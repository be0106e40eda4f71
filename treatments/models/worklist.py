"""The clinicians' worklist: to-dos raised for a dermatologist."""


from django.conf import settings
from django.db import models


class ClinicalTask(models.Model):
    """Something a dermatologist must look at, shown on their home until done."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", "Skin check-in beyond the expected"
        OTHER = "other", "Other"

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="tasks")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinical_tasks",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    check_in = models.OneToOneField(
        "SkinCheckIn", null=True, blank=True, on_delete=models.PROTECT, related_name="task"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["done_at", "-created_at"]
        indexes = [models.Index(fields=["done_at", "assigned_to"], name="task_open_idx")]

    def __str__(self):
        return self.title

    @property
    def outcome_required(self) -> bool:
        """A report of a skin reaction beyond the expected is closed only with what was done about
        it: the note is the record that the patient was followed up."""
        return self.kind == self.Kind.CHECK_IN
