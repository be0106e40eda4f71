"""Progress over a course: each concern's severity over time, drawn as a small server-made SVG.

docs/clinical-rules.md §Follow-up: each concern of the assessment is re-scored at follow-up on the
same 0 (none) to 4 (severe) scale, "so that improvement is a number over time". This module is
plain Python with no database access: readings in, a series and a chart out.

The SVG is inline markup that the strict Content Security Policy allows: presentation attributes
(stroke, fill, font-size) rather than style attributes, no script. It is an image to assistive
technology (role="img") named by an aria-label that says every reading ("Melasma: 3 on 1 Sep,
2 on 13 Oct, 1 on 24 Nov"); the panel also carries the readings as a visually hidden table.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from clinic.lib.vocabulary import Concern, Severity

ASSESSMENT = "assessment"
FOLLOW_UP = "follow-up"

# The chart's canvas (SVG user units) and the plot area inside its margins.
WIDTH = 320
HEIGHT = 170
LEFT = 44
RIGHT = 20
TOP = 12
BOTTOM = 42
PLOT_LEFT = LEFT
PLOT_RIGHT = WIDTH - RIGHT
PLOT_TOP = TOP
PLOT_BOTTOM = HEIGHT - BOTTOM
MAX_SEVERITY = 4
#: With more readings than this only the first and last dates are written under the axis.
MAX_DATE_LABELS = 5

LINE_COLOUR = "#0b5ed7"  # Bootstrap's primary, darkened: 4.5:1 and more on white
AXIS_COLOUR = "#495057"
GRID_COLOUR = "#dee2e6"
TEXT_COLOUR = "#212529"


@dataclass(frozen=True, slots=True)
class Reading:
    """One score of one concern: at the assessment or at a follow-up."""

    day: dt.date
    severity: int
    source: str  # ASSESSMENT or FOLLOW_UP


@dataclass(frozen=True, slots=True)
class Series:
    concern: str
    label: str
    readings: tuple[Reading, ...]

    @property
    def first(self) -> Reading:
        return self.readings[0]

    @property
    def last(self) -> Reading:
        return self.readings[-1]

    @property
    def change(self) -> int:
        """How many points better (positive) or worse (negative) the latest reading is."""
        return self.first.severity - self.last.severity

    @property
    def change_text(self) -> str:
        """'3 → 1: better by 2 points', '2 → 2: no change', '1 → 2: worse by 1 point'."""
        change = self.change
        scores = f"{self.first.severity} → {self.last.severity}"
        if change == 0:
            return f"{scores}: no change"
        points = f"{abs(change)} point{'s' if abs(change) != 1 else ''}"
        return f"{scores}: {'better' if change > 0 else 'worse'} by {points}"

    @property
    def spans_years(self) -> bool:
        return len({reading.day.year for reading in self.readings}) > 1

    def day_text(self, day: dt.date) -> str:
        """'1 Sep', or '1 Sep 2025' when the readings span more than one year."""
        return day_text(day, with_year=self.spans_years)

    @property
    def aria_label(self) -> str:
        """'Melasma: 3 on 1 Sep, 2 on 13 Oct, 1 on 24 Nov'."""
        readings = ", ".join(f"{r.severity} on {self.day_text(r.day)}" for r in self.readings)
        return f"{self.label}: {readings}"


def day_text(day: dt.date, *, with_year: bool = False) -> str:
    text = f"{day.day} {day:%b}"
    return f"{text} {day.year}" if with_year else text


def severity_label(severity: int) -> str:
    """'3 – moderate'."""
    return Severity(severity).label


def build_series(
    *,
    assessed_on: dt.date,
    baseline: Sequence[tuple[str, int]],
    follow_ups: Sequence[tuple[dt.date, Mapping[str, int]]],
) -> list[Series]:
    """One series per concern of the assessment, in the assessment's order.

    ``baseline``: (concern, severity) as scored at the assessment; ``follow_ups``: (review day,
    {concern: severity}). A follow-up that did not re-score a concern adds no reading to it.
    Readings are in date order; on one day the assessment comes before a follow-up.
    """
    series = []
    for concern, severity in baseline:
        readings = [Reading(assessed_on, severity, ASSESSMENT)]
        readings += [
            Reading(day, scores[concern], FOLLOW_UP)
            for day, scores in follow_ups
            if concern in scores
        ]
        readings.sort(key=lambda r: (r.day, r.source != ASSESSMENT))
        series.append(Series(concern, concern_label(concern), tuple(readings)))
    return series


def concern_label(concern: str) -> str:
    try:
        return Concern(concern).label
    except ValueError:
        return concern.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    reading: Reading
    title: str


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True, slots=True)
class Chart:
    series: Series
    points: tuple[Point, ...]
    y_ticks: tuple[Tick, ...]  # position is y
    x_labels: tuple[Tick, ...]  # position is x


def y_for(severity: int) -> float:
    """0 at the bottom of the plot, 4 at the top."""
    span = PLOT_BOTTOM - PLOT_TOP
    return round(PLOT_BOTTOM - severity * span / MAX_SEVERITY, 1)


def x_for(day: dt.date, first: dt.date, last: dt.date) -> float:
    """Days are placed in proportion to time; a single day sits in the middle."""
    if first == last:
        return round((PLOT_LEFT + PLOT_RIGHT) / 2, 1)
    share = (day - first).days / (last - first).days
    return round(PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT), 1)


def chart_for(series: Series) -> Chart:
    first, last = series.first.day, series.last.day
    points = tuple(
        Point(
            x=x_for(r.day, first, last),
            y=y_for(r.severity),
            reading=r,
            title=(
                f"{series.label}: {severity_label(r.severity)}, "
                f"{day_text(r.day, with_year=True)} ({r.source})"
            ),
        )
        for r in series.readings
    )
    y_ticks = tuple(Tick(y_for(value), str(value)) for value in range(MAX_SEVERITY + 1))
    shown = points if len(points) <= MAX_DATE_LABELS else (points[0], points[-1])
    x_labels = []
    for point in shown:
        # Two readings on one day share one label.
        if not x_labels or x_labels[-1].position != point.x:
            x_labels.append(Tick(point.x, series.day_text(point.reading.day)))
    return Chart(series, points, y_ticks, tuple(x_labels))


def svg(chart: Chart) -> SafeString:
    """The chart as inline SVG markup (escaped: labels come from data)."""
    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="11" '
        'fill="{}">{}</text>',
        (
            (
                PLOT_LEFT,
                tick.position,
                PLOT_RIGHT,
                tick.position,
                GRID_COLOUR,
                PLOT_LEFT - 6,
                tick.position,
                TEXT_COLOUR,
                tick.text,
            )
            for tick in chart.y_ticks
        ),
    )
    x_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
        ((tick.position, PLOT_BOTTOM + 16, TEXT_COLOUR, tick.text) for tick in chart.x_labels),
    )
    line = ""
    if len(chart.points) > 1:
        line = format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
            'stroke-linejoin="round"/>',
            " ".join(f"{p.x},{p.y}" for p in chart.points),
            LINE_COLOUR,
        )
    points = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="5" fill="{}" stroke="#ffffff" stroke-width="1.5">'
        "<title>{}</title></circle>",
        ((p.x, p.y, LINE_COLOUR, p.title) for p in chart.points),
    )
    axes = format_html(
        '<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{colour}" '
        'stroke-width="1"/>'
        '<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{colour}" '
        'stroke-width="1"/>',
        left=PLOT_LEFT,
        top=PLOT_TOP,
        bottom=PLOT_BOTTOM,
        right=PLOT_RIGHT,
        colour=AXIS_COLOUR,
    )
    axis_titles = format_html(
        '<text x="12" y="{}" text-anchor="middle" font-size="11" fill="{}" '
        'transform="rotate(-90 12 {})">Severity</text>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">Date</text>',
        (PLOT_TOP + PLOT_BOTTOM) / 2,
        TEXT_COLOUR,
        (PLOT_TOP + PLOT_BOTTOM) / 2,
        (PLOT_LEFT + PLOT_RIGHT) / 2,
        HEIGHT - 6,
        TEXT_COLOUR,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'class="progress-chart" role="img" aria-label="{}" focusable="false">{}{}{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        chart.series.aria_label,
        grid,
        axes,
        axis_titles,
        x_labels,
        line,
        points,
    )
