"""patients.access: each kind's helper gives what the user's role may see, 404 for the rest.

For every helper: the roles that may see the kind get it; another patient's record (under a
patient's URL, or a patient login reaching for someone else's) is 404; a role that never sees the
kind gets 404 too, exactly as for a record that does not exist.
"""

import pytest
from django.http import Http404

from clinic.models import Role
from patients import access
from patients.models import PatientMerge, Photo
from tests.factories import (
    AssessmentFactory,
    ConsentFactory,
    ConsentTextFactory,
    PatientFactory,
    ScreenFactory,
    UserFactory,
)
from tests.treatments.portal.factories import portal_patient

pytestmark = pytest.mark.django_db


def _user(role):
    return UserFactory(role=role)


def _refused(helper, *args, **kwargs) -> bool:
    try:
        helper(*args, **kwargs)
    except Http404:
        return True
    return False


# --- Patients ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK])
def test_staff_who_keep_patients_open_any_patient(role):
    patient = PatientFactory()
    assert access.get_patient_for_user(_user(role), patient.pk) == patient


def test_a_patient_opens_their_own_record_and_no_other():
    user, own = portal_patient()
    other = PatientFactory()
    assert access.get_patient_for_user(user, own.pk) == own
    assert _refused(access.get_patient_for_user, user, other.pk)


def test_the_manager_opens_no_patient():
    assert _refused(access.get_patient_for_user, _user(Role.MANAGER), PatientFactory().pk)


def test_an_unknown_or_malformed_key_is_404():
    derm = _user(Role.DERMATOLOGIST)
    assert _refused(access.get_patient_for_user, derm, 999999)
    assert _refused(access.get_patient_for_user, derm, "12; drop")
    assert _refused(access.get_patient_for_user, derm, None)


def test_own_patient_is_the_patient_logins_record():
    user, own = portal_patient()
    assert access.own_patient(user) == own
    assert access.get_own_patient(user) == own


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK, Role.MANAGER])
def test_staff_have_no_own_patient_record(role):
    user = _user(role)
    assert access.own_patient(user) is None
    assert _refused(access.get_own_patient, user)


def test_a_patient_login_without_a_record_has_none():
    assert _refused(access.get_own_patient, _user(Role.PATIENT))


# --- Clinical records: screens, assessments, photos --------------------------------------------


CLINICAL = {
    "screen": (access.get_screen_for_user, ScreenFactory),
    "assessment": (access.get_assessment_for_user, AssessmentFactory),
}


@pytest.mark.parametrize("kind", CLINICAL)
def test_a_dermatologist_opens_a_clinical_record_of_its_patient(kind):
    helper, make = CLINICAL[kind]
    record = make()
    derm = _user(Role.DERMATOLOGIST)
    assert helper(derm, record.pk) == record
    assert helper(derm, record.pk, patient=record.patient) == record


@pytest.mark.parametrize("kind", CLINICAL)
def test_a_clinical_record_under_another_patients_url_is_404(kind):
    helper, make = CLINICAL[kind]
    record = make()
    assert _refused(helper, _user(Role.DERMATOLOGIST), record.pk, patient=PatientFactory())


@pytest.mark.parametrize("kind", CLINICAL)
@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_never_open_a_clinical_record(kind, role):
    helper, make = CLINICAL[kind]
    record = make()
    assert _refused(helper, _user(role), record.pk)


@pytest.mark.parametrize("kind", CLINICAL)
def test_a_patient_does_not_open_even_their_own_clinical_record(kind):
    helper, make = CLINICAL[kind]
    user, own = portal_patient()
    record = make(patient=own)
    assert _refused(helper, user, record.pk, patient=own)


def _photo(patient=None):
    assessment = AssessmentFactory(patient=patient or PatientFactory())
    return Photo.objects.create(
        patient=assessment.patient,
        assessment=assessment,
        view="front",
        area="face",
        image="photo.jpg",
        thumbnail="photo-thumb.jpg",
        width=64,
        height=80,
        uploaded_by=assessment.author,
    )


def test_a_dermatologist_opens_a_photo():
    photo = _photo()
    assert access.get_photo_for_user(_user(Role.DERMATOLOGIST), photo.pk) == photo


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_never_open_a_photo(role):
    assert _refused(access.get_photo_for_user, _user(role), _photo().pk)


def test_a_patient_opens_their_own_photo_while_photo_consent_stands_and_no_one_elses():
    user, own = portal_patient()
    photo = _photo(own)
    assert _refused(access.get_photo_for_user, user, photo.pk)
    ConsentFactory(patient=own, text=ConsentTextFactory(kind="photo"))
    assert access.get_photo_for_user(user, photo.pk) == photo
    assert _refused(access.get_photo_for_user, user, _photo().pk)


# --- Consents ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK])
def test_witnesses_open_a_consent_of_its_patient(role):
    consent = ConsentFactory()
    assert access.get_consent_for_user(_user(role), consent.pk, patient=consent.patient) == consent


def test_a_consent_under_another_patients_url_is_404():
    consent = ConsentFactory()
    assert _refused(
        access.get_consent_for_user, _user(Role.FRONT_DESK), consent.pk, patient=PatientFactory()
    )


@pytest.mark.parametrize("role", [Role.MANAGER, Role.PATIENT])
def test_other_roles_never_open_a_consent(role):
    assert _refused(access.get_consent_for_user, _user(role), ConsentFactory().pk)


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK, Role.MANAGER])
def test_staff_open_a_consent_text(role):
    text = ConsentTextFactory()
    assert access.get_consent_text_for_user(_user(role), text.pk) == text


def test_a_patient_does_not_open_a_consent_text_by_its_key():
    assert _refused(access.get_consent_text_for_user, _user(Role.PATIENT), ConsentTextFactory().pk)


# --- Merges of two records -----------------------------------------------------------------------


def _merge(**fields):
    return PatientMerge.objects.create(
        survivor=PatientFactory(),
        merged=PatientFactory(),
        requested_by=_user(Role.FRONT_DESK),
        **fields,
    )


def test_a_dermatologist_opens_a_merge_waiting_for_a_decision_only():
    derm = _user(Role.DERMATOLOGIST)
    waiting = _merge()
    assert access.get_merge_for_user(derm, waiting.pk) == waiting
    assert _refused(access.get_merge_for_user, derm, _merge(status=PatientMerge.Status.DONE).pk)


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_never_open_a_merge(role):
    assert _refused(access.get_merge_for_user, _user(role), _merge().pk)
