"""Free appointment slots, and a course of sessions placed on them: the pure core of scheduling.

The scheduling issue: "Slot finder: for a patient, an appointment type (and route), optionally a
practitioner or room, and a date range: the free start times that respect opening hours, working
hours, time off, existing appointments of the practitioner, the room and the patient, and
buffers. It is a plain-Python core over data the view loads in a fixed number of queries." and
"book a plan's course in one step (each session at the earliest fitting slot at least the plan's
interval after the previous one, the same practitioner when possible, shown as a preview the user
confirms or adjusts)".

Plain Python: no database, no models. The caller loads the opening hours, closed dates, each
practitioner's working hours, time off and appointments, each active room's appointments and the
patient's appointments (one query per kind, however many rows), and passes them in as ``Busy``
lists. ``find_slots`` answers which start times are free; ``plan_course`` places a course on them.

Time
----
Stored in UTC, shown in the clinic's zone (the issue). Opening and working hours are local
wall-clock times; appointments last elapsed time.

- Candidate starts are generated on the local wall clock, every ``step`` from the opening of each
  span in which the practitioner works while the clinic is open (09:00, 09:15, ... local), and each
  is made an aware datetime in the clinic's zone.
- On the spring-forward night a local time that does not exist (01:00-01:59 in London on
  29 March 2026) is skipped. On the fall-back night an ambiguous local time is read as its first
  occurrence (``fold=0``, still on summer time), so every wall-clock start is offered once: the
  repeated hour is not offered a second time, though an appointment may run through it. The same
  rule reads an opening or closing time (Python's own: a time in the gap is read with the offset
  before the change). Opening hours are normally far from 01:00-02:00; a clinic open 00:00-03:00
  still gets every wall-clock start once, without gaps on the wall clock.
- "Inside the hours" compares instants: ``[start, start + duration)`` must lie within
  ``[opens, closes)``, each read on that local day. On 29 March 2026 a London clinic open
  00:00-03:00 is open for two hours, and a 60-minute appointment at 00:30 GMT ends at 02:30 BST.
- No real zone changes its offset twice within a working day; a span whose two ends have the same
  offset is therefore taken to be a plain run of elapsed time (the fast path).

Rooms (DOMAIN.md > Administration routes, [practice])
-----------------------------------------------------
- A treatment with a route happens in a procedure room that lists the route in ``Room.routes``.
  Microneedling and laser-assisted infusion break the skin barrier (``NEEDLING_ROUTES``) and so
  always need a procedure room. Consultation rooms host no route: a consultation room that lists
  one is refused when it is built, so a topical or transdermal session too goes only where the
  clinic manager has said that route can be given.
- An appointment without a route (consultation, follow-up review) can be in any room the caller
  passes (the active ones), consultation rooms first, unless the type asks for a procedure room.
- Turnover: a room's ``Busy`` holds each existing appointment *with its own turnover buffer
  after it* (``Interval(start, end).with_buffer(buffer_after)``: the caller knows each
  appointment's type). A new appointment needs its room free for ``duration + buffer_after``;
  the practitioner and the patient only for ``duration``. The buffer may run past closing time
  (the room is cleaned after the last patient leaves).

Speed: every resource's busy times are a sorted, merged list searched with ``bisect``; a day's
candidate starts are filtered against each list by walking its free gaps, not by testing each
start against each appointment. A four-week search over a dense clinic of 10 practitioners and 8
rooms takes a few milliseconds (``bench/bench_slots_core.py``).
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import chain, pairwise
from typing import Literal

from clinic.lib.aftercare import format_until
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


def find_slots(
    *,
    tz: tzinfo,
    start_date: date,
    end_date: date,
    clinic_hours: WeeklyHours,
    practitioners: Sequence[Practitioner],
    rooms: Sequence[Room],
    patient_busy: Busy,
    kind: AppointmentType,
    closed_dates: frozenset[date] = frozenset(),
    step: timedelta = DEFAULT_STEP,
    not_before: datetime | None = None,
    practitioner_id: Hashable | None = None,
    room_id: Hashable | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """Every free start for ``kind`` on the local days ``start_date`` to ``end_date``, in order.

    A start is offered when, all at once:

    - its local day is in the range, not in ``closed_dates``, and not before ``not_before``'s;
    - it is on the ``step`` grid of a span in which the clinic is open and the practitioner works
      (wall clock, from the span's opening), and ``[start, start + duration)`` lies inside it;
    - the practitioner is free for ``[start, start + duration)``;
    - the patient is free for ``[start, start + duration)``;
    - a room that can host ``kind`` is free for ``[start, start + duration + buffer_after)``;
    - it is at or after ``not_before``.

    ``practitioner_id`` and ``room_id`` restrict the search to one practitioner or room (an
    unknown one, or a room that cannot host ``kind``, finds nothing). ``limit`` stops after that
    many slots; ``limit=1`` is the earliest (``first_slot``). See the module's "Time" for daylight
    saving time.
    """
    if not isinstance(tz, tzinfo):
        raise TypeError("tz must be a time zone, e.g. ZoneInfo('Europe/London')")
    if step <= timedelta(0):
        raise ValueError("step must be positive")
    if limit is not None and limit < 1:
        raise ValueError("limit must be at least 1 (or None for every slot)")
    if not_before is not None and not _aware(not_before):
        raise ValueError("not_before must be timezone-aware")
    _check_unique("practitioner", [p.id for p in practitioners])
    _check_unique("room", [r.id for r in rooms])

    chosen = [p for p in practitioners if practitioner_id is None or p.id == practitioner_id]
    hosts = [r for r in rooms if kind.can_use(r) and (room_id is None or r.id == room_id)]
    # Stable: consultation rooms first (only appointments without a route can use them).
    hosts.sort(key=lambda r: r.kind != CONSULTATION)
    if not_before is not None:
        start_date = max(start_date, not_before.astimezone(tz).date())
    if not chosen or not hosts or start_date > end_date:
        return []

    search = _DaySearch(
        tz=tz,
        practitioners=chosen,
        rooms=hosts,
        patient_busy=patient_busy,
        duration=kind.duration // _ONE_US,
        room_need=(kind.duration + kind.buffer_after) // _ONE_US,
        step=step,
        not_before=None if not_before is None else _us(not_before),
    )
    found: list[Slot] = []
    day = start_date
    while day <= end_date:
        opening = () if day in closed_dates else clinic_hours.on(day.weekday())
        if opening:
            found.extend(search.day(day, opening))
            if limit is not None and len(found) >= limit:
                return found[:limit]
        day += _ONE_DAY
    return found


def first_slot(**criteria) -> Slot | None:
    """The earliest free slot: ``find_slots(**criteria, limit=1)``, or None."""
    slots = find_slots(**criteria, limit=1)
    return slots[0] if slots else None


def _check_unique(what: str, ids: list[Hashable]) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"each {what} must be given once")


@dataclass(slots=True, kw_only=True)
class _DaySearch:
    """One ``find_slots`` call's fixed inputs; ``day`` finds the slots of one local day."""

    tz: tzinfo
    practitioners: list[Practitioner]
    rooms: list[Room]
    patient_busy: Busy
    duration: int  # microseconds
    room_need: int  # microseconds: duration and the new appointment's own turnover
    step: timedelta
    not_before: int | None

    def day(self, day: date, opening: tuple[Span, ...]) -> list[Slot]:
        weekday = day.weekday()
        grids: dict[Span, list[int]] = {}
        plan: list[tuple[Practitioner, list[list[int]]]] = []
        for practitioner in self.practitioners:
            own = []
            for span in _overlap(opening, practitioner.hours.on(weekday)):
                grid = grids.get(span)
                if grid is None:
                    grid = grids[span] = self._grid(day, span)
                if grid:
                    own.append(grid)
            if own:
                plan.append((practitioner, own))
        if not plan:
            return []

        if len(grids) == 1:
            candidates = next(iter(grids.values()))
        else:
            candidates = sorted(set(chain.from_iterable(grids.values())))
        if self.not_before is not None:
            candidates = candidates[bisect_left(candidates, self.not_before) :]
        candidates = self.patient_busy._free_starts(candidates, self.duration)

        rooms_at: dict[int, list[Hashable]] = {}
        for room in self.rooms:
            for start in room.busy._free_starts(candidates, self.room_need):
                rooms_at.setdefault(start, []).append(room.id)
        if not rooms_at:
            return []

        practitioners_at: dict[int, list[Hashable]] = {}
        for practitioner, own in plan:
            for grid in own:
                for start in practitioner.busy._free_starts(grid, self.duration):
                    if start in rooms_at:
                        practitioners_at.setdefault(start, []).append(practitioner.id)

        return [
            Slot(
                start=_at(start, self.tz),
                end=_at(start + self.duration, self.tz),
                practitioner_ids=tuple(practitioners_at[start]),
                room_ids=tuple(rooms_at[start]),
            )
            for start in sorted(practitioners_at)
        ]

    def _grid(self, day: date, span: Span) -> list[int]:
        """The candidate starts (microseconds) of one span of one local day, sorted.

        Every ``step`` on the wall clock from the opening; a start is kept when its appointment
        ends by the closing instant. Local times that do not exist are skipped; ambiguous ones are
        their first occurrence (``fold=0``), which keeps the starts in order.
        """
        wall, last = datetime.combine(day, span[0]), datetime.combine(day, span[1])
        opens, closes = wall.replace(tzinfo=self.tz), last.replace(tzinfo=self.tz)
        first, latest = _us(opens), _us(closes) - self.duration
        if latest < first:
            return []
        if _steady(opens, closes):
            return list(range(first, latest + 1, self.step // _ONE_US))
        grid = []
        while wall < last:
            at = wall.replace(tzinfo=self.tz)
            if _exists(at):
                start = _us(at)
                if first <= start <= latest:
                    grid.append(start)
            wall += self.step
        return grid


def _overlap(a: tuple[Span, ...], b: tuple[Span, ...]) -> list[Span]:
    """The spans in which both ``a`` and ``b`` are open (each sorted and apart), in order."""
    both = []
    for opens_a, closes_a in a:
        for opens_b, closes_b in b:
            opens, closes = max(opens_a, opens_b), min(closes_a, closes_b)
            if opens < closes:
                both.append((opens, closes))
    return both


def _steady(opens: datetime, closes: datetime) -> bool:
    """Whether no UTC offset change falls in the span: wall clock and elapsed time agree."""
    offset = opens.utcoffset()
    return (
        offset
        == opens.replace(fold=1).utcoffset()
        == closes.utcoffset()
        == closes.replace(fold=1).utcoffset()
    )


def _exists(at: datetime) -> bool:
    """Whether the local time ``at`` happens (it does not in the spring-forward gap)."""
    return at.astimezone(UTC).astimezone(at.tzinfo).replace(tzinfo=None) == at.replace(tzinfo=None)


# --- Planning a course ---------------------------------------------------------------------------

#: ``find(after, practitioner_id)``: the earliest slot at or after ``after`` (with that
#: practitioner, or anyone for None) within the caller's search horizon, or None.
FindSlot = Callable[[datetime, Hashable | None], Slot | None]


def earliest_slot_finder(
    *,
    tz: tzinfo,
    clinic_hours: WeeklyHours,
    practitioners: Sequence[Practitioner],
    rooms: Sequence[Room],
    patient_busy: Busy,
    kind: AppointmentType,
    closed_dates: frozenset[date] = frozenset(),
    step: timedelta = DEFAULT_STEP,
    room_id: Hashable | None = None,
    horizon_days: int = 182,
) -> FindSlot:
    """A ``find`` for ``plan_course`` over ``find_slots``: the first slot within ``horizon_days``
    local days of ``after``. The search stops at the first day with a slot, so a long horizon
    costs nothing while slots are found.
    """

    def find(after: datetime, practitioner_id: Hashable | None) -> Slot | None:
        first = after.astimezone(tz).date()
        return first_slot(
            tz=tz,
            start_date=first,
            end_date=first + timedelta(days=horizon_days),
            clinic_hours=clinic_hours,
            closed_dates=closed_dates,
            practitioners=practitioners,
            rooms=rooms,
            patient_busy=patient_busy,
            kind=kind,
            step=step,
            not_before=after,
            practitioner_id=practitioner_id,
            room_id=room_id,
        )

    return find


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseSlot:
    """One session of a planned course: the slot found, and the practitioner and room chosen.

    ``same_practitioner`` is False when the session could not be with the course's practitioner;
    ``note`` then says why. The other free practitioners and rooms are in ``slot``.
    """

    session: int  # 1-based
    slot: Slot
    practitioner_id: Hashable
    room_id: Hashable
    same_practitioner: bool
    note: str = ""

    @property
    def start(self) -> datetime:
        return self.slot.start

    @property
    def end(self) -> datetime:
        return self.slot.end


@dataclass(frozen=True, slots=True, kw_only=True)
class CourseResult:
    """A course preview: the sessions placed, in order, and why the rest were not."""

    slots: tuple[CourseSlot, ...]
    unplaced: int
    reason: str = ""

    @property
    def complete(self) -> bool:
        return self.unplaced == 0


def plan_course(
    *,
    sessions: int,
    interval_days: int,
    earliest: datetime,
    find: FindSlot,
    preferred_practitioner: Hashable | None = None,
    keep_practitioner_within: timedelta = DEFAULT_KEEP_PRACTITIONER_WITHIN,
) -> CourseResult:
    """Place a course of ``sessions``, each at least ``interval_days`` after the one before.

    - Session 1 is the earliest slot at or after ``earliest``.
    - Each next session is the earliest slot at or after the same local wall-clock time,
      ``interval_days`` calendar days after the previous session's start (in the slot's zone, the
      clinic's). The interval is calendar, not elapsed, time: a clinic means "same time of day,
      six weeks later", so 10:00 every six weeks stays 10:00 across a clock change (the elapsed
      gap is then an hour longer or shorter than 42 x 24 hours).
    - The course's practitioner is ``preferred_practitioner``, or else whoever session 1 is with
      (the first of its free practitioners). Each session is with them unless they have no slot,
      or their earliest slot is more than ``keep_practitioner_within`` later than anyone's; then
      it goes to the earliest slot with anyone, with ``same_practitioner=False`` and a note, and
      the next session tries the course's practitioner again.
    - The room is the slot's first (preferred) room.
    - When ``find`` has no slot for a session, planning stops there: the result says how many
      sessions are left unplaced and why. Sessions of one course are days apart, so they never
      collide with each other and ``find`` need not know about the ones already placed.
    """
    if sessions < 1:
        raise ValueError("a course has at least one session")
    if interval_days < 1:
        raise ValueError("sessions are at least a day apart")
    if not _aware(earliest):
        raise ValueError("earliest must be timezone-aware (the clinic's zone)")

    placed: list[CourseSlot] = []
    course_practitioner = preferred_practitioner
    after = earliest
    for number in range(1, sessions + 1):
        if placed:
            after = _days_later(placed[-1].start, interval_days)
        session = _place(number, after, find, course_practitioner, keep_practitioner_within)
        if session is None:
            where = "" if number == 1 else f" ({interval_days} days after session {number - 1})"
            return CourseResult(
                slots=tuple(placed),
                unplaced=sessions - number + 1,
                reason=f"No free slot for session {number} of {sessions} from "
                f"{format_until(after)}{where} within the search horizon.",
            )
        placed.append(session)
        if course_practitioner is None:
            course_practitioner = session.practitioner_id
    return CourseResult(slots=tuple(placed), unplaced=0)


def _place(
    number: int,
    after: datetime,
    find: FindSlot,
    practitioner: Hashable | None,
    tolerance: timedelta,
) -> CourseSlot | None:
    """Session ``number``: the earliest slot after ``after``, with ``practitioner`` if fair."""
    if practitioner is None:
        slot = find(after, None)
        if slot is None:
            return None
        return _session(number, slot, slot.practitioner_ids[0], same=True)

    theirs = find(after, practitioner)
    if theirs is not None and _elapsed(after, theirs.start) <= tolerance:
        return _session(number, theirs, practitioner, same=True)
    anyone = find(after, None)
    if theirs is not None and (anyone is None or _elapsed(anyone.start, theirs.start) <= tolerance):
        return _session(number, theirs, practitioner, same=True)
    if anyone is None:
        return None
    if practitioner in anyone.practitioner_ids:
        return _session(number, anyone, practitioner, same=True)
    if theirs is None:
        why = "The course's practitioner has no free slot within the search horizon"
    else:
        why = (
            f"The course's practitioner is not free until {format_until(theirs.start)}, more "
            f"than {_days(tolerance)} after the earliest slot"
        )
    return _session(
        number,
        anyone,
        anyone.practitioner_ids[0],
        same=False,
        note=f"{why}: booked with another practitioner.",
    )


def _session(number: int, slot: Slot, practitioner: Hashable, *, same: bool, note: str = ""):
    return CourseSlot(
        session=number,
        slot=slot,
        practitioner_id=practitioner,
        room_id=slot.room_ids[0],
        same_practitioner=same,
        note=note,
    )


def _days_later(start: datetime, days: int) -> datetime:
    """The same local wall-clock time ``days`` calendar days later, in ``start``'s zone.

    An ambiguous result is its first occurrence; one in the spring-forward gap reads with the
    offset before the change (Python's ``fold=0``), i.e. an hour later on the new clock.
    """
    wall = start.replace(tzinfo=None, fold=0) + timedelta(days=days)
    return wall.replace(tzinfo=start.tzinfo)


def _elapsed(a: datetime, b: datetime) -> timedelta:
    """``b - a`` in elapsed time (``-`` on two datetimes of one zone compares wall clocks)."""
    return b.astimezone(UTC) - a.astimezone(UTC)


def _days(span: timedelta) -> str:
    if span % _ONE_DAY == timedelta(0):
        days = span // _ONE_DAY
        return f"{days} day" if days == 1 else f"{days} days"
    return f"{span.total_seconds() / 3600:g} hours"
