"""Which freed time suits which waitlist entry (docs/clinical-rules.md §Waitlist). Plain Python.

A freed time suits an entry when it is of the entry's appointment type, with the entry's
practitioner (or anyone, when the entry says any), on a day from the entry's first to its last
date, on one of its weekdays, and from start to end within its hours, all on the clinic's clock.
A course entry is offered a time only if the plan's interval allows that day too: that rule is
the plan's (treatments.services.intervals), passed in here as ``interval_allows``.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Wish:
    """What an entry waits for."""

    appointment_type_id: int
    practitioner_id: int | None  # None: anyone
    earliest: dt.date
    latest: dt.date
    weekdays: frozenset[int]  # Monday 0 .. Sunday 6
    time_from: dt.time
    time_to: dt.time


@dataclass(frozen=True, slots=True)
class Slot:
    """A freed time on the clinic's clock."""

    appointment_type_id: int
    practitioner_id: int
    day: dt.date
    starts: dt.time
    ends: dt.time


WRONG_TYPE = "another appointment type"
WRONG_PRACTITIONER = "another practitioner"
TOO_EARLY = "before the entry's first date"
TOO_LATE = "after the entry's last date"
WRONG_DAY = "a weekday that does not suit"
WRONG_HOURS = "outside the hours that suit"
INTERVAL = "too soon for the plan's interval"


def mismatch(wish: Wish, slot: Slot, *, interval_allows: bool = True) -> str:
    """Why ``slot`` does not suit ``wish`` ("" when it does)."""
    if slot.appointment_type_id != wish.appointment_type_id:
        return WRONG_TYPE
    if wish.practitioner_id is not None and slot.practitioner_id != wish.practitioner_id:
        return WRONG_PRACTITIONER
    if slot.day < wish.earliest:
        return TOO_EARLY
    if slot.day > wish.latest:
        return TOO_LATE
    if slot.day.weekday() not in wish.weekdays:
        return WRONG_DAY
    # An appointment that runs past midnight ends "before" it starts: it suits no hours.
    if not (
        wish.time_from <= slot.starts and slot.ends <= wish.time_to and slot.starts < slot.ends
    ):
        return WRONG_HOURS
    if not interval_allows:
        return INTERVAL
    return ""


def suits(wish: Wish, slot: Slot, *, interval_allows: bool = True) -> bool:
    return not mismatch(wish, slot, interval_allows=interval_allows)
