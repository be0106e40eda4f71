"""The portal booking demo step: Olivia books the next session of her course herself, once."""

import datetime as dt
import io

import pytest

from clinic.models import Role
from tests.factories import UserFactory
from treatments.demo import portal_booking as demo
from treatments.models import Appointment

pytestmark = pytest.mark.django_db


def test_the_patient_books_her_next_session_herself_once(world):
    user = UserFactory(role=Role.PATIENT, email=demo.PATIENT_EMAIL)
    world.patient.user = user
    world.patient.save(update_fields=["user"])
    first = world.book(
        dt.datetime(2026, 6, 16, 10, tzinfo=world.clinic.zone),
        appointment_type=world.microneedling,
        plan=world.plan,
    )
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    own = Appointment.objects.get(created_by=user)
    assert own.plan == world.plan
    assert own.practitioner == first.practitioner
    zone = world.clinic.zone
    gap = own.starts_at.astimezone(zone).date() - first.starts_at.astimezone(zone).date()
    assert gap.days >= world.plan.interval_days  # calendar days, as the plan counts them
    assert "booked session 2 herself" in out.getvalue()
    assert "already booked a session herself" in out.getvalue()
