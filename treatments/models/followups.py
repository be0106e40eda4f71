"""Follow-up reviews, their re-scores, and the patient's rating of results."""


from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class GAIS(models.IntegerChoices):
    """Global Aesthetic Improvement Scale (docs/clinical-rules.md §Follow-up)."""

    VERY_MUCH_IMPROVED = 1, "Very much improved"
    MUCH_IMPROVED = 2, "Much improved"
    IMPROVED = 3, "Improved"
    NO_CHANGE = 4, "No change"
    WORSE = 5, "Worse"


class FollowUpDecision(models.TextChoices):
    CONTINUE = "continue", "Continue the course"
    ADJUST = "adjust", "Adjust the plan"
    COMPLETE = "complete", "Complete the course"
    MAINTENANCE = "maintenance", "Maintenance (a session every few months)"


class FollowUp(models.Model):
    """A follow-up review of a plan's results (docs/clinical-rules.md §Follow-up)."""

    plan = models.ForeignKey("TreatmentPlan", on_delete=models.PROTECT, related_name="follow_ups")
    appointment = models.OneToOneField(
        "Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_up"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(default=timezone.localdate)
    gais_clinician = models.PositiveSmallIntegerField("GAIS (clinician)", choices=GAIS.choices)
    gais_patient = models.PositiveSmallIntegerField(
        "GAIS (patient)", choices=GAIS.choices, null=True, blank=True
    )
    satisfaction = models.PositiveSmallIntegerField(
        "patient satisfaction (1-5)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    side_effects = models.TextField("side effects since the last visit", blank=True)
    decision = models.CharField(max_length=12, choices=FollowUpDecision.choices)
    notes = models.TextField(blank=True)
    photos = models.ManyToManyField("patients.Photo", blank=True, related_name="follow_ups")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="follow_up_satisfaction_1_5",
            ),
        ]

    def __str__(self):
        return f"Follow-up of {self.reviewed_on:%d %b %Y}"


class FollowUpScore(models.Model):
    """A concern of the original assessment re-scored 0-4 at a follow-up."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="scores")
    concern = models.CharField(max_length=24)
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(4)]
    )

    class Meta:
        ordering = ["concern"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "concern"], name="one_rescore_per_concern"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=0, severity__lte=4), name="rescore_severity_0_4"
            ),
        ]

    def __str__(self):
        return f"{self.concern}: {self.severity}"


class PatientRating(models.Model):
    """The patient's own GAIS and satisfaction for a plan, given in the portal."""

    plan = models.ForeignKey(
        "TreatmentPlan", on_delete=models.PROTECT, related_name="patient_ratings"
    )
    gais = models.PositiveSmallIntegerField("how your skin looks now", choices=GAIS.choices)
    satisfaction = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="patient_rating_satisfaction_1_5",
            ),
        ]

    def __str__(self):
        return f"Patient rating of {self.submitted_at:%d %b %Y}"
