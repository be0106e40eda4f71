"""The plain shapes the calendar is laid out from and into.

In: ``Entry`` (an appointment) and ``Resource`` (a practitioner or a room), loaded by
``treatments.services.calendar``. Out: a ``Grid`` of ``Column``s and ``Row``s of ``Cell``s, or a
list of ``Listed`` appointments.
"""

import datetime as dt
import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from clinic.lib.vocabulary import Route
from treatments.models import AppointmentStatus

#: A local wall-clock span [opens, closes) of one day.
Span = tuple[dt.time, dt.time]
#: weekday (0 = Monday) -> the spans of that day.
WeeklySpans = Mapping[int, Sequence[Span]]


class By(enum.StrEnum):
    """What the day view's columns are."""

    PRACTITIONER = "practitioner"
    ROOM = "room"

    @property
    def label(self) -> str:
        return "practitioners" if self is By.PRACTITIONER else "rooms"


KIND_CLASSES = {
    "consultation": "cal-type-consultation",
    "follow_up": "cal-type-follow-up",
}

#: The compact week's short classes (static/css/calendar.css): by type or route, and by state.
COMPACT_KINDS = {
    "consultation": "k-c",
    "follow_up": "k-f",
    "topical": "k-t",
    "transdermal": "k-d",
    "microneedling": "k-m",
    "laser_assisted": "k-l",
}
COMPACT_STATES = {"checked_in": "s-i", "completed": "s-c", "no_show": "s-n", "cancelled": "s-x"}
#: Where a compact block links, before its primary key: relative to the calendar's pages
#: (``/…/calendar/week/`` -> ``/…/calendar/a/<pk>``, query strings aside), the route
#: ``treatments:calendar_appointment``.
COMPACT_LINK = "../a/"
#: What the compact week says in words after the name (the other states are styles only).
COMPACT_WORDS = {"no_show": "no-show", "cancelled": "cancelled"}

STATUS_LABELS = {status.value: status.label for status in AppointmentStatus}
ROUTE_LABELS = {route.value: route.label for route in Route}
#: A booked appointment the patient confirmed by replying C to a text.
CONFIRMED_BY_TEXT = "Booked, confirmed by text"
#: The words for an appointment whose practitioner is away at its time.
NEEDS_MOVING = "Needs moving"


@dataclass(slots=True, kw_only=True)
class Entry:
    """An appointment as the calendar shows it; times are aware, in the clinic's zone.

    ``needs_moving``: booked in the future while its practitioner has time off over it (worked
    out by ``treatments.services.time_off``).
    """

    pk: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    room_free_at: dt.datetime
    status: str
    late_cancellation: bool
    patient_name: str
    kind_name: str
    kind: str  # clinic.models.AppointmentType.Kind
    route: str  # "" for consultations and reviews
    practitioner_id: int
    practitioner_name: str
    room_id: int
    room_name: str
    needs_moving: bool = False
    #: The patient replied C to a text about its present time.
    confirmed: bool = False

    @property
    def holding(self) -> bool:
        """Whether it occupies its time: everything but a cancellation."""
        return self.status != AppointmentStatus.CANCELLED

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS.get(self.status, self.status)
        if self.status == AppointmentStatus.CANCELLED and self.late_cancellation:
            return "Cancelled late"
        if self.confirmed and self.status == AppointmentStatus.BOOKED:
            return CONFIRMED_BY_TEXT
        return label

    @property
    def route_label(self) -> str:
        return ROUTE_LABELS.get(self.route, "")

    @property
    def type_text(self) -> str:
        """The appointment type, with the route when the type's name does not say it."""
        route = self.route_label
        if route and route.split()[0].lower() not in self.kind_name.lower():
            return f"{self.kind_name} ({route.lower()})"
        return self.kind_name

    @property
    def time_text(self) -> str:
        start, end = self.starts_at, self.ends_at
        return f"{start.hour:02d}:{start.minute:02d}–{end.hour:02d}:{end.minute:02d}"

    @property
    def css(self) -> str:
        """Colour by type (consultation, each treatment route, follow-up); style by state."""
        kind = KIND_CLASSES.get(self.kind) or f"cal-route-{self.route or 'other'}"
        flag = " cal-needs-moving" if self.needs_moving else ""
        return f"{kind} cal-state-{self.status}{flag}"

    @property
    def compact_css(self) -> str:
        """``css`` in the compact week's short classes: a week of everyone has two thousand."""
        kind = COMPACT_KINDS.get(self.kind) or COMPACT_KINDS.get(self.route, "k-o")
        state = COMPACT_STATES.get(self.status)
        flag = " s-m" if self.needs_moving else ""
        return f"cb {kind}{' ' + state if state else ''}{flag}"

    def resource_id(self, by: By) -> int:
        return self.practitioner_id if by is By.PRACTITIONER else self.room_id


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """A practitioner or a room: a column of the day view, or the filter of the week view.

    ``hours``: a practitioner's working hours (None for a room, which is open whenever the clinic
    is). ``away``: a practitioner's time off, as (start, end) instants.
    """

    by: By
    id: int
    name: str
    hours: WeeklySpans | None = None
    away: tuple[tuple[dt.datetime, dt.datetime], ...] = ()
    active: bool = True

    @property
    def booking_text(self) -> str:
        return f"with {self.name}" if self.by is By.PRACTITIONER else f"in {self.name}"


@dataclass(slots=True)
class Cell:
    """One table cell. A block (an appointment, or time off) spans ``rowspan`` rows."""

    css: str
    rowspan: int = 1
    entry: Entry | None = None
    url: str = ""
    label: str = ""


OFF = Cell("cal-off")  # the clinic is closed, or the practitioner is not working
OPEN = Cell("cal-open")  # open but not bookable here: in the past, or a lane beside a block


@dataclass(slots=True)
class Column:
    key: str
    title: str
    lanes: int
    rows: list[list[Cell]]
    url: str = ""
    note: str = ""
    current: bool = False


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    on_the_hour: bool
    cells: list[Cell]


@dataclass(slots=True)
class Grid:
    columns: list[Column]
    rows: list[Row]
    count: int = 0  # appointments shown
    compact: bool = False


@dataclass(frozen=True, slots=True)
class Listed:
    """An appointment in a list, with its link."""

    entry: Entry
    url: str
    #: A consultation's intake status (treatments.services.intake), where a page shows it.
    intake: object = None


BookUrl = Callable[[dt.datetime, Resource], str]
DetailUrl = Callable[[int], str]
