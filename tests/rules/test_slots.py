"""The slot finder and the course planner , with no database.

The clinic's clock is Europe/London. Most tables book Monday 15 June 2026, far from a clock
change; the daylight saving tables book across 29 March 2026 (01:00 GMT -> 02:00 BST) and
25 October 2026 (02:00 BST -> 01:00 GMT), both Sundays. A seeded brute-force reference checks
``find_slots`` on random clinics around both changes.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from clinic.lib.slots import (
    AppointmentType,
    Busy,
    CourseResult,
    Interval,
    Practitioner,
    Room,
    Slot,
    WeeklyHours,
    earliest_slot_finder,
    find_slots,
    first_slot,
    plan_course,
)
from clinic.lib.vocabulary import Route

LONDON = ZoneInfo("Europe/London")
MON = date(2026, 6, 15)  # a Monday, no clock change near
SPRING = date(2026, 3, 29)  # 01:00 GMT -> 02:00 BST
FALL = date(2026, 10, 25)  # 02:00 BST -> 01:00 GMT
EMPTY = Busy.of(())
ALL_ROUTES = frozenset(Route)
MIN = timedelta(minutes=1)


def hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def at(day: date, text: str, fold: int = 0) -> datetime:
    return datetime.combine(day, hm(text), tzinfo=LONDON).replace(fold=fold)


def busy(*spans: tuple[str, str], day: date = MON) -> Busy:
    return Busy.of(Interval(at(day, a), at(day, b)) for a, b in spans)


def hours(*spans: tuple[str, str], days=range(7)) -> WeeklyHours:
    return WeeklyHours.of({d: [(hm(a), hm(b)) for a, b in spans] for d in days})


def every(first: str, last: str, minutes: int = 15) -> list[str]:
    """Local "HH:MM" from ``first`` to ``last`` inclusive, every ``minutes``."""
    out, now, end = [], datetime.combine(MON, hm(first)), datetime.combine(MON, hm(last))
    while now <= end:
        out.append(f"{now:%H:%M}")
        now += timedelta(minutes=minutes)
    return out


def local(slots: list[Slot]) -> list[str]:
    return [f"{s.start:%H:%M}" for s in slots]


def utc(slots: list[Slot]) -> list[str]:
    return [f"{s.start.astimezone(UTC):%H:%M}" for s in slots]


#: Mon-Fri 09:00-18:00, Saturday 10:00-14:00, closed on Sunday.
CLINIC = WeeklyHours.of({**{d: [(time(9), time(18))] for d in range(5)}, 5: [(time(10), time(14))]})
WIDE = hours(("07:00", "21:00"), days=range(5))  # a practitioner's week, wider than the clinic
CONSULT = AppointmentType(duration=timedelta(minutes=60))
NEEDLING = AppointmentType(duration=timedelta(minutes=60), route=Route.MICRONEEDLING)


def practitioner(id="A", hours=WIDE, busy=EMPTY) -> Practitioner:
    return Practitioner(id=id, hours=hours, busy=busy)


def consultation_room(id="C1", busy=EMPTY) -> Room:
    return Room(id=id, kind="consultation", busy=busy)


def procedure_room(id="P1", routes=ALL_ROUTES, busy=EMPTY) -> Room:
    return Room(id=id, kind="procedure", routes=routes, busy=busy)


def search(
    *,
    day: date = MON,
    end_date: date | None = None,
    clinic: WeeklyHours = CLINIC,
    practitioners=None,
    rooms=None,
    patient: Busy = EMPTY,
    kind: AppointmentType = CONSULT,
    **options,
) -> list[Slot]:
    return find_slots(
        tz=LONDON,
        start_date=day,
        end_date=end_date or day,
        clinic_hours=clinic,
        practitioners=[practitioner()] if practitioners is None else practitioners,
        rooms=[consultation_room()] if rooms is None else rooms,
        patient_busy=patient,
        kind=kind,
        **options,
    )


# --- Which starts are free on one day ------------------------------------------------------------

MINUTES_30 = AppointmentType(duration=timedelta(minutes=30))
MINUTES_45 = AppointmentType(duration=timedelta(minutes=45))
WITH_BUFFER = AppointmentType(duration=timedelta(minutes=60), buffer_after=timedelta(minutes=15))


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # Opening hours: the whole appointment inside 09:00-18:00.
        pytest.param({}, every("09:00", "17:00"), id="opening hours: 60 min, 09:00..17:00"),
        pytest.param(
            {"kind": MINUTES_45}, every("09:00", "17:15"), id="opening hours: 45 min, ..17:15"
        ),
        pytest.param(
            {"kind": AppointmentType(duration=timedelta(hours=9))},
            ["09:00"],
            id="opening hours: 9 h fills the day exactly",
        ),
        pytest.param(
            {"clinic": hours(("09:00", "13:00"), ("14:00", "18:00"))},
            every("09:00", "12:00") + every("14:00", "17:00"),
            id="opening hours: clinic closed for lunch",
        ),
        # Working hours, intersected with the opening hours.
        pytest.param(
            {"practitioners": [practitioner(hours=hours(("09:00", "13:00"), ("14:00", "18:00")))]},
            every("09:00", "12:00") + every("14:00", "17:00"),
            id="working hours: split shift",
        ),
        pytest.param(
            {"practitioners": [practitioner(hours=hours(("08:00", "12:00")))]},
            every("09:00", "11:00"),
            id="working hours: starts before opening",
        ),
        pytest.param(
            {"practitioners": [practitioner(hours=hours(("16:00", "20:00")))]},
            every("16:00", "17:00"),
            id="working hours: ends after closing",
        ),
        pytest.param(
            {"practitioners": [practitioner(hours=hours(("13:10", "15:00")))]},
            ["13:10", "13:25", "13:40", "13:55"],
            id="working hours: the grid starts at the span's opening",
        ),
        pytest.param(
            {"practitioners": [practitioner(hours=hours(("09:00", "09:45")))]},
            [],
            id="working hours: span shorter than the appointment",
        ),
        pytest.param(
            {"practitioners": [practitioner(hours=hours(("09:00", "18:00"), days=[1]))]},
            [],
            id="working hours: not working on Mondays",
        ),
        # Time off and existing appointments (both in the practitioner's busy).
        pytest.param(
            {"practitioners": [practitioner(busy=busy(("12:00", "14:00")))]},
            every("09:00", "11:00") + every("14:00", "17:00"),
            id="time off: 12:00-14:00",
        ),
        pytest.param(
            {"practitioners": [practitioner(busy=busy(("00:00", "23:59")))]},
            [],
            id="time off: the whole day",
        ),
        pytest.param(
            {"practitioners": [practitioner(busy=busy(("10:00", "11:00")))]},
            ["09:00", *every("11:00", "17:00")],
            id="appointment: touching at both edges is free",
        ),
        pytest.param(
            {"practitioners": [practitioner(busy=busy(("10:10", "10:50")))]},
            ["09:00", *every("11:00", "17:00")],
            id="appointment: off the grid blocks every start that overlaps it",
        ),
        pytest.param(
            {"practitioners": [practitioner(busy=busy(("08:00", "09:01"), ("17:59", "19:00")))]},
            every("09:15", "16:45"),
            id="appointment: overlapping the opening and the closing by a minute",
        ),
        pytest.param(
            {"practitioners": [practitioner(busy=busy(("10:00", "11:00"), ("11:00", "12:00")))]},
            ["09:00", *every("12:00", "17:00")],
            id="appointment: two back to back",
        ),
        pytest.param(
            {"practitioners": [practitioner(busy=busy(("10:00", "10:30"), ("11:30", "12:00")))]},
            ["09:00", "10:30", *every("12:00", "17:00")],
            id="appointment: a gap exactly one appointment long",
        ),
        # Rooms and turnover buffers.
        pytest.param(
            {"rooms": [consultation_room(busy=busy(("10:00", "11:15")))]},
            ["09:00", *every("11:15", "17:00")],
            id="room: turnover after an existing appointment blocks until it ends",
        ),
        pytest.param(
            {"kind": WITH_BUFFER, "rooms": [consultation_room(busy=busy(("12:00", "13:00")))]},
            every("09:00", "10:45") + every("13:00", "17:00"),
            id="room: the new appointment's own turnover must fit before the next booking",
        ),
        pytest.param(
            {"kind": WITH_BUFFER},
            every("09:00", "17:00"),
            id="room: turnover may run past closing",
        ),
        pytest.param(
            {
                "kind": WITH_BUFFER,
                "rooms": [consultation_room(busy=busy(("18:00", "19:00")))],
            },
            every("09:00", "16:45"),
            id="room: turnover before the room's evening booking",
        ),
        pytest.param(
            {
                "rooms": [
                    consultation_room("C1", busy=busy(("09:00", "12:00"))),
                    consultation_room("C2", busy=busy(("13:00", "18:00"))),
                ]
            },
            every("09:00", "17:00"),
            id="room: any free room will do",
        ),
        pytest.param(
            {"rooms": []},
            [],
            id="room: none at all",
        ),
        # The patient.
        pytest.param(
            {"patient": busy(("15:00", "16:00"))},
            every("09:00", "14:00") + every("16:00", "17:00"),
            id="patient: already booked 15:00-16:00",
        ),
        pytest.param(
            {"patient": busy(("09:30", "09:40"))},
            every("09:45", "17:00"),
            id="patient: a short booking at the start of the day",
        ),
        # not_before, step.
        pytest.param(
            {"not_before": at(MON, "12:05")},
            every("12:15", "17:00"),
            id="not_before: between two grid points",
        ),
        pytest.param(
            {"not_before": at(MON, "12:00")},
            every("12:00", "17:00"),
            id="not_before: on a grid point is allowed",
        ),
        pytest.param(
            {"not_before": at(MON, "12:00").astimezone(UTC)},
            every("12:00", "17:00"),
            id="not_before: given in UTC",
        ),
        pytest.param(
            {"not_before": at(MON + timedelta(days=1), "00:00")},
            [],
            id="not_before: after the whole range",
        ),
        pytest.param(
            {"step": timedelta(minutes=30)}, every("09:00", "17:00", 30), id="step: 30 minutes"
        ),
        pytest.param(
            {"step": timedelta(minutes=20)}, every("09:00", "17:00", 20), id="step: 20 minutes"
        ),
        pytest.param(
            {"step": timedelta(minutes=25), "kind": MINUTES_30},
            every("09:00", "17:20", 25),
            id="step: 25 minutes, last start at 17:20",
        ),
        pytest.param({"step": timedelta(hours=2)}, every("09:00", "17:00", 120), id="step: 2 h"),
        pytest.param({"limit": 3}, ["09:00", "09:15", "09:30"], id="limit: 3"),
        # Nothing fits.
        pytest.param(
            {"kind": AppointmentType(duration=timedelta(hours=10))},
            [],
            id="empty: longer than the opening hours",
        ),
        pytest.param(
            {"day": MON + timedelta(days=6)}, [], id="empty: the clinic is shut on Sunday"
        ),
        pytest.param(
            {"day": MON + timedelta(days=5)},
            [],
            id="empty: the clinic opens on Saturday, the practitioner does not",
        ),
        pytest.param({"closed_dates": frozenset({MON})}, [], id="empty: a closed date"),
    ],
)
def test_free_starts_on_one_day(options, expected):
    assert local(search(**options)) == expected


def test_a_slot_ends_its_duration_later_and_is_in_the_clinics_zone():
    slot = search()[0]
    assert slot.start == at(MON, "09:00")
    assert slot.end == at(MON, "10:00")
    assert slot.start.tzinfo is LONDON
    assert slot.end.tzinfo is LONDON


# --- Who and where -------------------------------------------------------------------------------


def test_slots_list_every_free_practitioner_in_the_order_given():
    slots = search(
        practitioners=[
            practitioner("B", busy=busy(("09:00", "10:00"))),
            practitioner("A"),
            practitioner("C", hours=hours(("09:30", "18:00"))),
        ],
    )
    by_time = {f"{s.start:%H:%M}": s.practitioner_ids for s in slots}
    assert by_time["09:00"] == ("A",)
    assert by_time["09:30"] == ("A", "C")
    assert by_time["10:00"] == ("B", "A", "C")


def test_slots_list_every_free_room():
    slots = search(
        rooms=[
            consultation_room("C1", busy=busy(("09:00", "10:00"))),
            consultation_room("C2"),
        ],
    )
    by_time = {f"{s.start:%H:%M}": s.room_ids for s in slots}
    assert by_time["09:00"] == ("C2",)
    assert by_time["10:00"] == ("C1", "C2")


def test_a_start_needs_the_practitioner_and_a_room_free_at_the_same_time():
    slots = search(
        practitioners=[practitioner(busy=busy(("09:00", "12:00")))],
        rooms=[consultation_room(busy=busy(("12:00", "18:00")))],
    )
    assert slots == []


ROOMS = (
    consultation_room("C1"),
    procedure_room("P-all", routes=ALL_ROUTES),
    procedure_room("P-needling", routes={Route.MICRONEEDLING}),
    procedure_room("P-laser", routes={Route.LASER_ASSISTED}),
    procedure_room("P-topical", routes={Route.TOPICAL, Route.TRANSDERMAL}),
    procedure_room("P-none", routes=()),
    consultation_room("C2"),
)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        pytest.param(
            NEEDLING,
            ("P-all", "P-needling"),
            id="microneedling: procedure rooms that list it, never a consultation room",
        ),
        pytest.param(
            AppointmentType(duration=timedelta(hours=1), route=Route.LASER_ASSISTED),
            ("P-all", "P-laser"),
            id="laser-assisted: procedure rooms that list it",
        ),
        pytest.param(
            AppointmentType(duration=timedelta(hours=1), route=Route.TOPICAL),
            ("P-all", "P-topical"),
            id="topical: rooms that list it",
        ),
        pytest.param(
            AppointmentType(duration=timedelta(hours=1), route="transdermal"),
            ("P-all", "P-topical"),
            id="transdermal (given as text): rooms that list it",
        ),
        pytest.param(
            CONSULT,
            ("C1", "C2", "P-all", "P-needling", "P-laser", "P-topical", "P-none"),
            id="consultation: any room, consultation rooms first",
        ),
        pytest.param(
            AppointmentType(duration=timedelta(hours=1), needs_procedure_room=True),
            ("P-all", "P-needling", "P-laser", "P-topical", "P-none"),
            id="no route, asks for a procedure room",
        ),
        pytest.param(
            AppointmentType(
                duration=timedelta(hours=1), route=Route.MICRONEEDLING, needs_procedure_room=False
            ),
            ("P-all", "P-needling"),
            id="microneedling needs a procedure room whatever the flag says",
        ),
    ],
)
def test_rooms_offered_for_each_kind_of_appointment(kind, expected):
    assert search(kind=kind, rooms=list(ROOMS))[0].room_ids == expected


@pytest.mark.parametrize(
    "rooms",
    [
        pytest.param([consultation_room("C1"), consultation_room("C2")], id="consultation only"),
        pytest.param(
            [procedure_room("P", routes={Route.LASER_ASSISTED, Route.TOPICAL})],
            id="procedure room without the route",
        ),
        pytest.param(
            [procedure_room("P", busy=busy(("08:00", "19:00")))], id="the only right room is full"
        ),
    ],
)
def test_no_slot_for_microneedling_without_a_free_procedure_room_that_lists_it(rooms):
    assert search(kind=NEEDLING, rooms=rooms) == []


@pytest.mark.parametrize(
    ("options", "practitioners", "rooms"),
    [
        pytest.param({}, ("A", "B"), ("C1", "C2", "P1"), id="no filter"),
        pytest.param({"practitioner_id": "B"}, ("B",), ("C1", "C2", "P1"), id="practitioner B"),
        pytest.param({"practitioner_id": "nobody"}, None, None, id="unknown practitioner"),
        pytest.param({"room_id": "C2"}, ("A", "B"), ("C2",), id="room C2"),
        pytest.param({"room_id": "P1"}, ("A", "B"), ("P1",), id="a procedure room for a consult"),
        pytest.param({"room_id": "nowhere"}, None, None, id="unknown room"),
        pytest.param({"practitioner_id": "A", "room_id": "C1"}, ("A",), ("C1",), id="both"),
    ],
)
def test_practitioner_and_room_filters(options, practitioners, rooms):
    slots = search(
        practitioners=[practitioner("A"), practitioner("B")],
        rooms=[
            consultation_room("C1"),
            consultation_room("C2"),
            procedure_room("P1", routes={Route.TOPICAL}),
        ],
        **options,
    )
    if practitioners is None:
        assert slots == []
    else:
        assert len(slots) == 33
        assert {s.practitioner_ids for s in slots} == {practitioners}
        assert {s.room_ids for s in slots} == {rooms}


def test_a_room_filter_for_a_room_that_cannot_host_the_route_finds_nothing():
    rooms = [consultation_room("C1"), procedure_room("P1", routes={Route.TOPICAL})]
    assert search(kind=NEEDLING, rooms=rooms, room_id="C1") == []
    assert search(kind=NEEDLING, rooms=rooms, room_id="P1") == []


# --- Several days, closed dates, limits ----------------------------------------------------------


def test_a_week_in_order_skips_sunday_and_closed_dates():
    week = search(
        day=MON,
        end_date=MON + timedelta(days=6),
        practitioners=[practitioner(hours=hours(("09:00", "18:00")))],
        closed_dates=frozenset({MON + timedelta(days=2)}),
    )
    per_day = {}
    for slot in week:
        per_day[slot.start.date()] = per_day.get(slot.start.date(), 0) + 1
    assert per_day == {
        MON: 33,
        MON + timedelta(days=1): 33,
        MON + timedelta(days=3): 33,
        MON + timedelta(days=4): 33,
        MON + timedelta(days=5): 13,  # Saturday 10:00-14:00
    }
    assert [s.start for s in week] == sorted(s.start for s in week)


@pytest.mark.parametrize(
    ("limit", "last"),
    [
        pytest.param(1, at(MON, "09:00"), id="1: the earliest"),
        pytest.param(33, at(MON, "17:00"), id="33: the whole first day"),
        pytest.param(34, at(MON + timedelta(days=1), "09:00"), id="34: into the second day"),
        pytest.param(1000, at(MON + timedelta(days=1), "17:00"), id="more than there are"),
    ],
)
def test_limit_across_days(limit, last):
    slots = search(end_date=MON + timedelta(days=1), limit=limit)
    assert len(slots) == min(limit, 66)
    assert slots[-1].start == last


def test_first_slot_is_the_earliest_or_none():
    criteria = {
        "tz": LONDON,
        "start_date": MON,
        "end_date": MON + timedelta(days=7),
        "clinic_hours": CLINIC,
        "practitioners": [practitioner(busy=busy(("00:00", "23:59")))],
        "rooms": [consultation_room()],
        "patient_busy": EMPTY,
        "kind": CONSULT,
    }
    assert first_slot(**criteria).start == at(MON + timedelta(days=1), "09:00")
    assert first_slot(**{**criteria, "end_date": MON}) is None


def test_an_empty_or_reversed_date_range_finds_nothing():
    assert search(day=MON, end_date=MON - timedelta(days=1)) == []


def test_a_search_starts_on_the_day_of_not_before():
    slots = search(day=MON, end_date=MON + timedelta(days=30), not_before=at(MON, "17:01"))
    assert slots[0].start == at(MON + timedelta(days=1), "09:00")


# --- Daylight saving time ------------------------------------------------------------------------

EVERY_DAY = hours(("09:00", "18:00"))
NIGHT = hours(("00:00", "03:00"))


@pytest.mark.parametrize(
    ("day", "first_utc", "last_utc"),
    [
        pytest.param(SPRING, "08:00", "16:00", id="29 March: 09:00 BST is 08:00 UTC"),
        pytest.param(SPRING - timedelta(days=1), "09:00", "17:00", id="28 March: still GMT"),
        pytest.param(FALL, "09:00", "17:00", id="25 October: 09:00 GMT is 09:00 UTC"),
        pytest.param(FALL - timedelta(days=1), "08:00", "16:00", id="24 October: still BST"),
    ],
)
def test_a_normal_day_on_and_before_a_clock_change(day, first_utc, last_utc):
    slots = search(day=day, clinic=EVERY_DAY, practitioners=[practitioner(hours=EVERY_DAY)])
    assert local(slots) == every("09:00", "17:00")
    assert utc(slots)[0] == first_utc
    assert utc(slots)[-1] == last_utc
    assert all(s.end - s.start == timedelta(hours=1) for s in slots)
    assert [f"{s.end:%H:%M}" for s in slots] == every("10:00", "18:00")


@pytest.mark.parametrize(
    ("day", "kind", "local_starts", "utc_starts", "local_ends"),
    [
        pytest.param(
            SPRING,
            CONSULT,
            ["00:00", "00:15", "00:30", "00:45", "02:00"],
            ["00:00", "00:15", "00:30", "00:45", "01:00"],
            ["02:00+01:00", "02:15+01:00", "02:30+01:00", "02:45+01:00", "03:00+01:00"],
            id="spring forward, 60 min: 01:00-01:59 does not exist; 00:30 GMT ends 02:30 BST",
        ),
        pytest.param(
            SPRING,
            MINUTES_30,
            ["00:00", "00:15", "00:30", "00:45", "02:00", "02:15", "02:30"],
            ["00:00", "00:15", "00:30", "00:45", "01:00", "01:15", "01:30"],
            [
                "00:30+00:00",
                "00:45+00:00",
                "02:00+01:00",
                "02:15+01:00",
                "02:30+01:00",
                "02:45+01:00",
                "03:00+01:00",
            ],
            id="spring forward, 30 min: no gap in elapsed time",
        ),
        pytest.param(
            FALL,
            CONSULT,
            [*every("00:00", "01:45"), "02:00"],
            ["23:00", "23:15", "23:30", "23:45", "00:00", "00:15", "00:30", "00:45", "02:00"],
            [
                "01:00+01:00",
                "01:15+01:00",
                "01:30+01:00",
                "01:45+01:00",
                "01:00+00:00",
                "01:15+00:00",
                "01:30+00:00",
                "01:45+00:00",
                "03:00+00:00",
            ],
            id="fall back, 60 min: each wall-clock start once, the first 01:xx",
        ),
        pytest.param(
            FALL,
            MINUTES_30,
            every("00:00", "02:30"),
            [
                *["23:00", "23:15", "23:30", "23:45", "00:00", "00:15", "00:30", "00:45"],
                *["02:00", "02:15", "02:30"],
            ],
            [
                *["00:30+01:00", "00:45+01:00", "01:00+01:00", "01:15+01:00", "01:30+01:00"],
                *["01:45+01:00", "01:00+00:00", "01:15+00:00", "02:30+00:00", "02:45+00:00"],
                "03:00+00:00",
            ],
            id="fall back, 30 min: an appointment may run into the repeated hour",
        ),
    ],
)
def test_a_clinic_open_through_the_night_of_a_clock_change(
    day, kind, local_starts, utc_starts, local_ends
):
    slots = search(day=day, clinic=NIGHT, practitioners=[practitioner(hours=NIGHT)], kind=kind)
    assert local(slots) == local_starts
    assert utc(slots) == utc_starts
    assert [f"{s.end:%H:%M%:z}" for s in slots] == local_ends
    instants = [s.start.astimezone(UTC) for s in slots]
    assert len(set(instants)) == len(instants) == len(set(local(slots)))
    assert all(s.end.astimezone(UTC) - s.start.astimezone(UTC) == kind.duration for s in slots)


def test_the_spring_forward_night_uses_two_hours_of_a_00_to_03_opening():
    slots = search(
        day=SPRING,
        clinic=NIGHT,
        practitioners=[practitioner(hours=NIGHT)],
        kind=AppointmentType(duration=timedelta(hours=2)),
    )
    assert local(slots) == ["00:00"]
    assert f"{slots[0].end:%H:%M %Z}" == "03:00 BST"
    assert (
        search(
            day=SPRING,
            clinic=NIGHT,
            practitioners=[practitioner(hours=NIGHT)],
            kind=AppointmentType(duration=timedelta(hours=2, minutes=1)),
        )
        == []
    )


def test_the_fall_back_night_opens_for_four_hours_of_a_00_to_03_opening():
    slots = search(
        day=FALL,
        clinic=NIGHT,
        practitioners=[practitioner(hours=NIGHT)],
        kind=AppointmentType(duration=timedelta(hours=4)),
    )
    assert local(slots) == ["00:00"]
    assert f"{slots[0].start:%H:%M %Z} - {slots[0].end:%H:%M %Z}" == "00:00 BST - 03:00 GMT"


def test_busy_times_are_instants_across_the_spring_forward():
    # Booked 00:45 GMT to 02:15 BST: half an hour of elapsed time.
    booked = Busy.of(
        [
            Interval(
                datetime(2026, 3, 29, 0, 45, tzinfo=UTC), datetime(2026, 3, 29, 1, 15, tzinfo=UTC)
            )
        ]
    )
    slots = search(
        day=SPRING,
        clinic=NIGHT,
        practitioners=[practitioner(hours=NIGHT, busy=booked)],
        kind=MINUTES_30,
    )
    assert local(slots) == ["00:00", "00:15", "02:15", "02:30"]


def test_busy_times_are_instants_across_the_fall_back():
    # The second 01:00-02:00 (GMT) is booked; the first (BST) is free.
    booked = Busy.of([Interval(at(FALL, "01:00", fold=1), at(FALL, "02:00"))])
    assert booked.is_free(Interval(at(FALL, "01:00"), at(FALL, "01:00", fold=1)))
    slots = search(
        day=FALL,
        clinic=NIGHT,
        practitioners=[practitioner(hours=NIGHT, busy=booked)],
        kind=CONSULT,
    )
    assert local(slots) == [*every("00:00", "01:00"), "02:00"]


def test_interval_with_buffer_is_elapsed_time_across_the_change():
    appointment = Interval(at(SPRING, "00:00"), at(SPRING, "00:30"))
    padded = appointment.with_buffer(timedelta(hours=1))
    assert f"{padded.end:%H:%M %Z}" == "02:30 BST"


# --- Busy, Interval, WeeklyHours -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spans", "probe", "free"),
    [
        pytest.param([], ("10:00", "11:00"), True, id="nothing booked"),
        pytest.param([("10:00", "11:00")], ("09:00", "10:00"), True, id="touching before"),
        pytest.param([("10:00", "11:00")], ("11:00", "12:00"), True, id="touching after"),
        pytest.param([("10:00", "11:00")], ("09:00", "10:01"), False, id="overlap at the start"),
        pytest.param([("10:00", "11:00")], ("10:59", "12:00"), False, id="overlap at the end"),
        pytest.param([("10:00", "11:00")], ("10:15", "10:45"), False, id="inside"),
        pytest.param([("10:00", "11:00")], ("09:00", "12:00"), False, id="around"),
        pytest.param([("10:00", "11:00")], ("10:00", "11:00"), False, id="the same"),
        pytest.param(
            [("09:00", "10:00"), ("11:00", "12:00")], ("10:00", "11:00"), True, id="the gap"
        ),
        pytest.param(
            [("09:00", "10:00"), ("11:00", "12:00")], ("10:30", "11:30"), False, id="second one"
        ),
        pytest.param(
            [("11:00", "12:00"), ("09:00", "10:00"), ("09:30", "10:30")],
            ("10:30", "11:00"),
            True,
            id="unsorted and overlapping input",
        ),
    ],
)
def test_busy_is_free(spans, probe, free):
    assert busy(*spans).is_free(Interval(at(MON, probe[0]), at(MON, probe[1]))) is free


@pytest.mark.parametrize(
    ("spans", "merged"),
    [
        pytest.param([], [], id="empty"),
        pytest.param([("09:00", "10:00")], [("09:00", "10:00")], id="one"),
        pytest.param(
            [("10:00", "11:00"), ("09:00", "10:00")], [("09:00", "11:00")], id="touching merge"
        ),
        pytest.param(
            [("09:00", "12:00"), ("10:00", "11:00")], [("09:00", "12:00")], id="contained"
        ),
        pytest.param(
            [("09:00", "10:00"), ("09:30", "11:00"), ("13:00", "14:00")],
            [("09:00", "11:00"), ("13:00", "14:00")],
            id="overlap and apart",
        ),
    ],
)
def test_busy_of_sorts_and_merges(spans, merged):
    expected = [Interval(at(MON, a), at(MON, b)) for a, b in merged]
    got = list(busy(*spans))
    assert [(i.start, i.end) for i in got] == [(i.start, i.end) for i in expected]
    assert len(busy(*spans)) == len(merged)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(datetime(2026, 6, 15, 9), datetime(2026, 6, 15, 10), id="naive"),
        pytest.param(at(MON, "10:00"), at(MON, "10:00"), id="empty"),
        pytest.param(at(MON, "10:00"), at(MON, "09:00"), id="backwards"),
        pytest.param(
            at(FALL, "01:15", fold=1), at(FALL, "01:30"), id="forward on the wall clock only"
        ),
    ],
)
def test_bad_intervals_are_refused(start, end):
    with pytest.raises(ValueError, match="interval"):
        Interval(start, end)


def test_an_interval_is_elapsed_time_through_the_repeated_hour():
    # 01:30 BST to 01:15 GMT: backwards on the wall clock, 45 minutes forward in fact.
    interval = Interval(at(FALL, "01:30"), at(FALL, "01:15", fold=1))
    assert interval.end.astimezone(UTC) - interval.start.astimezone(UTC) == timedelta(minutes=45)


def test_weekly_hours_of_sorts_and_merges_spans():
    week = WeeklyHours.of(
        {0: [(time(14), time(18)), (time(9), time(13)), (time(12), time(14))], 2: []}
    )
    assert week.on(0) == ((time(9), time(18)),)
    assert week.on(1) == ()
    assert week.on(2) == ()


@pytest.mark.parametrize(
    "spans",
    [
        pytest.param({0: [(time(18), time(9))]}, id="closes before it opens"),
        pytest.param({0: [(time(9), time(9))]}, id="closes when it opens"),
        pytest.param({7: [(time(9), time(18))]}, id="no eighth weekday"),
        pytest.param({0: [(time(9, tzinfo=UTC), time(18))]}, id="a time with a zone"),
    ],
)
def test_bad_weekly_hours_are_refused(spans):
    with pytest.raises(ValueError):
        WeeklyHours.of(spans)


@pytest.mark.parametrize(
    "days",
    [
        pytest.param(((),) * 6, id="six days"),
        pytest.param(
            (((time(9), time(13)), (time(12), time(18))),) + ((),) * 6, id="overlapping spans"
        ),
        pytest.param(
            (((time(14), time(18)), (time(9), time(13))),) + ((),) * 6, id="unsorted spans"
        ),
    ],
)
def test_weekly_hours_built_directly_must_be_normal(days):
    with pytest.raises(ValueError):
        WeeklyHours(days)


@pytest.mark.parametrize(
    ("build", "match"),
    [
        pytest.param(
            lambda: Room(id="C", kind="consultation", busy=EMPTY, routes={Route.TOPICAL}),
            "consultation room hosts no",
            id="consultation room with a route",
        ),
        pytest.param(
            lambda: Room(id="X", kind="laboratory", busy=EMPTY),
            "consultation or a procedure",
            id="unknown room kind",
        ),
        pytest.param(lambda: AppointmentType(duration=timedelta(0)), "lasts", id="zero duration"),
        pytest.param(
            lambda: AppointmentType(duration=MIN, buffer_after=-MIN), "negative", id="buffer < 0"
        ),
        pytest.param(
            lambda: AppointmentType(duration=MIN, route="injection"),
            "injection",
            id="no injection route",
        ),
        pytest.param(lambda: search(step=timedelta(0)), "step", id="zero step"),
        pytest.param(lambda: search(limit=0), "limit", id="limit 0"),
        pytest.param(
            lambda: search(not_before=datetime(2026, 6, 15, 9)), "not_before", id="naive not_before"
        ),
        pytest.param(
            lambda: search(practitioners=[practitioner("A"), practitioner("A")]),
            "practitioner",
            id="a practitioner twice",
        ),
        pytest.param(
            lambda: search(rooms=[consultation_room("C"), consultation_room("C")]),
            "room",
            id="a room twice",
        ),
    ],
)
def test_bad_inputs_are_refused(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_a_zone_is_required():
    with pytest.raises(TypeError):
        find_slots(
            tz="Europe/London",
            start_date=MON,
            end_date=MON,
            clinic_hours=CLINIC,
            practitioners=[practitioner()],
            rooms=[consultation_room()],
            patient_busy=EMPTY,
            kind=CONSULT,
        )


# --- A brute-force reference on random clinics ---------------------------------------------------


def _reference(*, start_date, end_date, clinic, closed, pracs, rooms, patient, kind, step, **opt):
    """Every start, found the slow and obvious way: each candidate against each appointment.

    ``pracs``: (id, WeeklyHours, [Interval]); ``rooms``: (id, kind, routes, [Interval]).
    Everything is compared in UTC (two datetimes of one zone compare by wall clock).
    """

    def u(dt):
        return dt.astimezone(UTC)

    def free(intervals, start, end):
        return all(not (u(i.start) < end and start < u(i.end)) for i in intervals)

    def hosts(kind_, routes):
        if kind.route is not None:
            return kind_ == "procedure" and kind.route in routes
        return kind_ == "procedure" or not kind.procedure_room_only

    eligible = [r for r in rooms if hosts(r[1], r[2]) and opt["room_id"] in (None, r[0])]
    eligible.sort(key=lambda r: r[1] != "consultation")
    found: dict[datetime, tuple[list, list]] = {}
    day = start_date
    while day <= end_date:
        if day in closed:
            day += timedelta(days=1)
            continue
        for pid, week, booked in pracs:
            if opt["practitioner_id"] not in (None, pid):
                continue
            for c_open, c_close in clinic.on(day.weekday()):
                for p_open, p_close in week.on(day.weekday()):
                    opens, closes = max(c_open, p_open), min(c_close, p_close)
                    if not opens < closes:
                        continue
                    open_at = u(datetime.combine(day, opens, tzinfo=LONDON))
                    close_at = u(datetime.combine(day, closes, tzinfo=LONDON))
                    wall = datetime.combine(day, opens)
                    while wall < datetime.combine(day, closes):
                        aware = wall.replace(tzinfo=LONDON)
                        start = u(aware)
                        end = start + kind.duration
                        ok = (
                            start.astimezone(LONDON).replace(tzinfo=None) == wall
                            and open_at <= start
                            and end <= close_at
                            and (opt["not_before"] is None or start >= u(opt["not_before"]))
                            and free(booked, start, end)
                            and free(patient, start, end)
                        )
                        if ok:
                            room_ids = [
                                r[0] for r in eligible if free(r[3], start, end + kind.buffer_after)
                            ]
                            if room_ids:
                                entry = found.setdefault(start, ([], room_ids))
                                entry[0].append(pid)
                        wall += step
        day += timedelta(days=1)
    return [(start, tuple(p), tuple(r)) for start, (p, r) in sorted(found.items())]


def _random_intervals(rng, days, count, max_minutes):
    out = []
    for _ in range(count):
        day = rng.choice(days)
        wall = time(rng.randrange(0, 22), rng.randrange(60))
        start = datetime.combine(day, wall, tzinfo=LONDON).astimezone(UTC)
        end = start + timedelta(minutes=rng.randrange(5, max_minutes))
        out.append(Interval(start.astimezone(LONDON), end.astimezone(LONDON)))
    return out


def _random_week(rng):
    choices = [
        [("09:00", "18:00")],
        [("08:30", "12:30"), ("13:15", "17:45")],
        [("00:00", "03:00")],
        [("00:30", "02:30"), ("10:00", "14:00")],
        [("01:30", "04:00")],
        [("07:00", "20:00")],
        [],
    ]
    return WeeklyHours.of({d: [(hm(a), hm(b)) for a, b in rng.choice(choices)] for d in range(7)})


@pytest.mark.parametrize("seed", range(80), ids=lambda s: f"seed-{s}")
def test_find_slots_agrees_with_a_brute_force_reference(seed):
    rng = random.Random(seed)
    anchor = rng.choice([SPRING, FALL, MON, date(2026, 3, 30), date(2026, 10, 26)])
    days = [anchor + timedelta(days=k) for k in range(-1, 2)]
    clinic = _random_week(rng)
    routes = list(Route)
    kind = AppointmentType(
        duration=timedelta(minutes=rng.choice([15, 30, 45, 60, 90, 120])),
        buffer_after=timedelta(minutes=rng.choice([0, 0, 10, 15, 30])),
        route=rng.choice([None, None, *routes]),
        needs_procedure_room=rng.random() < 0.2,
    )
    pracs = [
        (
            f"D{n}",
            clinic if rng.random() < 0.6 else _random_week(rng),
            _random_intervals(rng, days, rng.randrange(0, 10), 150),
        )
        for n in range(rng.randrange(1, 5))
    ]
    rooms = []
    for n in range(rng.randrange(1, 6)):
        room_kind = rng.choice(["consultation", "procedure", "procedure"])
        room_routes = (
            frozenset(rng.sample(routes, rng.randrange(1, 5))) if room_kind == "procedure" else ()
        )
        rooms.append(
            (f"R{n}", room_kind, room_routes, _random_intervals(rng, days, rng.randrange(8), 120))
        )
    patient = _random_intervals(rng, days, rng.randrange(0, 4), 120)
    options = {
        "step": timedelta(minutes=rng.choice([5, 10, 15, 20, 30, 45])),
        "not_before": rng.choice([None, None, at(anchor, f"{rng.randrange(24):02}:07")]),
        "practitioner_id": rng.choice([None, None, None, "D0", "D1"]),
        "room_id": rng.choice([None, None, None, "R0"]),
    }
    closed = frozenset(rng.sample(days, rng.randrange(0, 2)))

    expected = _reference(
        start_date=days[0],
        end_date=days[-1],
        clinic=clinic,
        closed=closed,
        pracs=pracs,
        rooms=rooms,
        patient=patient,
        kind=kind,
        **options,
    )
    slots = find_slots(
        tz=LONDON,
        start_date=days[0],
        end_date=days[-1],
        clinic_hours=clinic,
        closed_dates=closed,
        practitioners=[Practitioner(id=i, hours=h, busy=Busy.of(b)) for i, h, b in pracs],
        rooms=[Room(id=i, kind=k, routes=r, busy=Busy.of(b)) for i, k, r, b in rooms],
        patient_busy=Busy.of(patient),
        kind=kind,
        **options,
    )
    got = [(s.start.astimezone(UTC), s.practitioner_ids, s.room_ids) for s in slots]
    assert got == expected
    assert all(s.end.astimezone(UTC) - s.start.astimezone(UTC) == kind.duration for s in slots)


# --- Planning a course ---------------------------------------------------------------------------

WEEKDAYS = hours(("09:00", "18:00"), days=range(5))
COURSE_START = at(MON, "10:00")


def course(
    *,
    sessions=4,
    interval_days=42,
    earliest=COURSE_START,
    a_busy=EMPTY,
    b_busy=EMPTY,
    patient=EMPTY,
    clinic=WEEKDAYS,
    horizon_days=182,
    **options,
) -> CourseResult:
    find = earliest_slot_finder(
        tz=LONDON,
        clinic_hours=clinic,
        practitioners=[
            practitioner("A", hours=clinic, busy=a_busy),
            practitioner("B", hours=clinic, busy=b_busy),
        ],
        rooms=[consultation_room("C1"), procedure_room("P1", routes={Route.MICRONEEDLING})],
        patient_busy=patient,
        kind=AppointmentType(
            duration=timedelta(hours=1), buffer_after=timedelta(minutes=15), route="microneedling"
        ),
        horizon_days=horizon_days,
    )
    return plan_course(
        sessions=sessions, interval_days=interval_days, earliest=earliest, find=find, **options
    )


def off(first: date, last: date) -> Busy:
    """Time off from ``first`` to ``last``, whole days."""
    return Busy.of([Interval(at(first, "00:00"), at(last + timedelta(days=1), "00:00"))])


def when(result: CourseResult) -> list[str]:
    return [f"{s.start:%a %d %b %H:%M} {s.practitioner_id}" for s in result.slots]


def test_a_course_of_four_sessions_six_weeks_apart_at_the_same_time_with_the_same_practitioner():
    result = course()
    assert result.complete
    assert result.reason == ""
    assert when(result) == [
        "Mon 15 Jun 10:00 A",
        "Mon 27 Jul 10:00 A",
        "Mon 07 Sep 10:00 A",
        "Mon 19 Oct 10:00 A",
    ]
    assert [s.session for s in result.slots] == [1, 2, 3, 4]
    assert all(s.same_practitioner and s.note == "" for s in result.slots)
    assert all(s.room_id == "P1" for s in result.slots)  # the only room for microneedling
    for before, after in pairwise(result.slots):
        assert after.start - before.start >= timedelta(days=42)  # wall clock, one zone


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param(
            {"a_busy": busy(("10:00", "11:00"), day=date(2026, 7, 27))},
            ["Mon 15 Jun 10:00 A", "Mon 27 Jul 11:00 A", "Mon 07 Sep 11:00 A"],
            id="the practitioner busy at that hour: later the same day, the next keeps the hour",
        ),
        pytest.param(
            {"a_busy": off(date(2026, 7, 27), date(2026, 7, 29))},
            ["Mon 15 Jun 10:00 A", "Thu 30 Jul 09:00 A", "Thu 10 Sep 09:00 A"],
            id="the practitioner off three days: wait for them (within a week)",
        ),
        pytest.param(
            {"a_busy": off(date(2026, 7, 20), date(2026, 8, 9))},
            ["Mon 15 Jun 10:00 A", "Mon 27 Jul 10:00 B", "Mon 07 Sep 10:00 A"],
            id="the practitioner off three weeks: another, then back",
        ),
        pytest.param(
            {"a_busy": off(date(2026, 7, 1), date(2027, 12, 31))},
            ["Mon 15 Jun 10:00 A", "Mon 27 Jul 10:00 B", "Mon 07 Sep 10:00 B"],
            id="the practitioner gone for good: another for every later session",
        ),
        pytest.param(
            {"preferred_practitioner": "B"},
            ["Mon 15 Jun 10:00 B", "Mon 27 Jul 10:00 B", "Mon 07 Sep 10:00 B"],
            id="a preferred practitioner",
        ),
        pytest.param(
            {"preferred_practitioner": "B", "b_busy": off(date(2026, 6, 1), date(2026, 6, 30))},
            ["Mon 15 Jun 10:00 A", "Mon 27 Jul 10:00 B", "Mon 07 Sep 10:00 B"],
            id="the preferred practitioner away for the first session only",
        ),
        pytest.param(
            {
                "a_busy": off(date(2026, 7, 20), date(2026, 8, 9)),
                "keep_practitioner_within": (timedelta(days=28)),
            },
            ["Mon 15 Jun 10:00 A", "Mon 10 Aug 09:00 A", "Mon 21 Sep 09:00 A"],
            id="a longer wait allowed for the same practitioner",
        ),
        pytest.param(
            {"interval_days": 40},
            ["Mon 15 Jun 10:00 A", "Mon 27 Jul 09:00 A", "Mon 07 Sep 09:00 A"],
            id="the interval lands on a weekend: the next open day",
        ),
        pytest.param(
            {"earliest": at(MON, "17:30")},
            ["Tue 16 Jun 09:00 A", "Tue 28 Jul 09:00 A", "Tue 08 Sep 09:00 A"],
            id="earliest after the last start of the day",
        ),
    ],
)
def test_course_placement(options, expected):
    result = course(sessions=3, **options)
    assert result.complete
    assert when(result) == expected
    for before, after in pairwise(result.slots):
        assert after.start - before.start >= timedelta(days=options.get("interval_days", 42))


def test_a_session_with_another_practitioner_is_marked_and_says_why():
    result = course(sessions=3, a_busy=off(date(2026, 7, 20), date(2026, 8, 9)))
    first, second, third = result.slots
    assert (first.same_practitioner, second.same_practitioner, third.same_practitioner) == (
        True,
        False,
        True,
    )
    assert second.note == (
        "The course's practitioner is not free until Monday 10 August, 09:00, more than 7 days "
        "after the earliest slot: booked with another practitioner."
    )
    assert second.slot.practitioner_ids == ("B",)


def test_a_practitioner_with_no_slot_in_the_horizon_is_said_so():
    result = course(sessions=2, a_busy=off(date(2026, 7, 1), date(2027, 12, 31)))
    assert result.slots[1].note == (
        "The course's practitioner has no free slot within the search horizon: booked with "
        "another practitioner."
    )


@pytest.mark.parametrize(
    ("patient", "placed", "reason"),
    [
        pytest.param(
            off(date(2026, 7, 1), date(2027, 12, 31)),
            1,
            "No free slot for session 2 of 4 from Monday 27 July, 10:00 (42 days after "
            "session 1) within the search horizon.",
            id="the patient is booked solid after the first session",
        ),
        pytest.param(
            off(date(2026, 6, 1), date(2027, 12, 31)),
            0,
            "No free slot for session 1 of 4 from Monday 15 June, 10:00 within the search horizon.",
            id="nothing at all",
        ),
        pytest.param(
            off(date(2026, 9, 1), date(2027, 12, 31)),
            2,
            "No free slot for session 3 of 4 from Monday 7 September, 10:00 (42 days after "
            "session 2) within the search horizon.",
            id="two placed, then full",
        ),
    ],
)
def test_planning_stops_with_a_reason_when_the_horizon_is_full(patient, placed, reason):
    result = course(patient=patient)
    assert len(result.slots) == placed
    assert result.unplaced == 4 - placed
    assert not result.complete
    assert result.reason == reason


def test_a_short_horizon_is_the_callers_choice():
    # With a 10-day horizon, a three-week absence of both practitioners cannot be waited out.
    away = off(date(2026, 7, 20), date(2026, 8, 9))
    result = course(sessions=2, a_busy=away, b_busy=away, horizon_days=10)
    assert result.unplaced == 1
    assert course(sessions=2, a_busy=away, b_busy=away).complete


@pytest.mark.parametrize(
    ("first", "sessions_at", "utc_hours"),
    [
        pytest.param(
            at(date(2026, 9, 14), "10:00"),
            ["Mon 14 Sep 10:00 BST", "Mon 26 Oct 10:00 GMT", "Mon 07 Dec 10:00 GMT"],
            [9, 10, 10],
            id="across the fall back: 10:00 stays 10:00",
        ),
        pytest.param(
            at(date(2026, 2, 16), "10:00"),
            ["Mon 16 Feb 10:00 GMT", "Mon 30 Mar 10:00 BST", "Mon 11 May 10:00 BST"],
            [10, 9, 9],
            id="across the spring forward: 10:00 stays 10:00",
        ),
    ],
)
def test_the_interval_keeps_the_local_time_across_a_clock_change(first, sessions_at, utc_hours):
    result = course(sessions=3, earliest=first)
    assert [f"{s.start:%a %d %b %H:%M %Z}" for s in result.slots] == sessions_at
    assert [s.start.astimezone(UTC).hour for s in result.slots] == utc_hours
    elapsed = result.slots[1].start.astimezone(UTC) - result.slots[0].start.astimezone(UTC)
    assert abs(elapsed - timedelta(days=42)) == timedelta(hours=1)


def _fixed_find(theirs: datetime | None, anyone: datetime | None, calls: list):
    """A ``find`` that knows two answers: the course practitioner "A"'s and anyone's ("B")."""

    def find(after, practitioner_id):
        calls.append(practitioner_id)
        start = theirs if practitioner_id == "A" else anyone
        if start is None:
            return None
        ids = ("A",) if practitioner_id == "A" else ("B",)
        return Slot(
            start=start, end=start + timedelta(hours=1), practitioner_ids=ids, room_ids=(1,)
        )

    return find


DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("theirs", "anyone", "expected", "calls"),
    [
        pytest.param(0 * DAY, 0 * DAY, "A", ["A"], id="both free at once: A, one call"),
        pytest.param(7 * DAY, 0 * DAY, "A", ["A"], id="A a week later, the limit: A"),
        pytest.param(10 * DAY, 5 * DAY, "A", ["A", None], id="A 5 days after anyone: A"),
        pytest.param(10 * DAY, 2 * DAY, "B", ["A", None], id="A 8 days after anyone: B"),
        pytest.param(None, 0 * DAY, "B", ["A", None], id="A never: B"),
        pytest.param(10 * DAY, None, "A", ["A", None], id="only A, late: A"),
        pytest.param(None, None, None, ["A", None], id="nobody: unplaced"),
    ],
)
def test_when_to_keep_the_course_practitioner(theirs, anyone, expected, calls):
    start = at(MON, "10:00")
    made: list = []
    find = _fixed_find(
        None if theirs is None else start + theirs,
        None if anyone is None else start + anyone,
        made,
    )
    result = plan_course(
        sessions=1, interval_days=1, earliest=start, find=find, preferred_practitioner="A"
    )
    assert made == calls
    if expected is None:
        assert result.unplaced == 1
    else:
        assert result.slots[0].practitioner_id == expected
        assert result.slots[0].same_practitioner is (expected == "A")
        assert result.slots[0].room_id == 1


@pytest.mark.parametrize(
    ("options", "match"),
    [
        pytest.param({"sessions": 0}, "at least one session", id="no sessions"),
        pytest.param({"interval_days": 0}, "a day apart", id="no interval"),
        pytest.param({"earliest": datetime(2026, 6, 15, 10)}, "aware", id="naive earliest"),
    ],
)
def test_bad_course_inputs_are_refused(options, match):
    arguments = {"sessions": 3, "interval_days": 42, "earliest": COURSE_START, **options}
    with pytest.raises(ValueError, match=match):
        plan_course(find=lambda after, pid: None, **arguments)


def test_busy_from_database_pairs_matches_busy_from_intervals():
    from datetime import UTC, datetime, timedelta

    from clinic.lib.slots import Busy, Interval

    base = datetime(2026, 3, 29, 8, tzinfo=UTC)
    spans = [
        (base + timedelta(minutes=m), base + timedelta(minutes=m + d))
        for m, d in [(0, 30), (20, 30), (60, 15), (75, 15), (200, 5)]
    ]
    from_pairs = Busy.of_pairs(spans)
    from_intervals = Busy.of(Interval(a, b) for a, b in spans)
    assert list(from_pairs) == list(from_intervals)
    assert len(from_pairs) == 3  # overlapping and touching spans merge
