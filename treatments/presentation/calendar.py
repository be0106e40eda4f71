"""The calendar's layout: columns of 15-minute rows, with the appointments placed on them.

Issue 5: "a day view with a column per practitioner or per room (a toggle), a week view, ...
appointments coloured by type and state, with the patient's name, route and status; clicking
opens the appointment; free time can be clicked to book."

No database and no URL routing here. The view loads the records of the days shown into the plain
shapes below (``Entry`` for an appointment, ``Resource`` for a practitioner or a room) in a fixed
number of queries, and passes functions that make links; this module decides which row, column
and lane each thing goes in, and which empty cells can be booked.

Time
----
Stored in UTC, shown in the clinic's zone (issue 5). Every row is 15 minutes.

- The day view's rows are the day's quarter hours of elapsed time, from the earliest opening (or
  the earliest appointment) to the latest closing (or the latest end), each labelled with the
  local clock. On the spring-forward night the missing hour has no rows (00:45 is followed by
  02:00 in London on 29 March 2026); on the fall-back night the repeated hour has rows twice,
  labelled with the zone's abbreviation (01:00 BST, then 01:00 GMT on 25 October 2026). An
  appointment is placed by its instants, so it is always in the right rows.
- The week view's seven days share one set of wall-clock rows (09:00 is one row from Monday to
  Sunday); an appointment is placed by its local start and end on the day it starts. A row whose
  local time does not exist on a day (the spring-forward gap) cannot be booked.
- Rows start on a quarter hour. Every zone in use today is a whole number of quarter hours from
  UTC, so a quarter hour of UTC is a quarter hour of the local clock.

Lanes
-----
A column is one lane wide unless things in it overlap: a cancelled appointment (shown struck
through) does not hold its time, so a new booking may sit at the same time; it then goes in a
lane beside it. In a column that can be booked, the first lane is kept for what holds time
(appointments that are not cancelled, time off) and for the free cells, and cancelled
appointments go in the lanes after it. In the week view of every practitioner or room, each
day's column has as many lanes as appointments overlap that day, with compact blocks.
"""

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from clinic.lib.vocabulary import Route
from treatments.models import AppointmentStatus

STEP = dt.timedelta(minutes=15)
STEP_MINUTES = 15
_STEP_US = STEP // dt.timedelta(microseconds=1)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_US = dt.timedelta(microseconds=1)
_DAY_MINUTES = 24 * 60

#: A local wall-clock span [opens, closes) of one day.
Span = tuple[dt.time, dt.time]
#: weekday (0 = Monday) -> the spans of that day.
WeeklySpans = Mapping[int, Sequence[Span]]


class By(enum.StrEnum):
    """What the day view's columns are."""

    PRACTITIONER = "practitioner"
    ROOM = "room"

    @property
    def label(self) -> str:
        return "practitioners" if self is By.PRACTITIONER else "rooms"


KIND_CLASSES = {
    "consultation": "cal-type-consultation",
    "follow_up": "cal-type-follow-up",
}

STATUS_LABELS = {status.value: status.label for status in AppointmentStatus}
ROUTE_LABELS = {route.value: route.label for route in Route}


@dataclass(slots=True, kw_only=True)
class Entry:
    """An appointment as the calendar shows it; times are aware, in the clinic's zone."""

    pk: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_free_at: dt.datetime
    status: str
    late_cancellation: bool
    patient_name: str
    kind_name: str
    kind: str  # clinic.models.AppointmentType.Kind
    route: str  # "" for consultations and reviews
    practitioner_id: int
    practitioner_name: str
    room_id: int
    room_name: str

    @property
    def holding(self) -> bool:
        """Whether it occupies its time: everything but a cancellation."""
        return self.status != AppointmentStatus.CANCELLED

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS.get(self.status, self.status)
        if self.status == AppointmentStatus.CANCELLED and self.late_cancellation:
            return "Cancelled late"
        return label

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS.get(self.route, "")

    @property
    def type_text(self) -> str:
        """The appointment type, with the route when the type's name does not say it."""
        route = self.route_label
        if route and route.split()[0].lower() not in self.kind_name.lower():
            return f"{self.kind_name} ({route.lower()})"
        return self.kind_name

    @property
    def time_text(self) -> str:
        start, end = self.starts_at, self.ends_at
        return f"{start.hour:02d}:{start.minute:02d}–{end.hour:02d}:{end.minute:02d}"

    @property
    def css(self) -> str:
        """Colour by type (consultation, each treatment route, follow-up); style by state."""
        kind = KIND_CLASSES.get(self.kind) or f"cal-route-{self.route or 'other'}"
        return f"{kind} cal-state-{self.status}"

    def resource_id(self, by: By) -> int:
        return self.practitioner_id if by is By.PRACTITIONER else self.room_id


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """A practitioner or a room: a column of the day view, or the filter of the week view.

    ``hours``: a practitioner's working hours (None for a room, which is open whenever the clinic
    is). ``away``: a practitioner's time off, as (start, end) instants.
    """

    by: By
    id: int
    name: str
    hours: WeeklySpans | None = None
    away: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    active: bool = True

    @property
    def booking_text(self) -> str:
        return f"with {self.name}" if self.by is By.PRACTITIONER else f"in {self.name}"


@dataclass(slots=True)
class Cell:
    """One table cell. A block (an appointment, or time off) spans ``rowspan`` rows."""

    css: str
    rowspan: int = 1
    entry: Entry | None = None
    url: str = ""
    label: str = ""


OFF = Cell("cal-off")  # the clinic is closed, or the practitioner is not working
OPEN = Cell("cal-open")  # open but not bookable here: in the past, or a lane beside a block


@dataclass(slots=True)
class Column:
    key: str
    title: str
    lanes: int
    rows: list[list[Cell]]
    url: str = ""
    note: str = ""
    current: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    on_the_hour: bool
    cells: list[Cell]


@dataclass(slots=True)
class Grid:
    columns: list[Column]
    rows: list[Row]
    count: int = 0  # appointments shown
    compact: bool = False


BookUrl = Callable[[dt.datetime, Resource], str]
DetailUrl = Callable[[int], str]


# --- Small time helpers --------------------------------------------------------------------------


def _us(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _ONE_US


def _from_us(us: int, tz: dt.tzinfo) -> dt.datetime:
    return (_EPOCH + dt.timedelta(microseconds=us)).astimezone(tz)


def _minutes(value: dt.time | dt.datetime) -> int:
    """Minutes since midnight on the wall clock."""
    return value.hour * 60 + value.minute


def _exists(local: dt.datetime) -> bool:
    """Whether a local wall-clock time happens (not in the spring-forward gap)."""
    round_trip = local.astimezone(dt.UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def day_bounds(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The instants a local day starts and ends (23 or 25 hours apart on clock-change days)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def _inside(spans: Iterable[Span] | None, start_min: int, end_min: int) -> bool:
    """Whether the wall-clock minutes [start_min, end_min) lie inside one of ``spans``."""
    if spans is None:
        return True
    return any(
        _minutes(opens) <= start_min and end_min <= (_minutes(closes) or _DAY_MINUTES)
        for opens, closes in spans
    )


# --- Placing blocks in lanes -------------------------------------------------------------------


@dataclass(slots=True)
class _Placed:
    first: int
    stop: int
    cell: Cell
    holds: bool  # holds its time (not a cancellation)
    lane: int = 0


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
    placed: list[_Placed], row_cells: list[Cell], *, keep_first_lane: bool
) -> tuple[int, list[list[Cell]]]:
    """The cells to write for each row of a column (rows under a block's rowspan write none)."""
    count = len(row_cells)
    lanes = _assign_lanes(placed, count, keep_first_lane=keep_first_lane)
    if not placed:
        return 1, [[cell] for cell in row_cells]
    grid: list[list[object]] = [[None] * lanes for _ in range(count)]
    for block in placed:
        grid[block.first][block.lane] = block.cell
        for row in range(block.first + 1, block.stop):
            grid[row][block.lane] = _COVERED
    out: list[list[Cell]] = []
    for index, lanes_of_row in enumerate(grid):
        cells: list[Cell] = []
        background = row_cells[index]
        for lane, value in enumerate(lanes_of_row):
            if value is _COVERED:
                continue
            if value is None:
                # Only the first lane offers the free time; the lanes beside it show the state.
                value = background if lane == 0 or background is OFF else OPEN
            cells.append(value)
        out.append(cells)
    return lanes, out


def _block(entry: Entry, first: int, stop: int, detail_url: DetailUrl) -> _Placed:
    rows = stop - first
    css = f"cal-block {entry.css} cal-span-{rows}"
    cell = Cell(css, rowspan=rows, entry=entry, url=detail_url(entry.pk))
    return _Placed(first, stop, cell, entry.holding)


def _away(first: int, stop: int) -> _Placed:
    return _Placed(first, stop, Cell("cal-away", rowspan=stop - first, label="Away"), True)


# --- The day view ----------------------------------------------------------------------------


def day_grid(
    *,
    day: dt.date,
    tz: dt.tzinfo,
    by: By,
    clinic_hours: WeeklySpans,
    resources: Sequence[Resource],
    entries: Sequence[Entry],
    now: dt.datetime,
    book_url: BookUrl,
    detail_url: DetailUrl,
) -> Grid | None:
    """One column per practitioner or room, rows every 15 minutes of the local day.

    None when there is nothing to show: the clinic is closed that day and nothing is booked.
    """
    day_start, day_end = day_bounds(day, tz)
    opening = clinic_hours.get(day.weekday(), ())
    lo: int | None = None
    hi: int | None = None
    for opens, closes in opening:
        start = _us(dt.datetime.combine(day, opens, tzinfo=tz))
        end = _us(dt.datetime.combine(day, closes, tzinfo=tz))
        lo = start if lo is None else min(lo, start)
        hi = end if hi is None else max(hi, end)
    day_lo, day_hi = _us(day_start), _us(day_end)
    for entry in entries:
        start = max(_us(entry.starts_at), day_lo)
        end = min(_us(entry.ends_at), day_hi)
        if end <= start:
            continue
        lo = start if lo is None else min(lo, start)
        hi = end if hi is None else max(hi, end)
    if lo is None or hi is None:
        return None
    lo -= lo % _STEP_US
    hi += -hi % _STEP_US
    count = (hi - lo) // _STEP_US
    instants = [_from_us(lo + i * _STEP_US, tz) for i in range(count)]
    rows = _day_labels(instants)

    def place(start: dt.datetime, end: dt.datetime) -> tuple[int, int] | None:
        first = max((_us(start) - lo) // _STEP_US, 0)
        stop = min(-(-(_us(end) - lo) // _STEP_US), count)
        return (first, stop) if stop > first else None

    by_resource: dict[int, list[Entry]] = {resource.id: [] for resource in resources}
    for entry in entries:
        by_resource.setdefault(entry.resource_id(by), []).append(entry)

    now_us = _us(now)
    columns = []
    for resource in resources:
        own = by_resource.get(resource.id, [])
        placed: list[_Placed] = []
        held = bytearray(count)  # rows this resource cannot be booked in
        for entry in own:
            spot = place(entry.starts_at, entry.ends_at)
            if spot is None:
                continue
            placed.append(_block(entry, *spot, detail_url))
            if entry.holding:
                # A room is busy until its turnover after the appointment is done.
                busy_end = entry.room_free_at if by is By.ROOM else entry.ends_at
                first, stop = place(entry.starts_at, busy_end) or spot
                held[first:stop] = b"\x01" * (stop - first)
        for start, end in resource.away:
            spot = place(start, end)
            if spot is not None:
                placed.append(_away(*spot))
                held[spot[0] : spot[1]] = b"\x01" * (spot[1] - spot[0])
        row_cells = [
            _background(
                instant,
                resource=resource,
                opening=opening,
                held=held[index],
                now_us=now_us,
                book_url=book_url,
                with_day=False,
            )
            for index, instant in enumerate(instants)
        ]
        lanes, cells = _column_rows(placed, row_cells, keep_first_lane=True)
        note = ""
        if resource.hours is not None and not resource.hours.get(day.weekday()):
            note = "Not working"
        elif not resource.active:
            note = "No longer bookable"
        columns.append(
            Column(
                key=f"{by}-{resource.id}", title=resource.name, lanes=lanes, rows=cells, note=note
            )
        )
    return Grid(columns=columns, rows=_rows(rows, columns), count=len(entries))


def _day_labels(instants: list[dt.datetime]) -> list[tuple[str, bool]]:
    """'09:00', ...; a wall-clock time that happens twice (fall back) gets its zone's name."""
    labels = [f"{instant:%H:%M}" for instant in instants]
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [
        (f"{label} {instant.tzname()}" if seen[label] > 1 else label, instant.minute == 0)
        for label, instant in zip(labels, instants, strict=True)
    ]


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
    start_min = instant.hour * 60 + instant.minute
    end_min = start_min + STEP_MINUTES
    if not _inside(opening, start_min, end_min):
        return OFF
    if resource is None:
        return OPEN
    if resource.hours is not None and not _inside(
        resource.hours.get(instant.weekday(), ()), start_min, end_min
    ):
        return OFF
    if held or _us(instant) < now_us or not resource.active:
        return OPEN
    when = (
        f"{instant:%a} {instant.day} {instant:%b}, {instant:%H:%M}"
        if with_day
        else (f"{instant:%H:%M}")
    )
    return Cell(
        "cal-free", url=book_url(instant, resource), label=f"Book {when} {resource.booking_text}"
    )


def _rows(labels: list[tuple[str, bool]], columns: list[Column]) -> list[Row]:
    return [
        Row(label, on_the_hour, [cell for column in columns for cell in column.rows[index]])
        for index, (label, on_the_hour) in enumerate(labels)
    ]


# --- The week view -----------------------------------------------------------------------------


def week_grid(
    *,
    days: Sequence[dt.date],
    tz: dt.tzinfo,
    clinic_hours: WeeklySpans,
    resource: Resource | None,
    entries: Sequence[Entry],
    now: dt.datetime,
    today: dt.date,
    book_url: BookUrl,
    detail_url: DetailUrl,
    day_url: Callable[[dt.date], str],
) -> Grid | None:
    """Seven day columns on shared wall-clock rows.

    ``resource``: one practitioner or room, whose free time can be booked; None shows everyone's
    appointments in compact blocks, nothing to book (choose a day or a practitioner for that).
    ``entries`` are already those of the resource (the caller filters). None when the clinic is
    closed all week and nothing is booked.
    """
    local_entries: dict[dt.date, list[Entry]] = {day: [] for day in days}
    lo: int | None = None
    hi: int | None = None
    for day in days:
        for opens, closes in clinic_hours.get(day.weekday(), ()):
            start, end = _minutes(opens), _minutes(closes) or _DAY_MINUTES
            lo = start if lo is None else min(lo, start)
            hi = end if hi is None else max(hi, end)
    spans: dict[int, tuple[int, int]] = {}
    for entry in entries:
        day = entry.starts_at.date()
        if day not in local_entries:
            continue
        local_entries[day].append(entry)
        start = _minutes(entry.starts_at)
        end = _minutes(entry.ends_at) if entry.ends_at.date() == day else _DAY_MINUTES
        end = max(end, start + 1)
        spans[entry.pk] = (start, end)
        lo = start if lo is None else min(lo, start)
        hi = end if hi is None else max(hi, end)
    if lo is None or hi is None:
        return None
    lo -= lo % STEP_MINUTES
    hi += -hi % STEP_MINUTES
    count = (hi - lo) // STEP_MINUTES
    walls = [
        dt.time((lo + i * STEP_MINUTES) // 60, (lo + i * STEP_MINUTES) % 60) for i in range(count)
    ]

    def place(start_min: int, end_min: int) -> tuple[int, int] | None:
        first = max((start_min - lo) // STEP_MINUTES, 0)
        stop = min(-(-(end_min - lo) // STEP_MINUTES), count)
        return (first, stop) if stop > first else None

    now_us = _us(now)
    columns = []
    for day in days:
        day_start, day_end = day_bounds(day, tz)
        instants: list[dt.datetime | None] = []
        for wall in walls:
            local = dt.datetime.combine(day, wall, tzinfo=tz)
            instants.append(local if _exists(local) else None)
        placed: list[_Placed] = []
        held = bytearray(count)
        for entry in local_entries[day]:
            spot = place(*spans[entry.pk])
            if spot is None:
                continue
            placed.append(_block(entry, *spot, detail_url))
            if entry.holding:
                first, stop = spot
                if resource is not None and resource.by is By.ROOM:
                    # A room is busy until its turnover after the appointment is done.
                    free_at = entry.room_free_at
                    start_min, end_min = spans[entry.pk]
                    if free_at.date() == day:
                        end_min = max(end_min, _minutes(free_at))
                    else:
                        end_min = _DAY_MINUTES
                    first, stop = place(start_min, end_min) or spot
                held[first:stop] = b"\x01" * (stop - first)
        if resource is not None:
            for start, end in resource.away:
                local_start = max(start.astimezone(tz), day_start)
                local_end = min(end.astimezone(tz), day_end)
                if local_end <= local_start:
                    continue
                end_min = _minutes(local_end) if local_end.date() == day else _DAY_MINUTES
                spot = place(_minutes(local_start), end_min)
                if spot is not None:
                    placed.append(_away(*spot))
                    held[spot[0] : spot[1]] = b"\x01" * (spot[1] - spot[0])
        opening = clinic_hours.get(day.weekday(), ())
        row_cells = [
            _background(
                instant,
                resource=resource,
                opening=opening,
                held=held[index],
                now_us=now_us,
                book_url=book_url,
                with_day=True,
            )
            for index, instant in enumerate(instants)
        ]
        lanes, cells = _column_rows(placed, row_cells, keep_first_lane=resource is not None)
        note = "Closed" if not opening else ""
        working = resource is None or resource.hours is None or resource.hours.get(day.weekday())
        if not note and not working:
            note = "Not working"
        columns.append(
            Column(
                key=f"day-{day.isoformat()}",
                title=f"{day:%a} {day.day} {day:%b}",
                lanes=lanes,
                rows=cells,
                url=day_url(day),
                note=note,
                current=day == today,
            )
        )
    labels = [(f"{wall:%H:%M}", wall.minute == 0) for wall in walls]
    shown = sum(len(local_entries[day]) for day in days)
    return Grid(columns=columns, rows=_rows(labels, columns), count=shown, compact=resource is None)


# --- Lists (the home sections) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listed:
    """An appointment in a list, with its link."""

    entry: Entry
    url: str


def in_time_order(entries: Iterable[Entry], detail_url: DetailUrl) -> list[Listed]:
    """The appointments in time order, each with its link."""
    ordered = sorted(entries, key=lambda e: (e.starts_at, e.practitioner_name, e.pk))
    return [Listed(entry, detail_url(entry.pk)) for entry in ordered]
