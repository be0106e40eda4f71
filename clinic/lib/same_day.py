"""When the optional same-day reminder goes (docs/clinical-rules.md §Reminders).

The clinic may turn on a second reminder on the morning of the appointment, at a fixed time on
its own clock (08:00 unless it says otherwise). It goes at that wall-clock time on the day of the
appointment, whatever that day's UTC offset; a text due in quiet hours waits for their end. It
is not sent when it would come less than ``MIN_NOTICE`` before the start (an appointment at
08:10 with the reminder at 08:00, or one before the reminder time), when its time has already
passed (booked that morning), or when quiet hours would hold it until after the start.

Plain Python: times in, a time (or None) out.
"""

import datetime as dt
from zoneinfo import ZoneInfo

#: A reminder this close to the start would arrive while the patient is already on the way.
MIN_NOTICE = dt.timedelta(minutes=30)


def local_moment(day: dt.date, clock: dt.time, zone: ZoneInfo) -> dt.datetime:
    """``clock`` on ``day`` in ``zone``, in UTC. A wall-clock time the spring change skips
    (01:30 in London on the last Sunday of March) is taken an hour later, as clocks show it."""
    naive = dt.datetime.combine(day, clock)
    moment = naive.replace(tzinfo=zone)
    back = moment.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:  # does not exist on that day: the clock jumped over it
        moment = (naive + dt.timedelta(hours=1)).replace(tzinfo=zone)
    return moment.astimezone(dt.UTC)


def same_day_reminder_time(
    starts_at: dt.datetime,
    *,
    at: dt.time | None,
    zone: ZoneInfo,
    now: dt.datetime,
    quiet: tuple[dt.time, dt.time] | None = None,
) -> dt.datetime | None:
    """When the same-day reminder of an appointment starting at ``starts_at`` goes, in UTC, or
    None when it does not (turned off: ``at`` is None; or see the module's docstring).
    ``quiet`` is the clinic's quiet hours for a text, (start, end), or None for an email."""
    if at is None:
        return None
    day = starts_at.astimezone(zone).date()
    when = local_moment(day, at, zone)
    if quiet is not None:
        from clinic.lib.quiet_hours import next_allowed

        when = next_allowed(when, zone=zone, start=quiet[0], end=quiet[1])
    if when <= now or starts_at.astimezone(dt.UTC) - when < MIN_NOTICE:
        return None
    return when
