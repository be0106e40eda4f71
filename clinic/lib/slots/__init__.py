"""Free appointment slots, and a course of sessions placed on them: the pure core of scheduling.

What the slot finder answers: "Slot finder: for a patient, an appointment type (and route),
optionally a practitioner or room, and a date range: the free start times that respect opening
hours, working hours, time off, existing appointments of the practitioner, the room and the patient,
and buffers. It is a plain-Python core over data the view loads in a fixed number of queries." and
"book a plan's course in one step (each session at the earliest fitting slot at least the plan's
interval after the previous one, the same practitioner when possible, shown as a preview the user
confirms or adjusts)".

Plain Python: no database, no models. The caller loads the opening hours, closed dates, each
practitioner's working hours, time off and appointments, each active room's appointments and the
patient's appointments (one query per kind, however many rows), and passes them in as ``Busy``
lists. ``find_slots`` answers which start times are free; ``plan_course`` places a course on them.

Time
----
Stored in UTC, shown in the clinic's zone. Opening and working hours are local
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

Rooms (docs/clinical-rules.md §Administration routes, [practice])
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

from clinic.lib.slots.core import (
    CONSULTATION,
    DEFAULT_KEEP_PRACTITIONER_WITHIN,
    DEFAULT_STEP,
    PROCEDURE,
    AppointmentType,
    Busy,
    Interval,
    Practitioner,
    Room,
    RoomKind,
    Slot,
    Span,
    WeeklyHours,
)
from clinic.lib.slots.course import (
    CourseResult,
    CourseSlot,
    plan_course,
)
from clinic.lib.slots.search import (
    FindSlot,
    earliest_slot_finder,
    find_slots,
    first_slot,
)

__all__ = [
    "CONSULTATION",
    "DEFAULT_KEEP_PRACTITIONER_WITHIN",
    "DEFAULT_STEP",
    "PROCEDURE",
    "AppointmentType",
    "Busy",
    "CourseResult",
    "CourseSlot",
    "FindSlot",
    "Interval",
    "Practitioner",
    "Room",
    "RoomKind",
    "Slot",
    "Span",
    "WeeklyHours",
    "earliest_slot_finder",
    "find_slots",
    "first_slot",
    "plan_course",
]
