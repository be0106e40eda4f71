"""Free times as a patient chooses them: one practitioner per start, the same practitioner first.

A patient continuing a course sees the practitioner who treated (or booked) them before first
(docs/clinical-rules.md §Who may book what; "the same practitioner when possible", as the course
planner keeps it). Plain Python, over ``find_slots``'s answer.
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime

from clinic.lib.slots.core import Slot


@dataclass(frozen=True, slots=True)
class Choice:
    """One start a patient may choose: with one practitioner, in the slot's preferred room."""

    start: datetime
    end: datetime
    practitioner_id: Hashable
    room_id: Hashable
    preferred: bool  # with the practitioner asked for


def patient_choices(
    found: Sequence[Slot], *, preferred: Hashable | None = None
) -> tuple[list[Choice], list[Choice]]:
    """(times with ``preferred``, other times), each in time order, one choice per start.

    A start at which the preferred practitioner is free is offered with them only; a start at
    which they are not goes with the first practitioner free. Without a preference every start is
    an "other" time.
    """
    same, others = [], []
    for slot in found:
        if not slot.practitioner_ids or not slot.room_ids:
            continue
        if preferred is not None and preferred in slot.practitioner_ids:
            same.append(Choice(slot.start, slot.end, preferred, slot.room_ids[0], True))
        else:
            others.append(
                Choice(slot.start, slot.end, slot.practitioner_ids[0], slot.room_ids[0], False)
            )
    return same, others
