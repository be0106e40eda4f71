"""How views fetch patients and their records: one helper per kind, 404 for what may not be seen."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from clinic.models import Role
from patients.models import Assessment, Consent, Patient, PatientMerge, Photo, Screen

# Who may open a patient's record at all; clinical content is for dermatologists only.
PATIENT_READERS = (Role.DERMATOLOGIST, Role.FRONT_DESK)


def get_patient(user, pk) -> Patient:
    """A patient staff may open (desk and dermatologists see every patient)."""
    return get_object_or_404(Patient, pk=pk)


def get_screen(user, patient: Patient, pk) -> Screen:
    return get_object_or_404(Screen.objects.select_related("author"), pk=pk, patient=patient)


def get_assessment(user, patient: Patient, pk) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("author"), pk=pk, patient=patient)


def get_consent(user, patient: Patient, pk) -> Consent:
    return get_object_or_404(Consent.objects.select_related("text"), pk=pk, patient=patient)


def get_photo(user, pk) -> Photo:
    return get_object_or_404(Photo.objects.select_related("patient"), pk=pk)


def get_merge_for_user(user, pk) -> PatientMerge:
    """A merge waiting for a dermatologist: only dermatologists decide, so only they see it."""
    if not user.has_role(Role.DERMATOLOGIST):
        raise Http404
    return get_object_or_404(
        PatientMerge.objects.select_related("survivor", "merged", "requested_by"),
        pk=pk,
        status=PatientMerge.Status.PENDING,
    )
