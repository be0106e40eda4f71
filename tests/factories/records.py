"""The patient's record: screens, consent, assessments, and the reference patient."""

import factory

from clinic.models import Role
from tests.factories.people import PatientFactory, UserFactory


class ScreenFactory(factory.django.DjangoModelFactory):
    """A full screen with nothing to report (every answer 'no')."""

    class Meta:
        model = "patients.Screen"

    patient = factory.SubFactory(PatientFactory)
    author = factory.SubFactory(UserFactory, role=Role.DERMATOLOGIST)


class ConsentTextFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.ConsentText"

    kind = "treatment"
    title = factory.LazyAttribute(lambda o: f"{o.kind.title()} consent")
    body = "I understand what exosome treatment involves and agree to it."


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.Consent"

    patient = factory.SubFactory(PatientFactory)
    text = factory.SubFactory(ConsentTextFactory)
    signed_name = factory.LazyAttribute(lambda o: o.patient.full_name)
    agreed = True
    witnessed_by = factory.SubFactory(UserFactory, role=Role.FRONT_DESK)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.Assessment"

    patient = factory.SubFactory(PatientFactory)
    author = factory.SubFactory(UserFactory, role=Role.DERMATOLOGIST)
    fitzpatrick = 3
    skin_type = "normal"
    goals = "Smoother, more even skin."


class AssessmentConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.AssessmentConcern"

    assessment = factory.SubFactory(AssessmentFactory)
    concern = "fine_lines"
    severity = 2
    areas = factory.LazyFunction(lambda: ["face"])


def melasma_v(*, screen: dict | None = None, patient=None, **assessment_fields):
    """The reference patient: Fitzpatrick V with melasma (3) on the face.

    ``screen``: the screen's answers (default: screened, nothing to report); False: no screen.
    """
    patient = patient or PatientFactory()
    derm = UserFactory(role=Role.DERMATOLOGIST)
    if screen is not False:
        ScreenFactory(patient=patient, author=derm, **(screen or {}))
    assessment = AssessmentFactory(
        patient=patient, author=derm, fitzpatrick=5, skin_type="combination", **assessment_fields
    )
    AssessmentConcernFactory(assessment=assessment, concern="melasma", severity=3, areas=["face"])
    return assessment
