import factory
from django.contrib.auth.models import Group

from clinic.models import Role, Room, StaffProfile, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        role = kwargs.pop("role", None)
        user = super()._create(model_class, *args, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=Role(role).value))
            if role == Role.MANAGER:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        return user


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory, role=Role.DERMATOLOGIST)
    title = "Dr"
    job_title = "Dermatologist"
    is_practitioner = True


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Room {n}")
    kind = Room.Kind.PROCEDURE


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.Patient"

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
    sex = "female"
    email = factory.Sequence(lambda n: f"patient{n}@example.test")
    mobile = factory.Sequence(lambda n: f"+447911{n % 1000000:06d}")


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
