"""Serious adverse events and the reporting deadline (docs/clinical-rules.md §Serious adverse
events). No database."""

import datetime as dt

import pytest

from clinic.lib.adverse_events import (
    REPORTING_BUSINESS_DAYS,
    SeriousCriterion,
    add_business_days,
    business_days_left,
    is_serious,
    reporting_deadline,
)

D = dt.date


@pytest.mark.parametrize(
    ("criteria", "serious"),
    [
        pytest.param([], False, id="no criterion: not serious"),
        pytest.param(["hospitalisation"], True, id="inpatient hospitalisation is serious"),
        pytest.param(["disfigurement"], True, id="significant disfigurement is serious"),
        pytest.param(["death", "life_threatening"], True, id="several criteria"),
    ],
)
def test_serious_means_meeting_one_criterion(criteria, serious):
    assert is_serious(criteria) is serious


def test_an_unknown_criterion_is_refused():
    with pytest.raises(ValueError):
        is_serious(["mild redness"])


def test_the_criteria_are_the_rules_seven():
    assert len(SeriousCriterion) == 7


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        pytest.param(D(2026, 12, 1), 0, D(2026, 12, 1), id="zero days is the day itself"),
        pytest.param(D(2026, 12, 4), 1, D(2026, 12, 7), id="Friday + 1 is Monday"),
        pytest.param(D(2026, 12, 5), 1, D(2026, 12, 7), id="Saturday + 1 is Monday"),
        pytest.param(D(2026, 12, 1), 5, D(2026, 12, 8), id="a week of business days"),
    ],
)
def test_business_days_skip_weekends(start, days, expected):
    assert add_business_days(start, days) == expected


@pytest.mark.parametrize(
    ("known_on", "deadline"),
    [
        # 15 business days: three working weeks.
        pytest.param(D(2026, 12, 1), D(2026, 12, 22), id="15 business days from a Tuesday"),
        pytest.param(D(2026, 12, 5), D(2026, 12, 25), id="from a Saturday, three weeks to Friday"),
    ],
)
def test_the_reporting_deadline_is_15_business_days(known_on, deadline):
    assert REPORTING_BUSINESS_DAYS == 15
    assert reporting_deadline(known_on) == deadline


@pytest.mark.parametrize(
    ("deadline", "today", "left"),
    [
        pytest.param(D(2026, 12, 22), D(2026, 12, 22), 0, id="due today"),
        pytest.param(D(2026, 12, 22), D(2026, 12, 18), 2, id="Friday to Tuesday is 2 left"),
        pytest.param(D(2026, 12, 22), D(2026, 12, 23), -1, id="one business day late"),
    ],
)
def test_business_days_left(deadline, today, left):
    assert business_days_left(deadline, today) == left


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_business_days(D(2026, 12, 1), -1)
