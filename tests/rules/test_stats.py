"""The reports' medians, quartiles and rates, each computed by hand."""

import statistics
from decimal import Decimal

import pytest

from clinic.lib.stats import figure, histogram, percent, quantile, rate_per_100, summarise


@pytest.mark.parametrize(
    ("values", "median", "q1", "q3"),
    [
        ([], None, None, None),
        ([2], 2, 2, 2),
        ([1, 3], 2, 1.5, 2.5),
        ([1, 2, 3, 4], 2.5, 1.75, 3.25),
        ([0, 1, 1, 2, 4], 1, 1, 2),
        ([-1, 0, 2, 2, 2, 3], 2, 0.5, 2),
        ([3, 1, 2], 2, 1.5, 2.5),  # order does not matter
    ],
)
def test_median_and_quartiles_of_a_histogram(values, median, q1, q3):
    summary = summarise(histogram(values))
    assert (summary.n, summary.median, summary.q1, summary.q3) == (len(values), median, q1, q3)


@pytest.mark.parametrize("values", [[1, 2, 3, 4, 5, 6, 7], [0, 0, 1, 4, 4, 4, 2, 3], [5, 9]])
def test_quartiles_agree_with_the_inclusive_method(values):
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    counts = histogram(values)
    assert (quantile(counts, 0.25), quantile(counts, 0.5), quantile(counts, 0.75)) == (
        pytest.approx(q1),
        pytest.approx(q2),
        pytest.approx(q3),
    )


def test_zero_counts_are_not_values():
    assert summarise({1: 0, 3: 2}).median == 3


@pytest.mark.parametrize(("n", "small"), [(0, True), (4, True), (5, False), (12, False)])
def test_groups_under_five_are_small(n, small):
    assert summarise({1: n}).small is small


def test_iqr_is_none_without_values():
    assert summarise({}).iqr is None
    assert summarise(histogram([1, 2, 3, 4])).iqr == 1.5


@pytest.mark.parametrize(
    ("events", "sessions", "rate"),
    [(0, 0, None), (0, 10, Decimal("0.0")), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")),
     (1, 200, Decimal("0.5")), (3, 1, Decimal("300.0"))],
)
def test_rate_per_100_sessions(events, sessions, rate):
    assert rate_per_100(events, sessions) == rate


@pytest.mark.parametrize(
    ("part", "whole", "result"),
    [(0, 0, None), (1, 8, Decimal("12.5")), (7.5, 10, Decimal("75.0")), (2, 3, Decimal("66.7"))],
)
def test_percent(part, whole, result):
    assert percent(part, whole) == result


@pytest.mark.parametrize(
    ("value", "text"), [(None, "–"), (2, "2"), (1.5, "1.5"), (Decimal("12.0"), "12"), (0.25, "0.2")]
)
def test_figure(value, text):
    assert figure(value) == text
