"""The home sections with today's appointments: the front desk's schedule and the dermatologist's
own sessions (clinic.home, registered by treatments.views.calendar)."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import AppointmentFactory, PatientFactory, RoomFactory, review_type
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.calendar.conftest import TODAY
from tests.treatments.calendar.factories import local, practitioner

HOME = reverse("home")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def today(clinic):
    """Dr Mehta at 14:00, Dr Hart at 09:30 and (cancelled) 11:00; Dr Hart tomorrow too."""
    clinic.late = AppointmentFactory(
        patient=PatientFactory(first_name="Amara", last_name="Okafor"),
        practitioner=clinic.mehta,
        room=clinic.room_b,
        starts_at=local(TODAY, 14),
    )
    clinic.early = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY, 9, 30),
        status="checked_in",
    )
    clinic.cancelled = AppointmentFactory(
        patient=PatientFactory(first_name="Ben", last_name="Carter"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY, 11),
        status="cancelled",
    )
    AppointmentFactory(
        patient=PatientFactory(first_name="Tomorrow", last_name="Person"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TODAY + dt.timedelta(days=1), 9),
    )
    return clinic


def test_front_desk_home_lists_todays_appointments_in_time_order(today, client_for):
    page = text(client_for(Role.FRONT_DESK).get(HOME))
    assert "Appointments today" in page
    assert page.index("Olivia Bennett") < page.index("Ben Carter") < page.index("Amara Okafor")
    assert "Tomorrow Person" not in page
    assert "09:30–10:15" in page  # local time (08:30 UTC)
    assert "Dr Amelia Hart" in page and "Dr Rohan Mehta" in page
    assert "Treatment room A" in page and "Treatment room B" in page
    assert "Checked in" in page and "Cancelled" in page
    assert reverse("treatments:appointment_detail", args=[today.early.pk]) in page
    assert "No appointments are booked for today." not in page


def test_dermatologist_home_lists_only_their_own_appointments_today(today, client_for):
    client = client_for(None)
    client.force_login(today.hart.user)
    page = text(client.get(HOME))
    assert "Today's sessions" in page
    assert "Olivia Bennett" in page and "Ben Carter" in page
    assert "Amara Okafor" not in page
    assert "Tomorrow Person" not in page
    assert reverse("treatments:appointment_detail", args=[today.early.pk]) in page


def test_a_dermatologist_with_nothing_today_is_told_so(today, client_for):
    page = text(client_for(Role.DERMATOLOGIST).get(HOME))
    assert "No sessions are booked for you today." in page


def test_front_desk_with_nothing_today_is_told_so(clinic, client_for):
    page = text(client_for(Role.FRONT_DESK).get(HOME))
    assert "No appointments are booked for today." in page
    assert reverse("treatments:calendar_day") in page


def test_front_desk_home_queries_do_not_grow(today, client_for):
    client = client_for(Role.FRONT_DESK)
    review = review_type()

    def grow():
        for n in range(3):
            member, room = practitioner(f"Extra{n}", "Staff"), RoomFactory()
            for hour in (9, 11, 13, 15):
                AppointmentFactory(
                    appointment_type=review,
                    practitioner=member,
                    room=room,
                    starts_at=local(TODAY, hour),
                )

    before_sections = {"schedule"}
    assert before_sections  # the section under test is registered
    assert_queries_do_not_grow(lambda: client.get(HOME), grow, limit=25)


def test_dermatologist_home_queries_do_not_grow(today, client_for):
    client = client_for(None)
    client.force_login(today.hart.user)
    review = review_type()

    def grow():
        for hour in (12, 13, 15, 16):
            AppointmentFactory(
                appointment_type=review,
                practitioner=today.hart,
                room=RoomFactory(),
                starts_at=local(TODAY, hour),
            )

    assert_queries_do_not_grow(lambda: client.get(HOME), grow, limit=25)
