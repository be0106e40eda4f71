"""Medical-history and contraindication screens: each one a new dated record, never an edit."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from clinic.lib.screening import ScreenFacts
from clinic.lib.vocabulary import Allergen, Area
from patients.models.registry import Patient


def _areas_default():
    return []


class Screen(models.Model):
    """One dated medical-history and contraindication screen (docs/clinical-rules.md
    §Contraindication screen).

    A new screen never changes an old one. The latest screen is what the route
    recommendation and the day-of-session check read.
    """

    class Kind(models.TextChoices):
        FULL = "full", "Full screen (assessment)"
        PRE_SESSION = "pre_session", "Anything changed? (day of session)"

    class Source(models.TextChoices):
        CLINICIAN = "clinician", "Asked by the clinician"
        PATIENT_REPORTED = "patient", "Patient-reported, confirmed by the clinician"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screens")
    #: Who gave the answers: the clinician asking, or the patient's intake that ``author``
    #: (a dermatologist) read and confirmed.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CLINICIAN)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FULL)
    screened_on = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    active_infection_areas = models.JSONField(
        "active skin infection (bacterial, viral e.g. cold sores, fungal) in",
        default=_areas_default,
        blank=True,
    )
    isotretinoin_last_taken = models.DateField(
        "isotretinoin last taken", null=True, blank=True, help_text="Leave empty if never."
    )
    keloid_history = models.BooleanField("keloid or hypertrophic scarring history", default=False)
    bleeding_disorder = models.BooleanField("bleeding disorder", default=False)
    anticoagulant = models.BooleanField("takes an anticoagulant (warfarin, DOACs)", default=False)
    antiplatelet = models.BooleanField(
        "takes an antiplatelet (aspirin, clopidogrel)", default=False
    )
    inflammatory_flare_areas = models.JSONField(
        "active flare of eczema, psoriasis or rosacea, or moderate/severe inflammatory acne, in",
        default=_areas_default,
        blank=True,
    )
    last_sunburn_or_tan = models.DateField("last sunburn or tanning", null=True, blank=True)
    last_peel_or_laser = models.DateField("last chemical peel or laser", null=True, blank=True)
    pregnant_or_breastfeeding = models.BooleanField("pregnant or breastfeeding", default=False)
    immunosuppressed = models.BooleanField("immunosuppressed", default=False)
    uncontrolled_diabetes = models.BooleanField("uncontrolled diabetes", default=False)
    lesion_areas = models.JSONField(
        "skin cancer or an unassessed lesion in", default=_areas_default, blank=True
    )
    allergens = models.JSONField(
        "allergies to product sources or ingredients", default=list, blank=True
    )
    other_allergies = models.TextField("other allergies", blank=True)
    current_medications = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-screened_on", "-created_at", "-pk"]
        indexes = [models.Index(fields=["patient", "-screened_on", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=["clinician", "patient"]), name="screen_source_valid"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.screened_on:%d %b %Y}"

    @property
    def is_patient_reported(self) -> bool:
        return self.source == self.Source.PATIENT_REPORTED

    def facts(self) -> ScreenFacts:
        """This screen's answers as the clinical rule modules read them."""
        return ScreenFacts(
            screened_on=self.screened_on,
            active_infection_areas=frozenset(Area(a) for a in self.active_infection_areas),
            isotretinoin_last_taken=self.isotretinoin_last_taken,
            keloid_history=self.keloid_history,
            bleeding_disorder=self.bleeding_disorder,
            anticoagulant=self.anticoagulant,
            antiplatelet=self.antiplatelet,
            inflammatory_flare_areas=frozenset(Area(a) for a in self.inflammatory_flare_areas),
            last_sunburn_or_tan=self.last_sunburn_or_tan,
            last_peel_or_laser=self.last_peel_or_laser,
            pregnant_or_breastfeeding=self.pregnant_or_breastfeeding,
            immunosuppressed=self.immunosuppressed,
            uncontrolled_diabetes=self.uncontrolled_diabetes,
            lesion_areas=frozenset(Area(a) for a in self.lesion_areas),
            allergens=frozenset(Allergen(a) for a in self.allergens),
        )
