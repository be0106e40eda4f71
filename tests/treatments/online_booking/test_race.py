"""Visitors racing for one time, on both databases (the real clock: other threads commit).

PostgreSQL: exclusion constraints refuse two holds on one practitioner or room (migration 0017)
and two appointments (migration 0004); the hold row is locked while its code is checked. SQLite:
every transaction starts with BEGIN IMMEDIATE (settings), so the checks run one at a time.
"""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from patients.models import Patient
from tests.factories import PatientFactory
from tests.treatments.online_booking.factories import DETAILS, online_clinic
from treatments.models import Appointment, BookingHold, OnlineBooking
from treatments.services import availability, online_booking, scheduling

VISITORS = 10


def _tomorrow_at(world, hour: int) -> dt.datetime:
    day = world.clinic.today() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=world.clinic.zone)


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                outcomes[index] = call()
        except Exception as exc:  # a ValidationError, or anything else the test then reports
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _hold_call(world, starts_at, index):
    return lambda: online_booking.hold_create(
        starts_at=starts_at,
        practitioner=world.hart,
        room=world.consult,
        address=f"203.0.113.{index}",
        clinic=world.clinic,
        **(DETAILS | {"email": f"visitor{index}@example.com"}),
    )


def _hold_with_code(world, starts_at):
    """A hold, and its code (the code's hash is replaced by one the test knows)."""
    hold = _hold_call(world, starts_at, 99)()
    hold.code_hash = online_booking._code_hash(hold.token, "123456")
    hold.save(update_fields=["code_hash"])
    return hold


def test_ten_visitors_holding_one_time_at_once_leave_exactly_one_hold(committed):
    world = online_clinic()
    starts_at = _tomorrow_at(world, 10)
    outcomes = _race([_hold_call(world, starts_at, i) for i in range(VISITORS)])
    held = [o for o in outcomes if isinstance(o, BookingHold)]
    refused = [o for o in outcomes if not isinstance(o, BookingHold)]
    assert len(held) == 1, outcomes
    assert BookingHold.objects.count() == 1
    for refusal in refused:
        assert isinstance(refusal, ValidationError), repr(refusal)
        assert refusal.messages == [online_booking.TIME_GONE]


def test_one_hold_confirmed_twice_at_once_books_once(committed):
    world = online_clinic()
    hold = _hold_with_code(world, _tomorrow_at(world, 10))

    def confirm():
        return online_booking.hold_confirm(token=hold.token, code="123456", clinic=world.clinic)

    outcomes = _race([confirm, confirm])
    booked = [o for o in outcomes if isinstance(o, OnlineBooking)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(booked) == 1 and len(refused) == 1, outcomes
    assert refused[0].messages == [online_booking.HOLD_GONE]
    assert Appointment.objects.count() == 1
    assert Patient.objects.count() == 1
    assert not BookingHold.objects.exists()


def test_a_code_and_the_desk_booking_the_held_time_at_once_make_one_appointment(committed):
    world = online_clinic()
    starts_at = _tomorrow_at(world, 10)
    hold = _hold_with_code(world, starts_at)
    walk_in = PatientFactory()

    def confirm():
        return online_booking.hold_confirm(token=hold.token, code="123456", clinic=world.clinic)

    def desk_books():
        return scheduling.appointment_book(
            patient=walk_in,
            appointment_type=world.consultation,
            practitioner=world.hart,
            room=world.consult,
            starts_at=starts_at,
            by=world.desk,
            clinic=world.clinic,
        )

    outcomes = _race([confirm, desk_books])
    assert Appointment.objects.count() == 1, outcomes
    made = [o for o in outcomes if isinstance(o, OnlineBooking | Appointment)]
    assert len(made) == 1, outcomes
    refusal = next(o for o in outcomes if not isinstance(o, OnlineBooking | Appointment))
    assert isinstance(refusal, ValidationError), repr(refusal)


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_database_refuses_a_hold_the_check_did_not_see(monkeypatch):
    """The race window itself: the check passes (as when the other hold has not committed)."""
    world = online_clinic()
    starts_at = _tomorrow_at(world, 10)
    _hold_call(world, starts_at, 1)()
    monkeypatch.setattr(online_booking, "unavailable_reason", lambda **kwargs: None)
    with pytest.raises(ValidationError) as refused:
        _hold_call(world, starts_at + dt.timedelta(minutes=15), 2)()
    assert refused.value.messages == [online_booking.TIME_GONE]
    assert BookingHold.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("clash", ["practitioner", "room"])
def test_each_hold_exclusion_constraint_holds_without_the_service(clash):
    world = online_clinic()
    starts_at = _tomorrow_at(world, 10)
    first = _hold_call(world, starts_at, 1)()
    other_room = (
        world.consult
        if clash == "room"
        else type(world.consult).objects.create(name="Consultation 2", kind="consultation")
    )
    overlapping = BookingHold(
        token="another",
        appointment_type=first.appointment_type,
        practitioner=world.hart if clash == "practitioner" else world.mehta,
        room=other_room,
        starts_at=starts_at + dt.timedelta(minutes=30),
        ends_at=starts_at + dt.timedelta(minutes=75),
        room_free_at=starts_at + dt.timedelta(minutes=85),
        expires_at=timezone.now() + dt.timedelta(minutes=15),
        first_name="A",
        last_name="B",
        date_of_birth=dt.date(1990, 1, 1),
        mobile="+447911123456",
        email="a@example.com",
        code_hash="x",
    )
    with (
        pytest.raises(IntegrityError, match=f"bookinghold_{clash}_no_overlap"),
        transaction.atomic(),
    ):
        overlapping.save()


def test_the_finder_reads_holds_in_two_queries(django_assert_num_queries, db):
    # One for the online bookings' holds, one for the freed times held for waitlist offers.
    world = online_clinic()
    start = _tomorrow_at(world, 0)
    with django_assert_num_queries(8):
        availability.load_resources(
            clinic=world.clinic,
            patient=None,
            window_start=start,
            window_end=start + dt.timedelta(days=7),
        )
