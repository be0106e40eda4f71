"""The slot finder's busy time: merged in the database, cached per day, never stale.

Every change that can make a time busy or free (a booking, a move, a cancellation, a status
change, time off, working hours, a bulk update behind the services' back) is followed by a
search with the cache warm: the answer is the one a search with nothing cached gives.
"""

import datetime as dt

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from clinic.lib import slots
from clinic.models import TimeOff, WorkingHours
from tests.factories import PatientFactory
from tests.helpers import count_queries
from tests.treatments.scheduling.factories import LONDON, MONDAY, at
from treatments.models import Appointment, BusyVersion
from treatments.services import busy, scheduling
from treatments.services.availability import load_resources

TUESDAY = MONDAY + dt.timedelta(days=1)


def search(world, *, practitioner=None, start=TUESDAY, end=None, kind=None):
    found, _ = scheduling.find_free_slots(
        clinic=world.clinic,
        patient=world.patient,
        appointment_type=kind or world.consultation,
        start_date=start,
        end_date=end or start,
        practitioner=practitioner or world.hart,
    )
    return {slot.start for slot in found}


def fresh(world, **kw):
    """The same search with nothing cached."""
    caches["busy"].clear()
    return search(world, **kw)


def _sql_of(fn) -> str:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return " ".join(query["sql"] for query in ctx.captured_queries)


def test_a_repeated_search_is_served_from_the_cache(world):
    """Warm, only the tokens and the patient's own appointments are read: no time off, no
    practitioner's or room's appointments; cold or warm, the same number of queries."""
    search(world)
    cold = count_queries(lambda: fresh(world))
    assert "clinic_timeoff" in _sql_of(lambda: fresh(world))
    warm_sql = _sql_of(lambda: search(world))
    assert "clinic_timeoff" not in warm_sql
    assert '"practitioner_id" IN' not in warm_sql
    assert count_queries(lambda: search(world)) == cold


def test_a_booking_takes_its_time_at_once(world):
    assert at(TUESDAY, 10) in search(world)
    world.book(at(TUESDAY, 10), patient=PatientFactory())
    after = search(world)
    assert at(TUESDAY, 10) not in after
    assert after == fresh(world)


def test_a_move_frees_the_old_time_and_takes_the_new(world):
    appointment = world.book(at(TUESDAY, 10), patient=PatientFactory())
    assert at(TUESDAY, 10) not in search(world)
    scheduling.appointment_move(
        appointment=appointment, starts_at=at(TUESDAY, 14), by=world.desk, now=at(MONDAY, 8)
    )
    after = search(world)
    assert at(TUESDAY, 10) in after
    assert at(TUESDAY, 14) not in after
    assert after == fresh(world)


def test_a_move_to_another_practitioner_frees_the_first(world):
    appointment = world.book(at(TUESDAY, 10), patient=PatientFactory())
    search(world)
    search(world, practitioner=world.mehta)
    scheduling.appointment_move(
        appointment=appointment,
        starts_at=at(TUESDAY, 10),
        practitioner=world.mehta,
        by=world.desk,
        now=at(MONDAY, 8),
    )
    assert at(TUESDAY, 10) in search(world)
    assert at(TUESDAY, 10) not in search(world, practitioner=world.mehta)


def test_a_cancellation_frees_the_time(world):
    appointment = world.book(at(TUESDAY, 10), patient=PatientFactory())
    assert at(TUESDAY, 10) not in search(world)
    scheduling.appointment_cancel(appointment=appointment, reason="Unwell", by=world.desk)
    after = search(world)
    assert at(TUESDAY, 10) in after
    assert after == fresh(world)


def test_time_off_takes_its_hours_and_gives_them_back_when_removed(world):
    assert at(TUESDAY, 12) in search(world)
    away = TimeOff.objects.create(
        staff=world.hart, starts_at=at(TUESDAY, 12), ends_at=at(TUESDAY, 14), reason="Course"
    )
    assert at(TUESDAY, 12) not in search(world)
    away.ends_at = at(TUESDAY, 13)
    away.save()
    assert at(TUESDAY, 13) in search(world)
    away.delete()
    assert at(TUESDAY, 12) in search(world)
    assert search(world) == fresh(world)


def test_working_hours_changed_are_searched_at_once(world):
    assert at(TUESDAY, 9) in search(world)
    WorkingHours.objects.filter(staff=world.hart, weekday=TUESDAY.weekday()).update(
        starts=dt.time(13)
    )
    after = search(world)
    assert min(after) == at(TUESDAY, 13)
    assert after == fresh(world)


def test_each_change_renews_the_resources_token(world):
    def tokens():
        rows = BusyVersion.objects.filter(
            ref__in=[world.hart.pk, world.mehta.pk, world.consult.pk, world.room_a.pk]
        )
        return {(row.resource, row.ref): row.token for row in rows}

    before = tokens()
    appointment = world.book(at(TUESDAY, 10), patient=PatientFactory())
    booked = tokens()
    assert booked[busy.STAFF, world.hart.pk] != before.get((busy.STAFF, world.hart.pk))
    assert booked[busy.ROOM, world.consult.pk] != before.get((busy.ROOM, world.consult.pk))
    # A change of something that does not hold time (a note) keeps the tokens.
    Appointment.objects.filter(pk=appointment.pk).update(cancel_reason="")
    assert tokens() == booked
    Appointment.objects.filter(pk=appointment.pk).update(practitioner=world.mehta)
    moved = tokens()
    assert moved[busy.STAFF, world.hart.pk] != booked[busy.STAFF, world.hart.pk]
    assert moved[busy.STAFF, world.mehta.pk] != booked.get((busy.STAFF, world.mehta.pk))
    Appointment.objects.filter(pk=appointment.pk).delete()
    assert tokens()[busy.STAFF, world.mehta.pk] != moved[busy.STAFF, world.mehta.pk]


def test_a_bulk_update_behind_the_services_back_is_seen(world):
    appointment = world.book(at(TUESDAY, 10), patient=PatientFactory())
    search(world)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=at(TUESDAY, 15), ends_at=at(TUESDAY, 16), room_free_at=at(TUESDAY, 16)
    )
    after = search(world)
    assert at(TUESDAY, 10) in after
    assert at(TUESDAY, 15) not in after


def test_what_a_rolled_back_transaction_cached_is_never_served(world):
    """Inside a transaction that is then rolled back, a booking is made and searched (its
    busy time cached under the transaction's token); afterwards the time is free, and a
    different booking later is not hidden behind what was cached."""
    with pytest.raises(RuntimeError), transaction.atomic():
        world.book(at(TUESDAY, 10), patient=PatientFactory())
        assert at(TUESDAY, 10) not in search(world)
        raise RuntimeError("roll back")
    assert at(TUESDAY, 10) in search(world)
    world.book(at(TUESDAY, 11), patient=PatientFactory())
    after = search(world)
    assert at(TUESDAY, 10) in after
    assert at(TUESDAY, 11) not in after


def test_a_chosen_practitioner_loads_only_them_and_the_rooms_for_the_route(world):
    start = dt.datetime.combine(TUESDAY, dt.time.min, tzinfo=LONDON)
    resources = load_resources(
        clinic=world.clinic,
        patient=world.patient,
        window_start=start,
        window_end=start + dt.timedelta(days=1),
        appointment_type=world.microneedling,
        practitioner=world.hart,
    )
    assert [p.id for p in resources.practitioners] == [world.hart.pk]
    assert {r.id for r in resources.rooms} == {world.room_a.pk, world.room_b.pk}


def test_the_patients_own_appointments_are_never_cached(world):
    search(world)
    other = world.book(at(TUESDAY, 10), practitioner=world.mehta, room=world.consult)
    assert other.patient == world.patient
    assert at(TUESDAY, 10) not in search(world)


# --- The merge itself ------------------------------------------------------------------------


def _us(at_):
    return busy.to_us(at_)


def test_overlapping_touching_and_midnight_crossing_intervals_merge_as_the_core_does(world):
    """PostgreSQL's range_agg (or SQLite's merge in Python) gives what Busy.of_pairs gives,
    also for time off over midnight cut into two cached days."""
    book = world.book
    a = book(at(TUESDAY, 10), patient=PatientFactory())
    b = book(a.ends_at, patient=PatientFactory(), room=world.room_a)  # touches a
    c = book(at(TUESDAY, 15), patient=PatientFactory())
    away = TimeOff.objects.create(
        staff=world.hart,
        starts_at=at(TUESDAY, 17),
        ends_at=at(TUESDAY + dt.timedelta(days=1), 9, 30),
    )
    days = [TUESDAY, TUESDAY + dt.timedelta(days=1)]
    expected = slots.Busy.of_pairs(
        [(x.starts_at, x.ends_at) for x in (a, b, c)] + [(away.starts_at, away.ends_at)]
    )
    for _ in range(2):  # from the database, then from the cache
        merged = busy.merged_busy(staff_ids=[world.hart.pk], room_ids=[], days=days, tz=LONDON)
        got = busy.as_busy(merged[busy.STAFF, world.hart.pk])
        assert list(got) == list(expected)
    assert len(expected) == 3


@pytest.mark.postgres_only
def test_range_agg_and_the_python_merge_agree(world):
    for hour in (9, 11, 14):
        world.book(at(TUESDAY, hour), patient=PatientFactory())
    world.book(
        at(TUESDAY, 11), patient=PatientFactory(), practitioner=world.mehta, room=world.room_b
    )
    TimeOff.objects.create(staff=world.hart, starts_at=at(TUESDAY, 9), ends_at=at(TUESDAY, 11))
    keys = [
        (busy.STAFF, world.hart.pk),
        (busy.STAFF, world.mehta.pk),
        (busy.ROOM, world.consult.pk),
    ]
    lo, hi = _us(at(TUESDAY, 0)), _us(at(TUESDAY + dt.timedelta(days=1), 0))
    by_postgres = busy.from_database(keys, lo, hi)
    parts = busy._parts(keys, lo, hi)
    by_python = {key: [] for key in keys}
    for kind, ref, start, end in busy._merged_in_python(parts):
        by_python[kind, ref].append((start, end))
    assert by_postgres == {key: sorted(pairs) for key, pairs in by_python.items()}
