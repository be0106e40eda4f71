"""treatments.demo.scheduling: a demo week of bookings in every state, made through the
services, idempotent."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from clinic import demo as clinic_demo
from patients.demo import patients as patients_demo
from treatments.demo import plans as treatments_demo
from treatments.demo import scheduling as demo_scheduling
from treatments.models import Appointment, AppointmentStatus

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def seed() -> str:
    out = io.StringIO()
    clinic_demo.seed()
    patients_demo.seed(out)
    treatments_demo.seed(out)
    demo_scheduling.seed(out)
    return out.getvalue()


@pytest.fixture
def tuesday_morning():
    with time_machine.travel(dt.datetime(2026, 6, 16, 10, 20, tzinfo=LONDON), tick=False):
        yield dt.date(2026, 6, 16)


def test_a_week_in_every_state(tuesday_morning):
    today = tuesday_morning
    out = seed()
    assert "Scheduling demo: 15 appointments" in out
    appointments = list(
        Appointment.objects.select_related(
            "patient", "practitioner__user", "appointment_type", "plan"
        )
    )
    assert {a.created_by.email for a in appointments} == {"desk@demo.clinic"}
    statuses = {a.status for a in appointments}
    assert statuses == set(AppointmentStatus)

    def local_day(a):
        return timezone.localtime(a.starts_at, LONDON).date()

    past = [a for a in appointments if local_day(a) < today]
    assert {a.status for a in past} >= {
        AppointmentStatus.COMPLETED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.CANCELLED,
    }
    assert [a.patient.full_name for a in appointments if a.late_cancellation] == ["Leila Haddad"]

    [checked_in] = [a for a in appointments if a.status == AppointmentStatus.CHECKED_IN]
    assert local_day(checked_in) == today
    assert checked_in.practitioner.user.email == "derm@demo.clinic"
    assert checked_in.plan is not None and checked_in.appointment_type.kind == "treatment"

    upcoming = [a for a in appointments if a.status == AppointmentStatus.BOOKED]
    assert all(a.starts_at > timezone.now() for a in upcoming)
    olivia = [a for a in upcoming if a.patient.full_name == "Olivia Bennett"]
    assert [a.appointment_type.route for a in olivia] == ["microneedling"]
    assert olivia[0].plan.patient == olivia[0].patient
    assert any(a.appointment_type.kind == "follow_up" and a.plan for a in upcoming)


def test_seeding_again_adds_nothing(tuesday_morning):
    seed()
    count = Appointment.objects.count()
    out = seed()
    assert "the demo week is already booked" in out
    assert Appointment.objects.count() == count


def test_on_a_sunday_the_closed_clinic_has_nobody_checked_in():
    with time_machine.travel(dt.datetime(2026, 6, 21, 12, 0, tzinfo=LONDON), tick=False):
        out = seed()
    assert "Amara Okafor (checked_in) skipped: no free time today" in out
    assert not Appointment.objects.filter(status=AppointmentStatus.CHECKED_IN).exists()
    # The rest of the week is still there, on open days.
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() >= 6
