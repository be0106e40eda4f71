"""Skin assessments and the concerns they score; an assessment keeps its change history."""

from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.vocabulary import Area, Concern, Fitzpatrick, SkinType
from clinic.lib.zones import in_chart_order
from patients.models.registry import Patient


class Assessment(models.Model):
    """A skin assessment (docs/clinical-rules.md §Skin assessment)."""

    class Glogau(models.IntegerChoices):
        I = 1, "I – no wrinkles"  # noqa: E741
        II = 2, "II – wrinkles in motion"
        III = 3, "III – wrinkles at rest"
        IV = 4, "IV – only wrinkles"

    class IGA(models.IntegerChoices):
        CLEAR = 0, "0 – clear"
        ALMOST_CLEAR = 1, "1 – almost clear"
        MILD = 2, "2 – mild"
        MODERATE = 3, "3 – moderate"
        SEVERE = 4, "4 – severe"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="assessments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(default=timezone.localdate)
    fitzpatrick = models.PositiveSmallIntegerField(
        "Fitzpatrick phototype", choices=Fitzpatrick.choices
    )
    skin_type = models.CharField(max_length=12, choices=SkinType.choices)
    goals = models.TextField("goals, in the patient's words", blank=True)
    notes = models.TextField("clinician's notes", blank=True)
    glogau = models.PositiveSmallIntegerField(
        "Glogau photoaging", choices=Glogau.choices, null=True, blank=True
    )
    iga = models.PositiveSmallIntegerField("acne IGA", choices=IGA.choices, null=True, blank=True)
    masi = models.DecimalField(
        "MASI",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(48))],
    )
    # The MASI region inputs the score came from: {region: {area, darkness, homogeneity}}.
    masi_regions = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fitzpatrick__gte=1, fitzpatrick__lte=6),
                name="assessment_fitzpatrick_1_6",
            ),
            models.CheckConstraint(
                condition=Q(masi__isnull=True) | Q(masi__gte=0, masi__lte=48),
                name="assessment_masi_0_48",
            ),
        ]

    def __str__(self):
        return f"Skin assessment of {self.assessed_on:%d %b %Y}"


class AssessmentConcern(models.Model):
    """One concern of an assessment, with its 0-4 severity and the areas it affects."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="concerns")
    concern = models.CharField(max_length=24, choices=Concern.choices)
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(4)]
    )
    areas = models.JSONField(default=list)
    #: The zones of the face chart it is marked on (clinic.lib.zones); their areas are in ``areas``.
    zones = models.JSONField(default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-severity", "concern"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "concern"], name="one_score_per_concern"),
            models.CheckConstraint(
                condition=Q(severity__gte=0, severity__lte=4), name="concern_severity_0_4"
            ),
        ]

    def __str__(self):
        return f"{self.get_concern_display()} ({self.severity})"

    @cached_property
    def area_labels(self) -> list[str]:
        return [Area(a).label for a in self.areas]

    @cached_property
    def zone_labels(self) -> list[str]:
        return [zone.label for zone in in_chart_order(self.zones)]
