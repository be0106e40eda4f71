"""Rooms and appointment types.

The appointment types are the demo clinic's (``clinic.demo.DEMO_TYPES``): a consultation by
default, each treatment route and the follow-up review as a trait, so every test that books "a
microneedling session" books the same 75 minutes plus 20 of turnover.
"""

import factory

from clinic.demo import DEMO_TYPES
from clinic.models import AppointmentType, Room

ALL_ROUTES = ["topical", "transdermal", "microneedling", "laser_assisted"]

_TYPES = {
    route or kind: (name, kind, route, minutes, buffer)
    for name, kind, route, minutes, buffer in DEMO_TYPES
}


def _trait(key: str) -> factory.Trait:
    name, kind, route, minutes, buffer = _TYPES[key]
    return factory.Trait(
        name=name, kind=kind, route=route, duration_minutes=minutes, buffer_minutes=buffer
    )


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    name = factory.Sequence(lambda n: f"Room {n}")
    kind = Room.Kind.PROCEDURE


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    """The consultation; ``microneedling=True`` (or ``topical``, ``transdermal``,
    ``laser_assisted``, ``review``) for the clinic's other types."""

    class Meta:
        model = AppointmentType
        django_get_or_create = ("name",)

    name = "Consultation and skin assessment"
    kind = AppointmentType.Kind.CONSULTATION
    route = ""
    duration_minutes = 45
    buffer_minutes = 10

    class Params:
        topical = _trait("topical")
        transdermal = _trait("transdermal")
        microneedling = _trait("microneedling")
        laser_assisted = _trait("laser_assisted")
        review = _trait("follow_up")


def consultation_type() -> AppointmentType:
    return AppointmentTypeFactory()


def treatment_type(route: str = "microneedling") -> AppointmentType:
    """The clinic's one active treatment type for ``route`` (a constraint allows only one)."""
    existing = AppointmentType.objects.filter(
        kind=AppointmentType.Kind.TREATMENT, route=route, active=True
    ).first()
    return existing or AppointmentTypeFactory(**{route: True})


def microneedling_type() -> AppointmentType:
    return treatment_type("microneedling")


def laser_type() -> AppointmentType:
    return treatment_type("laser_assisted")


def topical_type() -> AppointmentType:
    return treatment_type("topical")


def review_type() -> AppointmentType:
    return AppointmentTypeFactory(review=True)
