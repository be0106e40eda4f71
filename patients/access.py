"""How views fetch patients and their records: one helper per kind, filtered by the user.

``<kind>s_for_user(user)`` is what the user may see of a kind; ``get_<kind>_for_user(user, pk)``
is one of those, or 404 (another patient's record, or a kind the user's role never sees, answers
exactly as a record that does not exist). Records shown under a patient's URL are also checked to
belong to that patient (``patient=``).

- Patients: the desk and dermatologists see every patient; a patient only their own record.
- Screens and assessments are clinical: dermatologists only. Photos too, except that a patient
  sees their own while their photo consent stands (their before-and-after comparisons).
- Consents: the desk and dermatologists (they witness them); a patient their own (signed in the
  portal or in the clinic).
- Consent texts: what the clinic publishes, for the staff.
- Merges of two records of one person: dermatologists decide them, so only they see them.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from clinic.access import CLINICIANS, DESK, PATIENTS, STAFF, get_visible_or_404
from patients.models import (
    Assessment,
    Consent,
    ConsentKind,
    ConsentText,
    Patient,
    PatientMerge,
    Photo,
    Screen,
)


def _of(records: QuerySet, patient: Patient | None) -> QuerySet:
    return records if patient is None else records.filter(patient=patient)


def patients_for_user(user) -> QuerySet[Patient]:
    if user.has_role(*DESK):
        return Patient.objects.all()
    if user.has_role(*PATIENTS):
        return Patient.objects.filter(user=user)
    return Patient.objects.none()


def get_patient_for_user(user, pk) -> Patient:
    return get_visible_or_404(patients_for_user(user), pk)


def own_patient(user) -> Patient | None:
    """The signed-in patient's own record, or None (staff, or a patient login without one)."""
    if not user.has_role(*PATIENTS):
        return None
    return Patient.objects.filter(user=user).first()


def get_own_patient(user) -> Patient:
    """The signed-in patient's own record; 404 when there is none."""
    patient = own_patient(user)
    if patient is None:
        raise Http404
    return patient


def screens_for_user(user) -> QuerySet[Screen]:
    if user.has_role(*CLINICIANS):
        return Screen.objects.all()
    return Screen.objects.none()


def get_screen_for_user(user, pk, *, patient: Patient | None = None) -> Screen:
    return get_visible_or_404(_of(screens_for_user(user).select_related("author"), patient), pk)


def assessments_for_user(user) -> QuerySet[Assessment]:
    if user.has_role(*CLINICIANS):
        return Assessment.objects.all()
    return Assessment.objects.none()


def get_assessment_for_user(user, pk, *, patient: Patient | None = None) -> Assessment:
    records = assessments_for_user(user).select_related("author", "patient")
    return get_visible_or_404(_of(records, patient), pk)


def consents_for_user(user) -> QuerySet[Consent]:
    if user.has_role(*DESK):
        return Consent.objects.all()
    if user.has_role(*PATIENTS):
        return Consent.objects.filter(patient__user=user)
    return Consent.objects.none()


def get_consent_for_user(user, pk, *, patient: Patient | None = None) -> Consent:
    return get_visible_or_404(_of(consents_for_user(user).select_related("text"), patient), pk)


def consent_texts_for_user(user) -> QuerySet[ConsentText]:
    if user.has_role(*STAFF):
        return ConsentText.objects.all()
    return ConsentText.objects.none()


def get_consent_text_for_user(user, pk) -> ConsentText:
    return get_visible_or_404(consent_texts_for_user(user), pk)


def photos_for_user(user) -> QuerySet[Photo]:
    """Dermatologists every photo; a patient their own while their photo consent stands (a
    revoked consent hides them again)."""
    if user.has_role(*CLINICIANS):
        return Photo.objects.all()
    if user.has_role(*PATIENTS):
        consented = Consent.objects.valid().filter(
            patient=OuterRef("patient"), kind=ConsentKind.PHOTO
        )
        return Photo.objects.filter(patient__user=user).filter(Exists(consented))
    return Photo.objects.none()


def get_photo_for_user(user, pk) -> Photo:
    return get_visible_or_404(photos_for_user(user).select_related("patient"), pk)


def merges_for_user(user) -> QuerySet[PatientMerge]:
    if user.has_role(*CLINICIANS):
        return PatientMerge.objects.all()
    return PatientMerge.objects.none()


def get_merge_for_user(user, pk) -> PatientMerge:
    """A merge still waiting for a dermatologist's decision."""
    return get_visible_or_404(
        merges_for_user(user)
        .filter(status=PatientMerge.Status.PENDING)
        .select_related("survivor", "merged", "requested_by"),
        pk,
    )
