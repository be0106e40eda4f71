"""The day view and the week view: which rows they have, and a column each per resource or day.

Time
----
Stored in UTC, shown in the clinic's zone. Every row is 15 minutes.

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

In the week view of every practitioner or room, each day's column has as many lanes as
appointments overlap that day, with compact blocks.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from treatments.presentation.calendar.clock import (
    DAY_MINUTES,
    STEP_MINUTES,
    STEP_US,
    day_bounds,
    exists,
    from_us,
    minutes,
    us,
    wall_clock,
)
from treatments.presentation.calendar.columns import Links, Rows, fill_column, note
from treatments.presentation.calendar.shapes import (
    BookUrl,
    By,
    Column,
    DetailUrl,
    Entry,
    Grid,
    Listed,
    Resource,
    Row,
    WeeklySpans,
)


def _stretch(bounds: tuple[int | None, int | None], start: int, end: int):
    lo, hi = bounds
    return (start if lo is None else min(lo, start), end if hi is None else max(hi, end))


def _rows_between(lo: int, hi: int, step: int) -> tuple[int, int]:
    """``lo`` down and ``hi`` up to a whole step; the first row and the number of rows."""
    lo -= lo % step
    hi += -hi % step
    return lo, (hi - lo) // step


def _placer(lo: int, count: int, step: int, measure: Callable) -> Callable:
    """``place`` for rows of ``step`` from ``lo``: ``measure(start, end)`` gives the span in the
    rows' unit (microseconds, or wall-clock minutes), or None."""

    def place(start: dt.datetime, end: dt.datetime) -> tuple[int, int] | None:
        span = measure(start, end)
        if span is None:
            return None
        first = max((span[0] - lo) // step, 0)
        stop = min(-(-(span[1] - lo) // step), count)
        return (first, stop) if stop > first else None

    return place


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
    day_lo, day_hi = us(day_start), us(day_end)
    opening = clinic_hours.get(day.weekday(), ())
    bounds: tuple[int | None, int | None] = (None, None)
    for opens, closes in opening:
        start = us(dt.datetime.combine(day, opens, tzinfo=tz))
        end = us(dt.datetime.combine(day, closes, tzinfo=tz))
        bounds = _stretch(bounds, start, end)
    for entry in entries:
        start, end = max(us(entry.starts_at), day_lo), min(us(entry.ends_at), day_hi)
        if end > start:
            bounds = _stretch(bounds, start, end)
    if bounds[0] is None or bounds[1] is None:
        return None
    lo, count = _rows_between(*bounds, STEP_US)
    instants = [from_us(lo + i * STEP_US, tz) for i in range(count)]
    rows = Rows(instants, _placer(lo, count, STEP_US, lambda s, e: (us(s), us(e))))

    by_resource: dict[int, list[Entry]] = {resource.id: [] for resource in resources}
    for entry in entries:
        by_resource.setdefault(entry.resource_id(by), []).append(entry)
    links = Links(book=book_url, detail=detail_url)
    columns = []
    for resource in resources:
        lanes, cells = fill_column(
            rows,
            entries=by_resource.get(resource.id, []),
            resource=resource,
            room_time=by is By.ROOM,
            opening=opening,
            now=now,
            links=links,
            with_day=False,
        )
        columns.append(
            Column(
                key=f"{by}-{resource.id}",
                title=resource.name,
                lanes=lanes,
                rows=cells,
                note=note(resource, day),
            )
        )
    return Grid(columns=columns, rows=_rows(_day_labels(instants), columns), count=len(entries))


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
    on_day: dict[dt.date, list[Entry]] = {day: [] for day in days}
    clocks = {day: wall_clock(day, tz) for day in days}
    bounds: tuple[int | None, int | None] = (None, None)
    for day in days:
        for opens, closes in clinic_hours.get(day.weekday(), ()):
            bounds = _stretch(bounds, minutes(opens), minutes(closes) or DAY_MINUTES)
    for entry in entries:
        day = entry.starts_at.date()
        span = clocks[day](entry.starts_at, entry.ends_at) if day in clocks else None
        if span is not None:
            on_day[day].append(entry)
            bounds = _stretch(bounds, *span)
    if bounds[0] is None or bounds[1] is None:
        return None
    lo, count = _rows_between(*bounds, STEP_MINUTES)
    walls = [
        dt.time((lo + i * STEP_MINUTES) // 60, (lo + i * STEP_MINUTES) % 60) for i in range(count)
    ]

    links = Links(book=book_url, detail=detail_url)
    room_time = resource is not None and resource.by is By.ROOM
    columns = []
    for day in days:
        starts: list[dt.datetime | None] = []
        for wall in walls:
            local = dt.datetime.combine(day, wall, tzinfo=tz)
            starts.append(local if exists(local) else None)
        opening = clinic_hours.get(day.weekday(), ())
        lanes, cells = fill_column(
            Rows(starts, _placer(lo, count, STEP_MINUTES, clocks[day])),
            entries=on_day[day],
            resource=resource,
            room_time=room_time,
            opening=opening,
            now=now,
            links=links,
            with_day=True,
        )
        columns.append(
            Column(
                key=f"day-{day.isoformat()}",
                title=f"{day:%a} {day.day} {day:%b}",
                lanes=lanes,
                rows=cells,
                url=day_url(day),
                note="Closed" if not opening else note(resource, day),
                current=day == today,
            )
        )
    labels = [(f"{wall:%H:%M}", wall.minute == 0) for wall in walls]
    shown = sum(len(on_day[day]) for day in days)
    return Grid(columns=columns, rows=_rows(labels, columns), count=shown, compact=resource is None)


# --- Lists (the home sections) ---------------------------------------------------------------


def in_time_order(entries: Iterable[Entry], detail_url: DetailUrl) -> list[Listed]:
    """The appointments in time order, each with its link."""
    ordered = sorted(entries, key=lambda e: (e.starts_at, e.practitioner_name, e.pk))
    return [Listed(entry, detail_url(entry.pk)) for entry in ordered]
