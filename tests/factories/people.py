"""People: logins with a role, staff profiles, patients."""

import factory
from django.contrib.auth.models import Group

from clinic.models import Role, StaffProfile, User


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


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "patients.Patient"

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
    sex = "female"
    email = factory.Sequence(lambda n: f"patient{n}@example.test")
    mobile = factory.Sequence(lambda n: f"+447911{n % 1000000:06d}")
