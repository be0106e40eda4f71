"""Patients and what the first visit records: screens, consent, skin assessments and photos.

Clinical records are kept, never overwritten: a new screen is a new dated record,
a revoked consent keeps its signature, an assessment keeps its change history.
"""

import datetime as dt
import re
import unicodedata
import uuid
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import to_python as to_phone
from simple_history.models import HistoricalRecords

from clinic.lib.screening import ScreenFacts
from clinic.lib.vocabulary import Allergen, Area, Concern, Fitzpatrick, SkinType
from clinic.published import PublishedText

# The languages the clinic's staff and printed material can serve; extend as the clinic grows.
LANGUAGES = [
    ("en", "English"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("fr", "French"),
    ("de", "German"),
    ("hi", "Hindi"),
    ("it", "Italian"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("es", "Spanish"),
    ("tr", "Turkish"),
    ("ur", "Urdu"),
]


def name_key(value: str) -> str:
    """A name as search compares it: lower case, accents and punctuation folded away."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9 ]+", "", folded.lower()).strip()


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def _as_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class PatientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def search(self, query: str):
        """Find patients by name, date of birth, mobile or email; each served by an index.

        A date (23/11/1985 or 1985-11-23) matches the date of birth, an address with @
        the email, a phone number the mobile (in any common writing), anything else the
        start of first and last names in either order ("ben oli" finds Olivia Bennett).
        """
        text = query.strip()
        if not text:
            return self
        day = _as_date(text)
        if day is not None:
            return self.filter(date_of_birth=day)
        if "@" in text:
            return self.filter(email=text.lower())
        if re.fullmatch(r"[+\d][\d\s().-]{5,}", text):
            phone = to_phone(text)
            return self.filter(mobile=phone.as_e164) if phone and phone.is_valid() else self.none()
        tokens = name_key(text).split()
        if not tokens:
            return self.none()
        if len(tokens) == 1:
            return self.filter(
                Q(last_name_key__startswith=tokens[0]) | Q(first_name_key__startswith=tokens[0])
            )
        first, last = tokens[0], tokens[-1]
        return self.filter(
            Q(first_name_key__startswith=first, last_name_key__startswith=last)
            | Q(last_name_key__startswith=first, first_name_key__startswith=last)
        )

    def likely_duplicates(self, *, first_name, last_name, date_of_birth, email="", mobile=None):
        """Records that may be the same person: same name and birth date, or same email or phone."""
        match = Q(
            first_name_key=name_key(first_name),
            last_name_key=name_key(last_name),
            date_of_birth=date_of_birth,
        )
        if email:
            match |= Q(email=email.strip().lower())
        if mobile:
            match |= Q(mobile=mobile)
        return self.filter(match)


class Patient(models.Model):
    """A person the clinic treats. Registered by the front desk; archived, never deleted."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNDISCLOSED = "undisclosed", "Prefers not to say"

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    # Folded copies that the search index serves (see name_key).
    first_name_key = models.CharField(max_length=80, editable=False, default="")
    last_name_key = models.CharField(max_length=80, editable=False, default="")
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    email = models.EmailField(blank=True)
    mobile = PhoneNumberField(blank=True, help_text="Stored in international (E.164) form.")
    address = models.TextField(blank=True)
    emergency_contact_name = models.CharField(max_length=120, blank=True)
    emergency_contact_phone = PhoneNumberField(blank=True)
    preferred_language = models.CharField(max_length=8, choices=LANGUAGES, default="en", blank=True)
    desk_notes = models.TextField(
        blank=True, help_text="Practical notes for the desk (access needs, parking). Not clinical."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient",
        help_text="The patient's own portal login, if they have one.",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        editable=False,
        help_text="Set when this record was a duplicate, merged into the record that stays.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["first_name_key", "last_name_key"])
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name_key", "first_name_key", "pk"]
        indexes = [
            models.Index(fields=["last_name_key", "first_name_key"], name="patient_name_idx"),
            models.Index(fields=["first_name_key"], name="patient_first_name_idx"),
            models.Index(fields=["date_of_birth"], name="patient_dob_idx"),
            models.Index(fields=["mobile"], name="patient_mobile_idx"),
            models.Index(fields=["email"], name="patient_email_idx"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age_on(self, day) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def has_valid_consent(self, kind: str) -> bool:
        """Whether the patient has signed consent of ``kind`` and not revoked it."""
        return self.consents.valid().filter(kind=kind).exists()


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

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screens")
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

    def __str__(self):
        return f"{self.get_kind_display()} of {self.screened_on:%d %b %Y}"

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


class PhotoView(models.TextChoices):
    FRONT = "front", "Front"
    LEFT_45 = "left_45", "Left 45°"
    RIGHT_45 = "right_45", "Right 45°"
    CLOSE_UP = "close_up", "Area close-up"


@deconstructible(path="patients.models.PhotoStorage")
class PhotoStorage(FileSystemStorage):
    """Clinical photos live outside any public path; only views that check access read them.

    It takes no arguments, so migrations record this class rather than one machine's MEDIA_ROOT.
    """

    def __init__(self):
        super().__init__(location=settings.MEDIA_ROOT / "photos", base_url=None)


photo_storage = PhotoStorage()


def _photo_name(instance, filename):
    return f"{instance.patient_id}/{uuid.uuid4().hex}.jpg"


def _thumb_name(instance, filename):
    return f"{instance.patient_id}/thumbs/{uuid.uuid4().hex}.jpg"


class Photo(models.Model):
    """A clinical photo in a standard view, stripped of location and other metadata."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photos")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    view = models.CharField(max_length=10, choices=PhotoView.choices)
    area = models.CharField(max_length=12, choices=Area.choices)
    image = models.ImageField(storage=photo_storage, upload_to=_photo_name)
    thumbnail = models.ImageField(storage=photo_storage, upload_to=_thumb_name)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    taken_on = models.DateField(default=timezone.localdate)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "view", "pk"]

    def __str__(self):
        area = self.get_area_display().lower()
        return f"{self.get_view_display()} of {area}, {self.taken_on:%d %b %Y}"
