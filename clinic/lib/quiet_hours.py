"""When a text may go: never in the clinic's quiet hours (by default 21:00-08:00 clinic time).

A text due in quiet hours goes when they end, at the clinic's 08:00 of that morning, whatever
the date's UTC offset: across the spring change the night is an hour shorter in UTC, across the
autumn change an hour longer.
"""

import datetime as dt
from zoneinfo import ZoneInfo


def parse(value: str) -> tuple[dt.time, dt.time]:
    """``"21:00-08:00"`` as (start, end); ValueError for anything else."""
    try:
        start, end = (dt.time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError as error:
        raise ValueError(f"{value!r} is not a range of two times like 21:00-08:00.") from error
    if start == end:
        raise ValueError(f"{value!r} starts and ends at the same time.")
    return start, end


def is_quiet(clock: dt.time, start: dt.time, end: dt.time) -> bool:
    """Whether the wall-clock time ``clock`` falls in quiet hours [start, end)."""
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end  # the range runs over midnight


def next_allowed(when: dt.datetime, *, zone: ZoneInfo, start: dt.time, end: dt.time) -> dt.datetime:
    """``when`` if it is outside quiet hours on the clinic's clock, else the moment they end.

    ``when`` must be aware; the answer is in UTC.
    """
    local = when.astimezone(zone)
    if not is_quiet(local.time().replace(tzinfo=None), start, end):
        return when.astimezone(dt.UTC)
    day = local.date()
    if start > end and local.time().replace(tzinfo=None) >= start:
        day += dt.timedelta(days=1)  # the evening: quiet hours end tomorrow morning
    resumes = dt.datetime.combine(day, end, tzinfo=zone)
    return resumes.astimezone(dt.UTC)
