"""The calendar's layout: columns of 15-minute rows, with the appointments placed on them.

A day view with a column per practitioner or per room (a toggle), a week view, appointments
coloured by type and state with the patient's name, route and status; clicking opens the
appointment; free time can be clicked to book.

No database and no URL routing here. ``treatments.services.calendar`` loads the records of the
days shown into the plain shapes of ``shapes`` (``Entry`` for an appointment, ``Resource`` for a
practitioner or a room) in a fixed number of queries, and the view passes functions that make
links; this package decides which row, column and lane each thing goes in, and which empty cells
can be booked.

- ``shapes``: what goes in and what comes out;
- ``clock``: quarter hours, local days and wall-clock minutes;
- ``columns``: one column, for both views: blocks, lanes, time off and the cells to book;
- ``layout``: the day view's and the week view's rows and columns, and the home lists;
- ``html``: the table's rows as HTML.
"""

from treatments.presentation.calendar.clock import STEP, STEP_MINUTES, day_bounds, week_start
from treatments.presentation.calendar.html import grid_body
from treatments.presentation.calendar.layout import day_grid, in_time_order, week_grid
from treatments.presentation.calendar.shapes import (
    NEEDS_MOVING,
    OFF,
    OPEN,
    BookUrl,
    By,
    Cell,
    Column,
    DetailUrl,
    Entry,
    Grid,
    Listed,
    Resource,
    Row,
    Span,
    WeeklySpans,
)

__all__ = [
    "NEEDS_MOVING",
    "OFF",
    "OPEN",
    "STEP",
    "STEP_MINUTES",
    "BookUrl",
    "By",
    "Cell",
    "Column",
    "DetailUrl",
    "Entry",
    "Grid",
    "Listed",
    "Resource",
    "Row",
    "Span",
    "WeeklySpans",
    "day_bounds",
    "day_grid",
    "grid_body",
    "in_time_order",
    "week_grid",
    "week_start",
]
