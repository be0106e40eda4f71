"""One column of the calendar, for the day view and the week view alike.

A column is a run of 15-minute rows (``Rows``: when each row starts, and which rows a span of
time covers). Into it go the appointments, as blocks, and the practitioner's time off, as "Away";
the empty quarter hours become free cells to book, open cells, or closed ones. The day view and
the week view differ only in their rows: instants of one day, or the wall-clock times shared by
seven days.

Lanes: a column is one lane wide unless things in it overlap: a cancelled appointment (shown
struck through) does not hold its time, so a new booking may sit at the same time; it then goes
in a lane beside it. In a column that can be booked, the first lane is kept for what holds time
(appointments that are not cancelled, time off) and for the free cells, and cancelled
appointments go in the lanes after it. An appointment booked under time off (it needs moving)
sits in a lane beside the "Away" block.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from treatments.presentation.calendar.clock import STEP_MINUTES, inside, minutes, us
from treatments.presentation.calendar.shapes import (
    OFF,
    OPEN,
    BookUrl,
    Cell,
    DetailUrl,
    Entry,
    Resource,
    Span,
)

#: Where a span of time falls on a column's rows: (first row, row after the last), or None.
Place = Callable[[dt.datetime, dt.datetime], tuple[int, int] | None]


@dataclass(frozen=True, slots=True)
class Rows:
    """A column's rows: when each starts (None where that wall-clock time does not happen that
    day, in the spring-forward gap), and ``place`` for what goes on them."""

    starts: Sequence[dt.datetime | None]
    place: Place


@dataclass(frozen=True, slots=True, kw_only=True)
class Links:
    book: BookUrl
    detail: DetailUrl


def fill_column(
    rows: Rows,
    *,
    entries: Sequence[Entry],
    resource: Resource | None,
    room_time: bool,
    opening: Sequence[Span],
    now: dt.datetime,
    links: Links,
    with_day: bool,
) -> tuple[int, list[list[Cell]]]:
    """The number of lanes, and the cells each row writes (rows under a block's rowspan write
    none).

    ``resource``: whose free time can be booked here (None: nothing to book, compact lanes).
    ``room_time``: a room is busy until its turnover after each appointment is done.
    ``with_day``: free cells name the day as well as the time (the week view).
    """
    count = len(rows.starts)
    placed: list[_Placed] = []
    held = bytearray(count)  # rows that cannot be booked
    for entry in entries:
        spot = rows.place(entry.starts_at, entry.ends_at)
        if spot is None:
            continue
        placed.append(_block(entry, *spot, links.detail))
        if entry.holding:
            first, stop = spot
            if room_time:
                first, stop = rows.place(entry.starts_at, entry.room_free_at) or spot
            held[first:stop] = b"\x01" * (stop - first)
    for start, end in resource.away if resource is not None else ():
        spot = rows.place(start, end)
        if spot is not None:
            first, stop = spot
            placed.append(_Placed(first, stop, Cell("cal-away", stop - first, label="Away"), True))
            held[first:stop] = b"\x01" * (stop - first)
    now_us = us(now)
    backgrounds = [
        _background(
            start,
            resource=resource,
            opening=opening,
            held=held[index],
            now_us=now_us,
            book_url=links.book,
            with_day=with_day,
        )
        for index, start in enumerate(rows.starts)
    ]
    return _column_rows(placed, backgrounds, keep_first_lane=resource is not None)


def note(resource: Resource | None, day: dt.date) -> str:
    """What a column's head says about the practitioner or room that day."""
    if resource is None:
        return ""
    if resource.hours is not None and not resource.hours.get(day.weekday()):
        return "Not working"
    if not resource.active:
        return "No longer bookable"
    return ""


# --- Placing blocks in lanes -------------------------------------------------------------------


@dataclass(slots=True)
class _Placed:
    first: int
    stop: int
    cell: Cell
    holds: bool  # holds its time (not a cancellation)
    lane: int = 0


def _block(entry: Entry, first: int, stop: int, detail_url: DetailUrl) -> _Placed:
    span = stop - first
    css = f"cal-block {entry.css} cal-span-{span}"
    cell = Cell(css, rowspan=span, entry=entry, url=detail_url(entry.pk))
    return _Placed(first, stop, cell, entry.holding)


def _assign_lanes(placed: list[_Placed], rows: int, *, keep_first_lane: bool) -> int:
    """Put each block in the first lane where its rows are free; return the number of lanes.

    What holds time is placed first, in order; then cancellations, after the first lane when
    ``keep_first_lane`` (the first lane then stays for free cells).
    """
    taken: list[bytearray] = [bytearray(rows)]
    order = sorted(placed, key=lambda p: (not p.holds, p.first, p.stop))
    for block in order:
        lane = 1 if keep_first_lane and not block.holds else 0
        while True:
            if lane == len(taken):
                taken.append(bytearray(rows))
            if not any(taken[lane][block.first : block.stop]):
                break
            lane += 1
        taken[lane][block.first : block.stop] = b"\x01" * (block.stop - block.first)
        block.lane = lane
    return len(taken)


_COVERED = object()


def _column_rows(
    placed: list[_Placed], backgrounds: list[Cell], *, keep_first_lane: bool
) -> tuple[int, list[list[Cell]]]:
    count = len(backgrounds)
    lanes = _assign_lanes(placed, count, keep_first_lane=keep_first_lane)
    if not placed:
        return 1, [[cell] for cell in backgrounds]
    grid: list[list[object]] = [[None] * lanes for _ in range(count)]
    for block in placed:
        grid[block.first][block.lane] = block.cell
        for row in range(block.first + 1, block.stop):
            grid[row][block.lane] = _COVERED
    out: list[list[Cell]] = []
    for index, lanes_of_row in enumerate(grid):
        cells: list[Cell] = []
        background = backgrounds[index]
        for lane, value in enumerate(lanes_of_row):
            if value is _COVERED:
                continue
            if value is None:
                # Only the first lane offers the free time; the lanes beside it show the state.
                value = background if lane == 0 or background is OFF else OPEN
            cells.append(value)
        out.append(cells)
    return lanes, out


def _background(
    instant: dt.datetime | None,
    *,
    resource: Resource | None,
    opening: Sequence[Span],
    held: int,
    now_us: int,
    book_url: BookUrl,
    with_day: bool,
) -> Cell:
    """An empty quarter hour: free to book (a link), open but not bookable, or closed."""
    if instant is None:
        return OFF  # this wall-clock time does not happen today (spring forward)
    start_min = minutes(instant)
    end_min = start_min + STEP_MINUTES
    if not inside(opening, start_min, end_min):
        return OFF
    if resource is None:
        return OPEN
    if resource.hours is not None and not inside(
        resource.hours.get(instant.weekday(), ()), start_min, end_min
    ):
        return OFF
    if held or us(instant) < now_us or not resource.active:
        return OPEN
    when = (
        f"{instant:%a} {instant.day} {instant:%b}, {instant:%H:%M}"
        if with_day
        else f"{instant:%H:%M}"
    )
    return Cell(
        "cal-free", url=book_url(instant, resource), label=f"Book {when} {resource.booking_text}"
    )
