"""Time arithmetic of the calendar: quarter hours, local days, wall-clock minutes.

Instants are compared as microseconds since the epoch, so that arithmetic across a clock change
is elapsed time, never wall-clock time.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from treatments.presentation.calendar.shapes import Span

STEP = dt.timedelta(minutes=15)
STEP_MINUTES = 15
STEP_US = STEP // dt.timedelta(microseconds=1)
DAY_MINUTES = 24 * 60
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_US = dt.timedelta(microseconds=1)
#: Wall-clock minutes [start, end) of a day, or None.
Minutes = tuple[int, int] | None


def us(moment: dt.datetime) -> int:
    """Microseconds since the epoch."""
    return (moment - _EPOCH) // _ONE_US


def from_us(value: int, tz: dt.tzinfo) -> dt.datetime:
    return (_EPOCH + dt.timedelta(microseconds=value)).astimezone(tz)


def minutes(value: dt.time | dt.datetime) -> int:
    """Minutes since midnight on the wall clock."""
    return value.hour * 60 + value.minute


def exists(local: dt.datetime) -> bool:
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


def inside(spans: Iterable[Span] | None, start_min: int, end_min: int) -> bool:
    """Whether the wall-clock minutes [start_min, end_min) lie inside one of ``spans``."""
    if spans is None:
        return True
    return any(
        minutes(opens) <= start_min and end_min <= (minutes(closes) or DAY_MINUTES)
        for opens, closes in spans
    )


def wall_clock(day: dt.date, tz: dt.tzinfo) -> Callable[[dt.datetime, dt.datetime], Minutes]:
    """For ``day``: the wall-clock minutes [start, end) of the day that two instants cover, or
    None. What runs past midnight ends at the end of the day; anything at all covers a minute."""
    day_start, day_end = day_bounds(day, tz)

    def span(start: dt.datetime, end: dt.datetime) -> Minutes:
        local_start = max(start.astimezone(tz), day_start)
        local_end = min(end.astimezone(tz), day_end)
        if local_end <= local_start:
            return None
        start_min = minutes(local_start)
        end_min = minutes(local_end) if local_end.date() == day else DAY_MINUTES
        return start_min, max(end_min, start_min + 1)

    return span
