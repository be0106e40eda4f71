"""Segment counting of texts (GSM 03.38 / UCS-2) and the quiet hours of the clinic's clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from clinic.lib import quiet_hours
from clinic.lib.sms import GSM7, UCS2, segments

CONFIRMATION = (
    "Your appointment at Exoclinic Demo Clinic is on Tue 8 Dec at 09:00. "
    "Reply C to confirm or call 020 7946 0000"
)


@pytest.mark.parametrize(
    ("text", "encoding", "units", "count"),
    [
        ("", GSM7, 0, 0),
        ("Hello", GSM7, 5, 1),
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),  # 153 + 8
        ("a" * 306, GSM7, 306, 2),
        ("a" * 307, GSM7, 307, 3),
        ("£10, café, Ünter", GSM7, 16, 1),  # all in the default alphabet
        ("€" * 80, GSM7, 160, 1),  # extension characters count twice
        ("€" * 80 + "a", GSM7, 161, 2),
        ("[x]{y}", GSM7, 10, 1),
        ("Don’t", UCS2, 5, 1),  # a curly apostrophe is outside GSM-7
        ("ł" * 70, UCS2, 70, 1),
        ("ł" * 71, UCS2, 71, 2),  # 67 + 4
        ("ł" * 134, UCS2, 134, 2),
        ("ł" * 135, UCS2, 135, 3),
        ("See you 🙂", UCS2, 10, 1),  # the emoji is two UTF-16 code units
        (CONFIRMATION, GSM7, len(CONFIRMATION), 1),
    ],
)
def test_segments(text, encoding, units, count):
    result = segments(text)
    assert (result.encoding, result.units, result.count) == (encoding, units, count)


LONDON = ZoneInfo("Europe/London")
QUIET = quiet_hours.parse("21:00-08:00")


def _utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("due", "goes"),
    [
        # Winter (GMT = UTC).
        (_utc(2026, 12, 1, 10, 0), _utc(2026, 12, 1, 10, 0)),
        (_utc(2026, 12, 1, 20, 59), _utc(2026, 12, 1, 20, 59)),
        (_utc(2026, 12, 1, 21, 0), _utc(2026, 12, 2, 8, 0)),
        (_utc(2026, 12, 2, 3, 0), _utc(2026, 12, 2, 8, 0)),
        (_utc(2026, 12, 2, 8, 0), _utc(2026, 12, 2, 8, 0)),
        # Summer (BST = UTC+1): 21:00 London is 20:00 UTC, 08:00 London is 07:00 UTC.
        (_utc(2026, 7, 1, 19, 59), _utc(2026, 7, 1, 19, 59)),
        (_utc(2026, 7, 1, 20, 0), _utc(2026, 7, 2, 7, 0)),
        # Spring change, night of Sat 28 to Sun 29 March 2026: the evening is GMT, the
        # morning BST, so quiet hours end at 07:00 UTC.
        (_utc(2026, 3, 28, 22, 30), _utc(2026, 3, 29, 7, 0)),
        (_utc(2026, 3, 29, 1, 30), _utc(2026, 3, 29, 7, 0)),  # 02:30 BST, just after the gap
        # Autumn change, night of Sat 24 to Sun 25 October 2026: the evening is BST, the
        # morning GMT, so quiet hours end at 08:00 UTC.
        (_utc(2026, 10, 24, 20, 30), _utc(2026, 10, 25, 8, 0)),
        (_utc(2026, 10, 25, 0, 30), _utc(2026, 10, 25, 8, 0)),  # 01:30 BST, the first of two
        (_utc(2026, 10, 25, 1, 30), _utc(2026, 10, 25, 8, 0)),  # 01:30 GMT, the second
    ],
)
def test_next_allowed_moves_quiet_hours_to_the_clinics_morning(due, goes):
    assert quiet_hours.next_allowed(due, zone=LONDON, start=QUIET[0], end=QUIET[1]) == goes


def test_quiet_hours_within_one_day():
    start, end = quiet_hours.parse("12:00-14:00")
    assert quiet_hours.next_allowed(
        _utc(2026, 12, 1, 13, 0), zone=LONDON, start=start, end=end
    ) == _utc(2026, 12, 1, 14, 0)
    assert quiet_hours.next_allowed(
        _utc(2026, 12, 1, 15, 0), zone=LONDON, start=start, end=end
    ) == _utc(2026, 12, 1, 15, 0)


@pytest.mark.parametrize("value", ["", "21:00", "21:00-8pm", "08:00-08:00", "25:00-08:00"])
def test_malformed_quiet_hours_are_refused(value):
    with pytest.raises(ValueError):
        quiet_hours.parse(value)
