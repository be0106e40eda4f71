"""The slot finder's data: intervals, busy lists, weekly hours, resources and slots."""

from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Literal

from clinic.lib.vocabulary import NEEDLING_ROUTES, Route

CONSULTATION = "consultation"
PROCEDURE = "procedure"
RoomKind = Literal["consultation", "procedure"]

#: A local wall-clock span [opens, closes) on one day.
Span = tuple[time, time]

DEFAULT_STEP = timedelta(minutes=15)
#: ``plan_course``: how much later a session may be placed to keep the course's practitioner.
DEFAULT_KEEP_PRACTITIONER_WITHIN = timedelta(days=7)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)


def _aware(dt: datetime) -> bool:
    return isinstance(dt, datetime) and dt.tzinfo is not None and dt.utcoffset() is not None


def _us(dt: datetime) -> int:
    """Microseconds since the epoch: an exact instant, comparable across zones.

    ``aware - aware`` converts through UTC only when the two zones differ; ``_EPOCH`` is in UTC,
    so an instant in any zone (UTC too, where the wall clock is the instant) comes out right.
    """
    return (dt - _EPOCH) // _ONE_US


def _at(us: int, tz: tzinfo) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(tz)


# --- Busy time -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span of time [start, end) between two aware datetimes.

    Half-open, so touching intervals do not overlap: after [09:00, 10:00), 10:00 is free.
    """

    start: datetime
    end: datetime

    def __post_init__(self):
        if not (_aware(self.start) and _aware(self.end)):
            raise ValueError("an interval's start and end must be timezone-aware datetimes")
        if _us(self.end) <= _us(self.start):
            raise ValueError(f"an interval must end after it starts: {self.start} - {self.end}")

    def with_buffer(self, after: timedelta) -> "Interval":
        """This interval followed by ``after`` of turnover (elapsed time): how a room is busy."""
        return Interval(self.start, (self.end.astimezone(UTC) + after).astimezone(self.end.tzinfo))


@dataclass(frozen=True, slots=True, eq=False)
class Busy:
    """When a practitioner, a room or a patient is taken: sorted, merged, searchable by bisect.

    Build it with ``Busy.of(intervals)``, which sorts them and merges those that overlap or
    touch. Instants are kept as integer microseconds since the epoch, so that comparisons are
    exact and cheap whatever zone the intervals came in.
    """

    _starts: list[int] = field(repr=False)
    _ends: list[int] = field(repr=False)

    @classmethod
    def of(cls, intervals: Iterable[Interval]) -> "Busy":
        return cls._merged(sorted((_us(i.start), _us(i.end)) for i in intervals))

    @classmethod
    def of_pairs(cls, pairs: Iterable[tuple[datetime, datetime]]) -> "Busy":
        """From (start, end) pairs of aware datetimes already known to be ordered, such as rows
        the database constrains to end after they start: no Interval is built for each one."""
        return cls._merged(sorted((_us(start), _us(end)) for start, end in pairs))

    @classmethod
    def _merged(cls, pairs: list[tuple[int, int]]) -> "Busy":
        starts: list[int] = []
        ends: list[int] = []
        for start, end in pairs:
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        return cls(starts, ends)

    def is_free(self, interval: Interval) -> bool:
        """Whether nothing busy overlaps ``interval``, in O(log n)."""
        start, end = _us(interval.start), _us(interval.end)
        i = bisect_right(self._ends, start)  # the first busy interval that ends after ``start``
        return i == len(self._ends) or self._starts[i] >= end

    def __len__(self) -> int:
        return len(self._starts)

    def __iter__(self) -> Iterator[Interval]:
        """The merged intervals, in UTC."""
        return (
            Interval(_at(s, UTC), _at(e, UTC))
            for s, e in zip(self._starts, self._ends, strict=True)
        )

    def _free_starts(self, candidates: list[int], need: int) -> list[int]:
        """The candidate starts ``s`` (sorted microseconds) for which [s, s + need) is free.

        Walks the free gaps: one bisect to find the busy interval in the way, then a bisect into
        the candidates to take every start that fits before it, or to skip past it. The cost
        grows with the number of gaps and results, not with candidates times appointments.
        """
        starts, ends = self._starts, self._ends
        n, m = len(ends), len(candidates)
        free: list[int] = []
        i = j = 0
        while i < m:
            start = candidates[i]
            j = bisect_right(ends, start, j)
            if j == n:
                free.extend(candidates[i:])
                break
            if starts[j] >= start + need:
                k = bisect_right(candidates, starts[j] - need, i)
                free.extend(candidates[i:k])
                i = k
            else:
                i = bisect_left(candidates, ends[j], i)
        return free


# --- Hours, people, rooms ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Local wall-clock spans per weekday (0 = Monday): a clinic's opening hours (one span a day,
    or none) or a practitioner's working hours (split shifts: 09:00-13:00 and 14:00-18:00).

    Build it with ``WeeklyHours.of({0: [(time(9), time(18))], ...})``, which sorts the spans and
    merges those that overlap or touch. A span closes after it opens on the same day: no span
    runs past midnight. A weekday that is missing is closed.
    """

    days: tuple[tuple[Span, ...], ...]

    def __post_init__(self):
        if len(self.days) != 7:
            raise ValueError("weekly hours need one entry per weekday, Monday first")
        for spans in self.days:
            for opens, closes in spans:
                _check_span(opens, closes)
            for (_, closes), (opens, _) in pairwise(spans):
                if opens <= closes:
                    raise ValueError("a day's spans must be sorted and apart (use WeeklyHours.of)")

    @classmethod
    def of(cls, spans: Mapping[int, Iterable[Span]]) -> "WeeklyHours":
        days: list[list[Span]] = [[] for _ in range(7)]
        for weekday, day_spans in spans.items():
            if weekday not in range(7):
                raise ValueError(f"a weekday is 0 (Monday) to 6 (Sunday), not {weekday!r}")
            for opens, closes in sorted(day_spans):
                _check_span(opens, closes)
                merged = days[weekday]
                if merged and opens <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
                else:
                    merged.append((opens, closes))
        return cls(tuple(tuple(d) for d in days))

    def on(self, weekday: int) -> tuple[Span, ...]:
        return self.days[weekday]


def _check_span(opens: time, closes: time) -> None:
    if opens.tzinfo is not None or closes.tzinfo is not None:
        raise ValueError("hours are local wall-clock times: give them without a zone")
    if not opens < closes:
        raise ValueError(f"a span must close after it opens: {opens:%H:%M}-{closes:%H:%M}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Practitioner:
    """A practitioner who can be booked; ``busy`` holds their appointments *and* time off."""

    id: Hashable
    hours: WeeklyHours
    busy: Busy


@dataclass(frozen=True, slots=True, kw_only=True)
class Room:
    """An active room. ``busy`` holds each existing appointment with its turnover buffer after it.

    ``routes``: the administration routes the room is set up for; a consultation room has none.
    """

    id: Hashable
    kind: RoomKind
    busy: Busy
    routes: frozenset[Route] = frozenset()

    def __post_init__(self):
        if self.kind not in (CONSULTATION, PROCEDURE):
            raise ValueError(f"a room is a consultation or a procedure room, not {self.kind!r}")
        object.__setattr__(self, "routes", frozenset(Route(r) for r in self.routes))
        if self.kind == CONSULTATION and self.routes:
            raise ValueError("a consultation room hosts no administration route")


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentType:
    """What is being booked: its length, the room's turnover after it, and its route if any.

    ``route`` None is a consultation or follow-up review. ``needs_procedure_room`` asks for a
    procedure room; the needling routes always need one, whatever it says.
    """

    duration: timedelta
    buffer_after: timedelta = timedelta(0)
    route: Route | None = None
    needs_procedure_room: bool = False

    def __post_init__(self):
        if self.duration <= timedelta(0):
            raise ValueError("an appointment lasts some time")
        if self.buffer_after < timedelta(0):
            raise ValueError("a buffer cannot be negative")
        if self.route is not None:
            object.__setattr__(self, "route", Route(self.route))

    @property
    def procedure_room_only(self) -> bool:
        return self.needs_procedure_room or self.route in NEEDLING_ROUTES

    def can_use(self, room: Room) -> bool:
        """Whether ``room`` can host this appointment (see the module's "Rooms")."""
        if self.route is not None:
            return room.kind == PROCEDURE and self.route in room.routes
        return room.kind == PROCEDURE or not self.procedure_room_only


@dataclass(frozen=True, slots=True, kw_only=True)
class Slot:
    """A free start time, with every practitioner and room free for it.

    ``start`` and ``end`` are aware, in the clinic's zone; ``end`` is ``start`` plus the duration
    in elapsed time. ``practitioner_ids`` keep the order practitioners were given in;
    ``room_ids`` put the preferred rooms first (consultation rooms for an appointment with no
    route), then the order rooms were given in.
    """

    start: datetime
    end: datetime
    practitioner_ids: tuple[Hashable, ...]
    room_ids: tuple[Hashable, ...]


# --- Finding slots -------------------------------------------------------------------------------
