"""Which freed time suits which waitlist entry (docs/clinical-rules.md §Waitlist)."""

import dataclasses
import datetime as dt

import pytest

from clinic.lib import waitlist as rule

MONDAY = dt.date(2026, 6, 15)
WISH = rule.Wish(
    appointment_type_id=1,
    practitioner_id=None,
    earliest=MONDAY,
    latest=MONDAY + dt.timedelta(days=13),
    weekdays=frozenset({0, 2, 4}),  # Mon, Wed, Fri
    time_from=dt.time(9),
    time_to=dt.time(13),
)


def slot(day=MONDAY, starts=dt.time(10), ends=dt.time(10, 45), type_id=1, practitioner_id=7):
    return rule.Slot(
        appointment_type_id=type_id, practitioner_id=practitioner_id, day=day, starts=starts,
        ends=ends,
    )


@pytest.mark.parametrize(
    ("case", "wish", "freed", "interval_allows", "why"),
    [
        ("suits", WISH, slot(), True, ""),
        ("another type", WISH, slot(type_id=2), True, rule.WRONG_TYPE),
        ("any practitioner takes anyone", WISH, slot(practitioner_id=99), True, ""),
        (
            "a named practitioner only",
            dataclasses.replace(WISH, practitioner_id=8),
            slot(),
            True,
            rule.WRONG_PRACTITIONER,
        ),
        ("the day before the first date", WISH, slot(day=MONDAY - dt.timedelta(days=1)), True,
         rule.TOO_EARLY),
        ("the last date itself", WISH, slot(day=MONDAY + dt.timedelta(days=11)), True, ""),
        ("after the last date", WISH, slot(day=MONDAY + dt.timedelta(days=14)), True,
         rule.TOO_LATE),
        ("a Tuesday", WISH, slot(day=MONDAY + dt.timedelta(days=1)), True, rule.WRONG_DAY),
        ("starts at the earliest hour", WISH, slot(starts=dt.time(9), ends=dt.time(9, 45)), True,
         ""),
        ("starts before the earliest hour", WISH, slot(starts=dt.time(8, 45),
                                                        ends=dt.time(9, 30)), True,
         rule.WRONG_HOURS),
        ("ends exactly at the latest hour", WISH, slot(starts=dt.time(12, 15),
                                                        ends=dt.time(13)), True, ""),
        ("ends after the latest hour", WISH, slot(starts=dt.time(12, 30), ends=dt.time(13, 15)),
         True, rule.WRONG_HOURS),
        ("too soon for the plan's interval", WISH, slot(), False, rule.INTERVAL),
    ],
)
def test_which_freed_time_suits_which_entry(case, wish, freed, interval_allows, why):
    assert rule.mismatch(wish, freed, interval_allows=interval_allows) == why, case
    assert rule.suits(wish, freed, interval_allows=interval_allows) is (why == ""), case
