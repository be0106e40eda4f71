"""treatments/calendar.py: where each appointment goes, which quarter hours can be booked, and the
local times on the days the clocks change ("Time zones: stored in UTC, shown in the
clinic's zone")."""

import datetime as dt
from itertools import count
from zoneinfo import ZoneInfo

from treatments.presentation.calendar import (
    OFF,
    OPEN,
    By,
    Cell,
    Entry,
    Resource,
    day_grid,
    week_grid,
)

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
MONDAY = dt.date(2026, 6, 15)
NOON_BEFORE = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)  # "now": everything shown is ahead
_pks = count(1)

HART = Resource(
    by=By.PRACTITIONER,
    id=1,
    name="Dr Amelia Hart",
    hours={d: [(dt.time(9), dt.time(17))] for d in range(7)},
)
MEHTA = Resource(
    by=By.PRACTITIONER,
    id=2,
    name="Dr Rohan Mehta",
    hours={d: [(dt.time(12), dt.time(18))] for d in range(7)},
)
ROOM_A = Resource(by=By.ROOM, id=10, name="Treatment room A")
ROOM_B = Resource(by=By.ROOM, id=11, name="Treatment room B")
OPEN_9_TO_18 = {d: [(dt.time(9), dt.time(18))] for d in range(7)}
NIGHT_CLINIC = {d: [(dt.time(0), dt.time(4))] for d in range(7)}


def at(day: dt.date, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, fold=fold), tzinfo=LONDON)


def entry(start: dt.datetime, minutes: int = 45, **fields) -> Entry:
    """An appointment of ``minutes`` of elapsed time (aware arithmetic in UTC, not wall clock)."""
    start = start.astimezone(UTC)
    end = start + dt.timedelta(minutes=minutes)
    values = {
        "pk": next(_pks),
        "starts_at": start.astimezone(LONDON),
        "ends_at": end.astimezone(LONDON),
        "room_free_at": (end + dt.timedelta(minutes=fields.pop("buffer", 0))).astimezone(LONDON),
        "status": "booked",
        "late_cancellation": False,
        "patient_name": "Olivia Bennett",
        "kind_name": "Consultation and skin assessment",
        "kind": "consultation",
        "route": "",
        "practitioner_id": HART.id,
        "practitioner_name": HART.name,
        "room_id": ROOM_A.id,
        "room_name": ROOM_A.name,
    }
    values.update(fields)
    return Entry(**values)


def book_url(instant, resource):
    return f"book?at={instant.isoformat()}&{resource.by}={resource.id}"


def detail_url(pk):
    return f"appointment/{pk}"


def day(
    on=MONDAY,
    *,
    entries=(),
    resources=(HART, MEHTA),
    by=By.PRACTITIONER,
    hours=None,
    now=NOON_BEFORE,
):
    return day_grid(
        day=on,
        tz=LONDON,
        by=by,
        clinic_hours=OPEN_9_TO_18 if hours is None else hours,
        resources=list(resources),
        entries=list(entries),
        now=now,
        book_url=book_url,
        detail_url=detail_url,
    )


def column_cells(grid, index):
    """Each row's cells of one column: [[Cell, ...], ...] (rows under a block have none)."""
    return grid.columns[index].rows


def block_rows(grid, column: int) -> dict[int, tuple[int, int, Cell]]:
    """{appointment pk: (first row, lane, cell)} of one column, reading the rowspans as a browser
    does: a row's cells fill the lanes that no block from an earlier row covers."""
    rows = grid.columns[column].rows
    covered: list[set[int]] = [set() for _ in rows]
    found = {}
    for row, cells in enumerate(rows):
        lane = 0
        for cell in cells:
            while lane in covered[row]:
                lane += 1
            if cell.entry is not None:
                found[cell.entry.pk] = (row, lane, cell)
            for below in range(row + 1, row + cell.rowspan):
                covered[below].add(lane)
            lane += 1
    return found


def labels(grid) -> list[str]:
    return [row.label for row in grid.rows]


# --- Placement ---------------------------------------------------------------------------------


def test_rows_run_every_quarter_hour_from_opening_to_closing():
    grid = day()
    assert labels(grid)[:3] == ["09:00", "09:15", "09:30"]
    assert labels(grid)[-1] == "17:45"
    assert len(grid.rows) == 36
    assert [row.on_the_hour for row in grid.rows[:5]] == [True, False, False, False, True]


def test_an_appointment_sits_in_its_practitioners_column_from_start_to_end_row():
    mine = entry(at(MONDAY, 10, 30), 45)
    theirs = entry(at(MONDAY, 13), 75, practitioner_id=MEHTA.id, practitioner_name=MEHTA.name)
    grid = day(entries=[mine, theirs])
    row, lane, cell = block_rows(grid, 0)[mine.pk]
    assert (labels(grid)[row], lane, cell.rowspan) == ("10:30", 0, 3)
    assert cell.url == f"appointment/{mine.pk}"
    row, _, cell = block_rows(grid, 1)[theirs.pk]
    assert (labels(grid)[row], cell.rowspan) == ("13:00", 5)
    assert mine.pk not in block_rows(grid, 1)


def test_an_appointment_off_the_quarter_hours_covers_every_row_it_touches():
    odd = entry(at(MONDAY, 9, 10), 15)  # 09:10-09:25
    grid = day(entries=[odd])
    row, _, cell = block_rows(grid, 0)[odd.pk]
    assert (labels(grid)[row], cell.rowspan) == ("09:00", 2)
    assert odd.time_text == "09:10–09:25"


def test_rows_under_a_block_write_no_cells_so_the_table_stays_rectangular():
    grid = day(entries=[entry(at(MONDAY, 10), 60)])  # Dr Hart's column, four rows
    written = {row.label: len(row.cells) for row in grid.rows}
    assert written["10:00"] == 2  # the block and Dr Mehta's cell
    assert written["10:15"] == written["10:45"] == 1  # Dr Mehta's cell only
    assert written["11:00"] == 2


def test_a_cancelled_appointment_goes_beside_the_booking_that_took_its_time():
    cancelled = entry(at(MONDAY, 10), 45, status="cancelled", late_cancellation=True)
    booked = entry(at(MONDAY, 10), 45)
    grid = day(entries=[cancelled, booked])
    placed = block_rows(grid, 0)
    assert placed[booked.pk][1] == 0
    assert placed[cancelled.pk][1] == 1
    assert grid.columns[0].lanes == 2
    assert "cal-state-cancelled" in placed[cancelled.pk][2].css
    assert cancelled.status_label == "Cancelled late"


def test_a_cancelled_appointment_leaves_its_time_free_to_book():
    cancelled = entry(at(MONDAY, 10), 30, status="cancelled")
    grid = day(entries=[cancelled])
    ten = labels(grid).index("10:00")
    first_lane = grid.columns[0].rows[ten][0]
    assert first_lane.css == "cal-free"
    assert first_lane.url.startswith("book?at=2026-06-15T10:00:00+01:00")
    assert block_rows(grid, 0)[cancelled.pk][1] == 1  # in the lane beside


def test_holding_appointments_never_share_a_lane_even_when_the_data_overlaps():
    # The database refuses this on PostgreSQL; old data or SQLite races must still show both.
    one, two = entry(at(MONDAY, 10), 60), entry(at(MONDAY, 10, 30), 60)
    placed = block_rows(day(entries=[one, two]), 0)
    assert placed[one.pk][1] != placed[two.pk][1]


def test_free_quarter_hours_are_links_only_inside_working_hours():
    grid = day(resources=[MEHTA])  # works 12:00-18:00; the clinic opens at 09:00
    cells = {row.label: row.cells[0] for row in grid.rows}
    assert cells["11:45"] is OFF
    assert cells["12:00"].css == "cal-free"
    assert cells["12:00"].label == "Book 12:00 with Dr Rohan Mehta"
    assert cells["12:00"].url == "book?at=2026-06-15T12:00:00+01:00&practitioner=2"
    assert cells["17:45"].css == "cal-free"


def test_past_quarter_hours_and_booked_ones_are_not_links():
    now = at(MONDAY, 11, 5)
    grid = day(entries=[entry(at(MONDAY, 14), 30)], resources=[HART], now=now)
    cells = {row.label: (row.cells or [None])[0] for row in grid.rows}
    assert cells["11:00"] is OPEN  # started before now
    assert cells["11:15"].css == "cal-free"
    assert cells["14:00"].entry is not None
    assert cells["14:30"].css == "cal-free"


def test_time_off_is_shown_as_away_and_cannot_be_booked():
    away = Resource(
        by=By.PRACTITIONER,
        id=HART.id,
        name=HART.name,
        hours=HART.hours,
        away=((at(MONDAY, 13), at(MONDAY, 15)),),
    )
    grid = day(resources=[away])
    cells = {row.label: row.cells for row in grid.rows}
    assert cells["13:00"][0].label == "Away"
    assert cells["13:00"][0].rowspan == 8
    assert cells["13:15"] == []
    assert cells["15:00"][0].css == "cal-free"


def test_by_room_the_turnover_after_an_appointment_is_not_free():
    treatment = entry(
        at(MONDAY, 10),
        75,
        buffer=20,
        kind="treatment",
        route="microneedling",
        kind_name="Microneedling with exosomes",
    )
    grid = day(entries=[treatment], resources=[ROOM_A, ROOM_B], by=By.ROOM)
    assert [c.title for c in grid.columns] == ["Treatment room A", "Treatment room B"]
    rows = {row.label: row.cells for row in grid.rows}
    assert rows["10:00"][0].entry == treatment
    assert rows["11:15"][0] is OPEN  # 11:15-11:35 the room is being turned over
    assert rows["11:30"][0] is OPEN
    assert rows["11:45"][0].css == "cal-free"
    assert rows["11:45"][0].url.endswith("&room=10")
    assert rows["10:00"][1].css == "cal-free"  # room B is free
    assert rows["10:00"][1].label == "Book 10:00 in Treatment room B"
    assert "cal-route-microneedling" in rows["10:00"][0].css


def test_colour_classes_say_type_route_and_state():
    review = entry(
        at(MONDAY, 9), 20, kind="follow_up", kind_name="Follow-up review", status="checked_in"
    )
    assert review.css == "cal-type-follow-up cal-state-checked_in"
    topical = entry(
        at(MONDAY, 9), kind="treatment", route="topical", kind_name="Topical", status="no_show"
    )
    assert topical.css == "cal-route-topical cal-state-no_show"
    assert topical.status_label == "No-show"


def test_type_text_names_the_route_when_the_type_does_not():
    named = entry(
        at(MONDAY, 9),
        kind="treatment",
        route="microneedling",
        kind_name="Microneedling with exosomes",
    )
    assert named.type_text == "Microneedling with exosomes"
    unnamed = entry(
        at(MONDAY, 9), kind="treatment", route="laser_assisted", kind_name="Collagen boost"
    )
    assert unnamed.type_text == "Collagen boost (laser-assisted infusion)"


def test_a_closed_day_with_nothing_booked_has_no_grid():
    assert day(hours={}) is None


def test_a_closed_day_still_shows_what_is_booked_on_it():
    grid = day(hours={}, entries=[entry(at(MONDAY, 11), 30)])
    assert labels(grid) == ["11:00", "11:15"]
    assert all(cell is OFF for row in grid.rows for cell in row.cells if cell.entry is None)


def test_the_grid_grows_to_show_an_appointment_outside_opening_hours():
    early = entry(at(MONDAY, 8, 15), 30)
    grid = day(entries=[early])
    assert labels(grid)[0] == "08:15"
    assert block_rows(grid, 0)[early.pk][0] == 0


def test_a_column_says_when_the_practitioner_does_not_work_that_day():
    weekdays_only = Resource(
        by=By.PRACTITIONER, id=3, name="Dr Part", hours={0: [(dt.time(9), dt.time(13))]}
    )
    assert day(resources=[weekdays_only]).columns[0].note == ""
    tuesday = MONDAY + dt.timedelta(days=1)
    assert day(tuesday, resources=[weekdays_only]).columns[0].note == "Not working"


# --- Clock changes (Europe/London) -------------------------------------------------------------

SPRING = dt.date(2026, 3, 29)  # 01:00 GMT -> 02:00 BST
AUTUMN = dt.date(2026, 10, 25)  # 02:00 BST -> 01:00 GMT
NIGHT_WORKER = Resource(
    by=By.PRACTITIONER,
    id=5,
    name="Dr Night",
    hours={d: [(dt.time(0), dt.time(4))] for d in range(7)},
)


def test_spring_forward_night_has_no_rows_for_the_missing_hour():
    grid = day(
        SPRING,
        resources=[NIGHT_WORKER],
        hours=NIGHT_CLINIC,
        now=dt.datetime(2026, 3, 1, tzinfo=UTC),
    )
    assert labels(grid) == [
        "00:00",
        "00:15",
        "00:30",
        "00:45",
        "02:00",
        "02:15",
        "02:30",
        "02:45",
        "03:00",
        "03:15",
        "03:30",
        "03:45",
    ]


def test_spring_forward_an_appointment_across_the_change_spans_its_real_length():
    # 00:30 GMT + 60 minutes = 02:30 BST: four quarter hours of elapsed time.
    across = entry(dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), 60, practitioner_id=NIGHT_WORKER.id)
    grid = day(
        SPRING,
        entries=[across],
        resources=[NIGHT_WORKER],
        hours=NIGHT_CLINIC,
        now=dt.datetime(2026, 3, 1, tzinfo=UTC),
    )
    row, _, cell = block_rows(grid, 0)[across.pk]
    assert (labels(grid)[row], cell.rowspan) == ("00:30", 4)
    assert across.time_text == "00:30–02:30"
    assert labels(grid)[row + cell.rowspan] == "02:30"


def test_fall_back_night_shows_the_repeated_hour_twice_with_its_zone():
    grid = day(
        AUTUMN,
        resources=[NIGHT_WORKER],
        hours=NIGHT_CLINIC,
        now=dt.datetime(2026, 10, 1, tzinfo=UTC),
    )
    assert len(grid.rows) == 20  # 00:00 BST to 04:00 GMT is five hours
    assert labels(grid)[3:9] == [
        "00:45",
        "01:00 BST",
        "01:15 BST",
        "01:30 BST",
        "01:45 BST",
        "01:00 GMT",
    ]
    assert labels(grid)[-1] == "03:45"


def test_fall_back_night_places_each_appointment_in_its_own_occurrence_of_the_hour():
    first = entry(at(AUTUMN, 1, 30, fold=0), 15, practitioner_id=NIGHT_WORKER.id)  # 00:30 UTC
    second = entry(at(AUTUMN, 1, 30, fold=1), 15, practitioner_id=NIGHT_WORKER.id)  # 01:30 UTC
    grid = day(
        AUTUMN,
        entries=[first, second],
        resources=[NIGHT_WORKER],
        hours=NIGHT_CLINIC,
        now=dt.datetime(2026, 10, 1, tzinfo=UTC),
    )
    placed = block_rows(grid, 0)
    assert labels(grid)[placed[first.pk][0]] == "01:30 BST"
    assert labels(grid)[placed[second.pk][0]] == "01:30 GMT"
    assert placed[first.pk][1] == placed[second.pk][1] == 0  # an hour apart: no overlap


def test_a_normal_day_on_the_clock_change_dates_shows_local_times():
    # Stored in UTC: 08:00 UTC is 09:00 BST on 29 March, and 10:00 UTC is 10:00 GMT on 25 October.
    spring = entry(dt.datetime(2026, 3, 29, 8, tzinfo=UTC), 45)
    grid = day(SPRING, entries=[spring], now=dt.datetime(2026, 3, 1, tzinfo=UTC))
    row, _, _ = block_rows(grid, 0)[spring.pk]
    assert labels(grid)[row] == "09:00"
    assert spring.time_text == "09:00–09:45"
    autumn = entry(dt.datetime(2026, 10, 25, 10, tzinfo=UTC), 45)
    grid = day(AUTUMN, entries=[autumn], now=dt.datetime(2026, 10, 1, tzinfo=UTC))
    row, _, _ = block_rows(grid, 0)[autumn.pk]
    assert labels(grid)[row] == "10:00"
    assert autumn.time_text == "10:00–10:45"
    free = {r.label: r.cells[0] for r in grid.rows}["09:00"]
    assert free.url.startswith("book?at=2026-10-25T09:00:00+00:00")


# --- The week view ---------------------------------------------------------------------------


def week(monday=MONDAY, *, entries=(), resource=None, hours=None, now=NOON_BEFORE, today=None):
    return week_grid(
        days=[monday + dt.timedelta(days=n) for n in range(7)],
        tz=LONDON,
        clinic_hours=OPEN_9_TO_18 if hours is None else hours,
        resource=resource,
        entries=list(entries),
        now=now,
        today=today or monday,
        book_url=book_url,
        detail_url=detail_url,
        day_url=lambda d: f"day?date={d.isoformat()}",
    )


def test_week_has_a_column_per_day_linking_to_that_day():
    grid = week()
    assert [c.title for c in grid.columns] == [
        "Mon 15 Jun",
        "Tue 16 Jun",
        "Wed 17 Jun",
        "Thu 18 Jun",
        "Fri 19 Jun",
        "Sat 20 Jun",
        "Sun 21 Jun",
    ]
    assert grid.columns[2].url == "day?date=2026-06-17"
    assert grid.columns[0].current and not grid.columns[1].current


def test_week_places_each_appointment_on_its_local_day_and_time():
    wednesday = entry(at(MONDAY + dt.timedelta(days=2), 14), 75)
    grid = week(entries=[wednesday], resource=HART)
    row, _, cell = block_rows(grid, 2)[wednesday.pk]
    assert (labels(grid)[row], cell.rowspan) == ("14:00", 5)
    assert not any(block_rows(grid, n) for n in (0, 1, 3, 4, 5, 6))


def test_week_of_one_practitioner_offers_their_free_time():
    grid = week(resource=MEHTA)
    rows = {row.label: row.cells for row in grid.rows}
    tuesday = rows["12:00"][1]
    assert tuesday.css == "cal-free"
    assert tuesday.label == "Book Tue 16 Jun, 12:00 with Dr Rohan Mehta"
    assert rows["09:00"][1] is OFF


def test_week_of_everyone_shows_compact_blocks_in_lanes_and_nothing_to_book():
    one = entry(at(MONDAY, 10), 60)
    two = entry(at(MONDAY, 10), 60, practitioner_id=MEHTA.id, practitioner_name=MEHTA.name)
    grid = week(entries=[one, two])
    assert grid.compact
    assert grid.columns[0].lanes == 2
    assert grid.count == 2
    assert not any(cell.url and cell.entry is None for row in grid.rows for cell in row.cells)


def test_week_rows_span_the_earliest_opening_to_the_latest_closing():
    hours = {
        0: [(dt.time(9), dt.time(17))],
        5: [(dt.time(10), dt.time(14))],
        2: [(dt.time(12), dt.time(20))],
    }
    grid = week(hours=hours)
    assert labels(grid)[0] == "09:00" and labels(grid)[-1] == "19:45"
    saturday = {row.label: row.cells[5] for row in grid.rows}
    assert saturday["09:45"] is OFF
    assert saturday["10:00"] is OPEN  # open, but no one chosen to book with
    assert grid.columns[6].note == "Closed"


def test_week_across_spring_forward_cannot_book_the_missing_hour():
    monday = dt.date(2026, 3, 23)
    grid = week(
        monday,
        resource=NIGHT_WORKER,
        hours=NIGHT_CLINIC,
        now=dt.datetime(2026, 3, 1, tzinfo=UTC),
        today=monday,
    )
    rows = {row.label: row.cells for row in grid.rows}
    assert rows["01:15"][6] is OFF  # Sunday 29 March: 01:15 does not happen
    assert rows["01:15"][5].css == "cal-free"  # Saturday it does
    assert rows["02:00"][6].url.startswith("book?at=2026-03-29T02:00:00+01:00")
    assert rows["00:45"][6].url.startswith("book?at=2026-03-29T00:45:00+00:00")


def test_week_with_nothing_open_and_nothing_booked_has_no_grid():
    assert week(hours={}) is None
