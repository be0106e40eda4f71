"""Who may open the skin assessment and photo pages: dermatologists; a patient their own photos."""

from clinic.models import Role
from patients.models import photo_storage
from tests.factories import AssessmentFactory, PatientFactory
from tests.patients.assessments.helpers import give_photo_consent, make_photo
from tests.url_expectations import DERM, Case


def _patient(request):
    return {"patient_pk": PatientFactory().pk}


def _assessment(request):
    assessment = AssessmentFactory()
    return {"patient_pk": assessment.patient_id, "pk": assessment.pk}


def _assessment_with_photo_consent(request):
    assessment = AssessmentFactory()
    give_photo_consent(assessment.patient)
    return {"patient_pk": assessment.patient_id, "pk": assessment.pk}


def _photo(request):
    photo = make_photo()
    names = (photo.image.name, photo.thumbnail.name)
    request.addfinalizer(lambda: [photo_storage.delete(name) for name in names])
    return {"pk": photo.pk}


CASES = {
    "patients:assessment_new": Case(allowed=DERM, kwargs=_patient),
    "patients:assessment_detail": Case(allowed=DERM, kwargs=_assessment),
    "patients:assessment_edit": Case(allowed=DERM, kwargs=_assessment),
    "patients:masi_preview": Case(allowed=DERM, kwargs=_patient, method="post"),
    "patients:photo_upload": Case(allowed=DERM, kwargs=_assessment_with_photo_consent),
    "patients:photo_capture": Case(allowed=DERM, kwargs=_assessment_with_photo_consent),
    # A patient sees only their own photos, with photo consent: someone else's answers 404.
    "patients:photo": Case(
        allowed=DERM | {Role.PATIENT}, kwargs=_photo, per_role={Role.PATIENT: 404}
    ),
    "patients:photo_thumb": Case(
        allowed=DERM | {Role.PATIENT}, kwargs=_photo, per_role={Role.PATIENT: 404}
    ),
}
