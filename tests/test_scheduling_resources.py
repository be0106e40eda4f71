"""Rooms, working hours, time off and appointment types: the resources scheduling books."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from clinic.models import AppointmentType, Role, Room, TimeOff, WorkingHours
from tests.factories import RoomFactory, StaffProfileFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "routes", "error"),
    [
        ("procedure", ["microneedling", "laser_assisted"], None),
        ("consultation", [], None),
        ("consultation", ["topical"], "a consultation room hosts none"),
        ("consultation", ["microneedling"], "a consultation room hosts none"),
        ("procedure", ["injection"], "Unknown routes: injection"),
    ],
)
def test_treatments_need_a_procedure_room(kind, routes, error):
    # Microneedling and laser channels are procedures (docs/clinical-rules.md §Administration
    # routes); the clinic gives every route only where the manager has set a procedure room up for
    # it.
    room = Room(name="R", kind=kind, routes=routes)
    if error is None:
        room.clean()
    else:
        with pytest.raises(ValidationError, match=error):
            room.clean()


@pytest.mark.django_db
def test_room_hosts_only_its_routes():
    room = RoomFactory(kind="procedure", routes=["topical"])
    assert room.hosts("topical")
    assert not room.hosts("microneedling")
    assert room.hosts(None)  # consultations and reviews need no treatment route


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "route", "ok"),
    [
        ("treatment", "microneedling", True),
        ("treatment", "", False),
        ("follow_up", "", True),
        ("consultation", "topical", False),
    ],
)
def test_only_treatment_types_have_a_route(kind, route, ok):
    fields = {"name": f"{kind}-{route}", "kind": kind, "route": route, "duration_minutes": 30}
    if ok:
        AppointmentType.objects.create(**fields)
    else:
        with pytest.raises(IntegrityError):
            AppointmentType.objects.create(**fields)


@pytest.mark.django_db
def test_one_active_treatment_type_per_route():
    AppointmentType.objects.create(name="A", kind="treatment", route="topical", duration_minutes=30)
    with pytest.raises(IntegrityError):
        AppointmentType.objects.create(
            name="B", kind="treatment", route="topical", duration_minutes=30
        )


@pytest.mark.django_db
def test_microneedling_type_needs_a_procedure_room():
    kind = AppointmentType(name="M", kind="treatment", route="microneedling", duration_minutes=60)
    assert kind.needs_procedure_room
    assert not AppointmentType(
        name="T", kind="treatment", route="topical", duration_minutes=30
    ).needs_procedure_room


@pytest.mark.django_db
def test_spans_must_end_after_they_start():
    staff = StaffProfileFactory()
    with pytest.raises(IntegrityError):
        WorkingHours.objects.create(staff=staff, weekday=0, starts=dt.time(17), ends=dt.time(9))


@pytest.mark.django_db
def test_time_off_must_end_after_it_starts():
    staff = StaffProfileFactory()
    start = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    with pytest.raises(IntegrityError):
        TimeOff.objects.create(staff=staff, starts_at=start, ends_at=start)


@pytest.mark.django_db
def test_manager_keeps_appointment_types_in_the_admin(client_for):
    client = client_for(Role.MANAGER)
    response = client.post(
        reverse("admin:clinic_appointmenttype_add"),
        {
            "name": "Topical",
            "kind": "treatment",
            "route": "topical",
            "duration_minutes": "45",
            "buffer_minutes": "10",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert AppointmentType.objects.get().duration_minutes == 45


@pytest.mark.django_db
def test_manager_sets_room_routes_with_checkboxes(client_for):
    client = client_for(Role.MANAGER)
    response = client.post(
        reverse("admin:clinic_room_add"),
        {
            "name": "Laser suite",
            "kind": "consultation",
            "routes": ["laser_assisted"],
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "a consultation room hosts none" in response.text
    assert not Room.objects.exists()
