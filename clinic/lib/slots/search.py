"""Free start times: which slots a patient can be booked into."""

from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import chain

from clinic.lib.slots.core import (
    _ONE_DAY,
    _ONE_US,
    CONSULTATION,
    DEFAULT_STEP,
    AppointmentType,
    Busy,
    Practitioner,
    Room,
    Slot,
    Span,
    WeeklyHours,
    _at,
    _aware,
    _us,
)


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
