"""The reports' charts: horizontal bars and a weekday x hour heat map, as server-made SVG.

Like the progress charts (``treatments.presentation.progress``), the SVG uses presentation
attributes only (the Content Security Policy forbids style attributes) and no script. Each chart
is an image to assistive technology, named by an aria-label that says what it shows; the page
prints the same figures in words beside it and in its table.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from clinic.lib.stats import figure

BAR_COLOUR = "#0b5ed7"
FLAG_COLOUR = "#b02a37"  # Bootstrap's danger, darkened: 4.5:1 on white
TEXT_COLOUR = "#212529"
GRID_COLOUR = "#dee2e6"
WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 70
ROW = 24


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None
    #: Drawn in the flag colour (a lot over the threshold, a small group).
    flagged: bool = False


def bar_chart(bars: Sequence[Bar], *, label: str, unit: str = "") -> SafeString:
    """Bars from zero to the largest value, one row each, with the value written at the end."""
    if not bars:
        return mark_safe("")
    top = max((bar.value or 0) for bar in bars) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = ROW * len(bars) + 8
    rows = []
    for n, bar in enumerate(bars):
        y = 4 + n * ROW
        length = round(span * (bar.value or 0) / top, 1)
        rows.append(
            (
                LABEL_WIDTH - 8,
                y + ROW / 2,
                TEXT_COLOUR,
                _short(bar.label),
                LABEL_WIDTH,
                y + 4,
                length,
                ROW - 8,
                FLAG_COLOUR if bar.flagged else BAR_COLOUR,
                LABEL_WIDTH + length + 6,
                y + ROW / 2,
                TEXT_COLOUR,
                f"{figure(bar.value)}{unit}",
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="12" '
        'fill="{}">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" dominant-baseline="middle" font-size="12" fill="{}">{}</text>',
        rows,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'class="report-chart" role="img" aria-label="{}" focusable="false">'
        '<line x1="{}" y1="0" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>{}</svg>',
        WIDTH,
        height,
        label,
        LABEL_WIDTH,
        LABEL_WIDTH,
        height,
        GRID_COLOUR,
        body,
    )


def bars_text(bars: Sequence[Bar], *, unit: str = "") -> str:
    """'Topical 2, Microneedling 1.5': the chart's figures in words."""
    return "; ".join(f"{bar.label}: {figure(bar.value)}{unit}" for bar in bars)


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The heat map's shades, lightest to darkest; text on the darker half is white (contrast 4.5:1).
SHADES = ["#f8f9fa", "#cfe2ff", "#9ec5fe", "#6ea8fe", "#3d8bfd", "#0a58ca", "#084298"]
CELL_W = 36
CELL_H = 26
HEAT_LEFT = 44
HEAT_TOP = 22


def heat_map(
    grid: Sequence[Sequence[float]],
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    label: str,
) -> SafeString:
    """A grid of shaded cells (rows x columns) with each cell's value written in it."""
    if not grid or not columns:
        return mark_safe("")
    top = max(max(row) for row in grid) or 1
    cells = []
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            shade = round((len(SHADES) - 1) * value / top)
            x, y = HEAT_LEFT + c * CELL_W, HEAT_TOP + r * CELL_H
            cells.append(
                (
                    x,
                    y,
                    CELL_W - 2,
                    CELL_H - 2,
                    SHADES[shade],
                    x + (CELL_W - 2) / 2,
                    y + (CELL_H - 2) / 2,
                    "#ffffff" if shade >= 4 else TEXT_COLOUR,
                    figure(value),
                )
            )
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        '<text x="{}" y="{}" text-anchor="middle" dominant-baseline="middle" font-size="10" '
        'fill="{}">{}</text>',
        cells,
    )
    row_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" font-size="11" '
        'fill="{}">{}</text>',
        (
            (HEAT_LEFT - 6, HEAT_TOP + r * CELL_H + CELL_H / 2, TEXT_COLOUR, text)
            for r, text in enumerate(rows)
        ),
    )
    column_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
        (
            (HEAT_LEFT + c * CELL_W + CELL_W / 2, HEAT_TOP - 8, TEXT_COLOUR, text)
            for c, text in enumerate(columns)
        ),
    )
    width = HEAT_LEFT + CELL_W * len(columns) + 4
    height = HEAT_TOP + CELL_H * len(rows) + 4
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" '
        'class="report-chart" role="img" aria-label="{}" focusable="false">{}{}{}</svg>',
        width,
        height,
        label,
        column_labels,
        row_labels,
        body,
    )
