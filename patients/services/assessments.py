"""Skin assessments and their photos: the workflows that write them, whole or not at all.

docs/clinical-rules.md §Skin assessment: Fitzpatrick I-VI, skin type, concerns each with a severity
0-4 and the areas, goals, notes, optional scores (Glogau, MASI, IGA) and photos taken with photo
consent.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from clinic.concurrency import save_versioned
from clinic.lib.scores import RegionScore, masi
from clinic.lib.vocabulary import Area, Concern, Fitzpatrick, SkinType
from clinic.lib.zones import Zone, areas_of, in_chart_order
from patients.models import (
    Assessment,
    AssessmentConcern,
    ConsentKind,
    Patient,
    Photo,
    PhotoView,
)
from patients.services import photos

NO_PHOTO_CONSENT = (
    "This patient has no valid photo consent, so no photo can be added. "
    "Record the patient's photo consent on their chart first."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcernScore:
    """One scored concern: severity 1-4 (0 means none and is not stored) and its areas."""

    concern: Concern
    severity: int
    areas: tuple[Area, ...]
    #: The face chart's zones it is marked on; each adds its area (clinic.lib.zones).
    zones: tuple[Zone, ...] = ()


def has_photo_consent(patient: Patient) -> bool:
    """Kept for callers outside the patients app; the rule is Patient.has_valid_consent."""
    return patient.has_valid_consent(ConsentKind.PHOTO)


def masi_total(masi_regions: dict) -> Decimal | None:
    """The MASI from its stored region inputs; None when no MASI was scored."""
    if not masi_regions:
        return None
    try:
        return masi(regions={key: RegionScore(**parts) for key, parts in masi_regions.items()})
    except (TypeError, ValueError) as error:
        raise ValidationError(f"The MASI region inputs are not valid: {error}.") from error


def _check(*, fitzpatrick, skin_type, concerns: Iterable[ConcernScore]) -> list[ConcernScore]:
    if fitzpatrick not in Fitzpatrick.values:
        raise ValidationError({"fitzpatrick": "The Fitzpatrick phototype is I to VI."})
    if skin_type not in SkinType.values:
        raise ValidationError({"skin_type": "Choose a skin type."})
    kept = []
    seen = set()
    for score in concerns:
        if score.concern in seen:
            raise ValidationError(f"{score.concern.label} is scored twice.")
        seen.add(score.concern)
        if not 0 <= score.severity <= 4:
            raise ValidationError("Severity is 0 (none) to 4 (severe).")
        if score.severity == 0:
            continue
        if any(zone not in Zone.values for zone in score.zones):
            raise ValidationError(f"{score.concern.label}: choose zones from the chart.")
        # docs/clinical-rules.md §Treated zones > Zones: a marked zone adds its area.
        areas = {Area(a) for a in score.areas} | set(areas_of(score.zones))
        if not areas:
            raise ValidationError(f"Choose at least one area for {score.concern.label}.")
        kept.append(
            ConcernScore(
                concern=score.concern,
                severity=score.severity,
                areas=tuple(a for a in Area if a in areas),
                zones=tuple(in_chart_order(score.zones)),
            )
        )
    return kept


def _save_concerns(assessment: Assessment, concerns: list[ConcernScore]) -> None:
    """Make the stored concerns match ``concerns``, touching only the rows that changed."""
    wanted = {score.concern.value: score for score in concerns}
    for row in list(assessment.concerns.all()):
        score = wanted.pop(row.concern, None)
        if score is None:
            row.delete()
            continue
        areas = [area.value for area in score.areas]
        zones = [zone.value for zone in score.zones]
        if row.severity != score.severity or row.areas != areas or row.zones != zones:
            row.severity = score.severity
            row.areas = areas
            row.zones = zones
            row.save()
    for score in wanted.values():
        AssessmentConcern.objects.create(
            assessment=assessment,
            concern=score.concern.value,
            severity=score.severity,
            areas=[area.value for area in score.areas],
            zones=[zone.value for zone in score.zones],
        )


@transaction.atomic
def assessment_create(
    *,
    patient: Patient,
    author,
    fitzpatrick: int,
    skin_type: str,
    concerns: Iterable[ConcernScore],
    assessed_on: dt.date | None = None,
    goals: str = "",
    notes: str = "",
    glogau: int | None = None,
    iga: int | None = None,
    masi_regions: dict | None = None,
) -> Assessment:
    """A new assessment with its scored concerns; the MASI is computed from its regions."""
    kept = _check(fitzpatrick=fitzpatrick, skin_type=skin_type, concerns=concerns)
    assessment = Assessment(
        patient=patient,
        author=author,
        fitzpatrick=fitzpatrick,
        skin_type=skin_type,
        goals=goals,
        notes=notes,
        glogau=glogau,
        iga=iga,
        masi_regions=masi_regions or {},
        masi=masi_total(masi_regions or {}),
    )
    if assessed_on is not None:
        assessment.assessed_on = assessed_on
    assessment.full_clean(exclude=["patient", "author"])
    assessment.save()
    _save_concerns(assessment, kept)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    loaded_version: int,
    fitzpatrick: int,
    skin_type: str,
    concerns: Iterable[ConcernScore],
    assessed_on: dt.date,
    goals: str = "",
    notes: str = "",
    glogau: int | None = None,
    iga: int | None = None,
    masi_regions: dict | None = None,
) -> Assessment:
    """Save changes unless someone else saved since ``loaded_version`` (raises StaleEdit)."""
    kept = _check(fitzpatrick=fitzpatrick, skin_type=skin_type, concerns=concerns)
    assessment.assessed_on = assessed_on
    assessment.fitzpatrick = fitzpatrick
    assessment.skin_type = skin_type
    assessment.goals = goals
    assessment.notes = notes
    assessment.glogau = glogau
    assessment.iga = iga
    assessment.masi_regions = masi_regions or {}
    assessment.masi = masi_total(masi_regions or {})
    assessment.full_clean(exclude=["patient", "author"])

    def save():
        assessment.save()
        _save_concerns(assessment, kept)

    save_versioned(assessment, loaded_version=loaded_version, save=save)
    return assessment


@transaction.atomic
def photo_add(
    *, patient: Patient, assessment: Assessment | None, uploaded_by, view: str, area: str, upload
) -> Photo:
    """Store one photo, stripped of metadata, with its thumbnail; only with photo consent."""
    if assessment is not None and assessment.patient_id != patient.pk:
        raise ValidationError("This assessment belongs to another patient.")
    if view not in PhotoView.values:
        raise ValidationError({"view": "Choose a standard view."})
    if area not in Area.values:
        raise ValidationError({"area": "Choose an area."})
    if not patient.has_valid_consent(ConsentKind.PHOTO):
        raise ValidationError(NO_PHOTO_CONSENT, code="no_photo_consent")
    processed = photos.process(upload)
    photo = Photo(
        patient=patient,
        assessment=assessment,
        view=view,
        area=area,
        width=processed.width,
        height=processed.height,
        uploaded_by=uploaded_by,
    )
    photo.image.save("photo.jpg", ContentFile(processed.image), save=False)
    try:
        photo.thumbnail.save("thumb.jpg", ContentFile(processed.thumbnail), save=False)
        photo.save()
    except BaseException:
        # No row, no files: a clinical photo must not linger on disk unreferenced.
        photo.image.storage.delete(photo.image.name)
        if photo.thumbnail.name:
            photo.thumbnail.storage.delete(photo.thumbnail.name)
        raise
    return photo
