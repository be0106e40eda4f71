"""A course of sessions placed on free slots, each at least the plan's interval apart."""

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from clinic.lib.aftercare import format_until
from clinic.lib.slots.core import _ONE_DAY, DEFAULT_KEEP_PRACTITIONER_WITHIN, Slot, _aware
from clinic.lib.slots.search import FindSlot


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
