"""The patients app's models, one module per concern, re-exported here: the record and what hangs
on it, and merges of duplicate records."""

from patients.models.assessments import Assessment, AssessmentConcern
from patients.models.consents import (
    Consent,
    ConsentChannel,
    ConsentKind,
    ConsentQuerySet,
    ConsentText,
)
from patients.models.merges import PatientMerge
from patients.models.photos import (
    Photo,
    PhotoStorage,
    PhotoView,
    _photo_name,
    _thumb_name,
    photo_storage,
)
from patients.models.registry import LANGUAGES, Patient, PatientQuerySet, name_key
from patients.models.screens import Screen, _areas_default

__all__ = [
    "LANGUAGES",
    "Assessment",
    "AssessmentConcern",
    "Consent",
    "ConsentChannel",
    "ConsentKind",
    "ConsentQuerySet",
    "ConsentText",
    "Patient",
    "PatientMerge",
    "PatientQuerySet",
    "Photo",
    "PhotoStorage",
    "PhotoView",
    "Screen",
    "_areas_default",
    "_photo_name",
    "_thumb_name",
    "name_key",
    "photo_storage",
]
