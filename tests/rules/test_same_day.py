"""The same-day reminder's time (docs/clinical-rules.md §Reminders), table-driven, across both
clock changes of Europe/London in 2026 (29 March: 01:00 GMT -> 02:00 BST; 25 October: 02:00 BST ->
01:00 GMT)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from clinic.lib.same_day import local_moment, same_day_reminder_time

LONDON = ZoneInfo("Europe/London")
QUIET = (dt.time(21, 0), dt.time(8, 0))
EIGHT = dt.time(8, 0)


def _london(*args):
    return dt.datetime(*args, tzinfo=LONDON)


def _utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("starts_at", "at", "quiet", "now", "expected", "row"),
    [
        (_london(2026, 12, 8, 10, 0), EIGHT, None, _utc(2026, 12, 1, 9), _utc(2026, 12, 8, 8, 0),
         "later that day: at 08:00 clinic time (GMT)"),
        (_london(2026, 7, 8, 10, 0), EIGHT, None, _utc(2026, 7, 1, 9), _utc(2026, 7, 8, 7, 0),
         "in summer 08:00 BST is 07:00 UTC"),
        (_london(2026, 3, 29, 11, 0), EIGHT, QUIET, _utc(2026, 3, 20), _utc(2026, 3, 29, 7, 0),
         "the spring-forward Sunday: 08:00 BST, 07:00 UTC"),
        (_london(2026, 10, 25, 11, 0), EIGHT, QUIET, _utc(2026, 10, 20), _utc(2026, 10, 25, 8, 0),
         "the fall-back Sunday: 08:00 GMT, 08:00 UTC"),
        (_london(2026, 12, 8, 8, 20), EIGHT, None, _utc(2026, 12, 1), None,
         "less than 30 minutes after the reminder time: none"),
        (_london(2026, 12, 8, 8, 30), EIGHT, None, _utc(2026, 12, 1), _utc(2026, 12, 8, 8, 0),
         "exactly 30 minutes after: sent"),
        (_london(2026, 12, 8, 7, 30), EIGHT, None, _utc(2026, 12, 1), None,
         "before the reminder time: none"),
        (_london(2026, 12, 8, 10, 0), dt.time(7, 0), QUIET, _utc(2026, 12, 1),
         _utc(2026, 12, 8, 8, 0), "a text due in quiet hours waits for 08:00"),
        (_london(2026, 12, 8, 10, 0), dt.time(7, 0), None, _utc(2026, 12, 1),
         _utc(2026, 12, 8, 7, 0), "an email is not held by quiet hours"),
        (_london(2026, 12, 8, 8, 15), dt.time(7, 0), QUIET, _utc(2026, 12, 1), None,
         "quiet hours would hold the text until 15 minutes before: none"),
        (_london(2026, 12, 8, 15, 0), EIGHT, None, _utc(2026, 12, 8, 9), None,
         "booked that morning after the reminder time: none"),
        (_london(2026, 12, 8, 15, 0), None, None, _utc(2026, 12, 1), None,
         "the clinic has not turned it on"),
    ],
)  # fmt: skip
def test_when_the_same_day_reminder_goes(starts_at, at, quiet, now, expected, row):
    assert same_day_reminder_time(starts_at, at=at, zone=LONDON, now=now, quiet=quiet) == expected


@pytest.mark.parametrize(
    ("day", "clock", "expected"),
    [
        (dt.date(2026, 3, 29), dt.time(1, 30), _utc(2026, 3, 29, 1, 30)),  # skipped: 02:30 BST
        (dt.date(2026, 10, 25), dt.time(1, 30), _utc(2026, 10, 25, 0, 30)),  # twice: the first
        (dt.date(2026, 3, 29), dt.time(8, 0), _utc(2026, 3, 29, 7, 0)),
    ],
)
def test_a_wall_clock_time_on_a_day_the_clocks_change(day, clock, expected):
    assert local_moment(day, clock, LONDON) == expected
