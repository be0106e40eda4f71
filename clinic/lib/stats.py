"""The figures the clinic's reports are made of: medians, quartiles and rates, as plain Python.

The reports count in the database and hand over histograms (value -> how many times it occurs:
"the severity fell by 2 points in 14 courses"), so a median over a year of sessions reads a few
dozen rows, not every session. Quartiles are interpolated linearly between the ordered values at
position (n - 1) x p, the "inclusive" method (Python's ``statistics.quantiles(...,
method="inclusive")``, a spreadsheet's QUARTILE.INC).

A group of fewer than ``SMALL_GROUP`` is flagged, never hidden: its median is real but says
little.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SMALL_GROUP = 5


@dataclass(frozen=True, slots=True)
class Summary:
    """The median and interquartile range of ``n`` values (all None when n is 0)."""

    n: int
    median: float | None
    q1: float | None
    q3: float | None

    @property
    def iqr(self) -> float | None:
        return None if self.n == 0 else self.q3 - self.q1

    @property
    def small(self) -> bool:
        return self.n < SMALL_GROUP


def histogram(values: Iterable[float]) -> dict[float, int]:
    counts: dict[float, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _at(ordered: list[tuple[float, int]], index: int) -> float:
    """The value at ``index`` (0-based) of the expanded, ordered values."""
    seen = 0
    for value, count in ordered:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def quantile(counts: Mapping[float, int], p: float) -> float | None:
    """The p-quantile (0 <= p <= 1) of the values counted in ``counts``, or None when empty."""
    ordered = sorted((value, count) for value, count in counts.items() if count > 0)
    n = sum(count for _, count in ordered)
    if n == 0:
        return None
    position = (n - 1) * p
    low = int(position)
    fraction = position - low
    below = _at(ordered, low)
    if fraction == 0:
        return float(below)
    above = _at(ordered, low + 1)
    return float(below + (above - below) * fraction)


def summarise(counts: Mapping[float, int]) -> Summary:
    """Median and quartiles of a histogram."""
    n = sum(count for count in counts.values() if count > 0)
    return Summary(
        n=n, median=quantile(counts, 0.5), q1=quantile(counts, 0.25), q3=quantile(counts, 0.75)
    )


def rate_per_100(events: int, sessions: int) -> Decimal | None:
    """Events per 100 sessions, to one decimal, or None without a session."""
    if sessions <= 0:
        return None
    return (Decimal(events) * 100 / Decimal(sessions)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def percent(part: float, whole: float) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal, or None when the whole is 0."""
    if not whole:
        return None
    return (Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def figure(value: float | Decimal | None, *, places: int = 1) -> str:
    """A figure as the reports print it: '2', '1.5', '–' when there is none."""
    if value is None:
        return "–"
    text = f"{float(value):.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
