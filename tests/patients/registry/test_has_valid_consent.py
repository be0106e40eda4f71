"""Patient.has_valid_consent(kind): the one place that says whether consent stands."""

import pytest
from django.utils import timezone

from patients.models import ConsentKind
from tests.factories import ConsentFactory, ConsentTextFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_signed_consent_counts_for_its_kind_only():
    patient = PatientFactory()
    ConsentFactory(patient=patient, text=ConsentTextFactory(kind="photo"))
    assert patient.has_valid_consent(ConsentKind.PHOTO)
    assert not patient.has_valid_consent(ConsentKind.TREATMENT)


def test_revoked_consent_does_not_count_and_another_patients_never_does():
    patient, other = PatientFactory(), PatientFactory()
    ConsentFactory(patient=patient, revoked_at=timezone.now())
    ConsentFactory(patient=other)
    assert not patient.has_valid_consent(ConsentKind.TREATMENT)
    ConsentFactory(patient=patient)  # signed again after revoking
    assert patient.has_valid_consent(ConsentKind.TREATMENT)


def test_the_photo_pages_read_it(client_for):
    from django.urls import reverse

    from clinic.models import Role
    from tests.factories import AssessmentFactory

    assessment = AssessmentFactory()
    patient = assessment.patient
    ConsentFactory(
        patient=patient, text=ConsentTextFactory(kind="photo"), revoked_at=timezone.now()
    )
    client = client_for(Role.DERMATOLOGIST)
    page = client.get(reverse("patients:assessment_detail", args=[patient.pk, assessment.pk]))
    assert page.context["photo_consent"] is False
    ConsentFactory(patient=patient, text=ConsentTextFactory(kind="photo"))
    page = client.get(reverse("patients:assessment_detail", args=[patient.pk, assessment.pk]))
    assert page.context["photo_consent"] is True
