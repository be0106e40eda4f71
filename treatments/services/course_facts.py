"""The facts of a course and what they say, before anyone's view of them.

A plan's course is its facts (``CourseFacts``: the plan, its appointments that hold their time
with their session and follow-up records, its follow-ups), read by treatments/services/course.py.
This module says what they mean on a clock: the plan's N session places and the state of each,
whether a follow-up is due, what is checked in today. treatments/services/course_walk.py walks
them for one viewer. Plain Python: no database access.

Choices where the rules are silent:
- A plan has N session places. Its booked sessions (``TreatmentPlan.booked_sessions()``: treatment
  appointments that hold their time, a no-show keeps its place; a follow-up review is not one)
  fill the first places in time order; the places left are "not booked".
- A follow-up is due when the plan is in follow-up, or when it is in treatment, every session is
  done and no follow-up has been recorded since the last one.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone

from treatments.models import AppointmentStatus, PlanState, SessionStatus

#: The plan states in which the front desk books the remaining sessions.
DESK_BOOKS = frozenset({PlanState.PLANNED, PlanState.IN_TREATMENT})
ENDED = frozenset({PlanState.COMPLETED, PlanState.CANCELLED})


class Status(StrEnum):
    DONE = "done"
    NOW = "now"
    BOOKED = "booked"
    DUE = "due"
    MISSED = "missed"
    NOT_TREATED = "not_treated"
    WAITING = "waiting"
    CANCELLED = "cancelled"


STATUS_TEXT = {
    Status.DONE: "Done",
    Status.NOW: "Today",
    Status.BOOKED: "Booked",
    Status.DUE: "Due",
    Status.MISSED: "Missed",
    Status.NOT_TREATED: "Not treated",
    Status.WAITING: "Not yet",
    Status.CANCELLED: "Cancelled",
}
# Bootstrap's text-bg-* pairs keep their contrast (axe checks it).
STATUS_BADGE = {
    Status.DONE: "text-bg-success",
    Status.NOW: "text-bg-primary",
    Status.BOOKED: "text-bg-info",
    Status.DUE: "text-bg-warning",
    Status.MISSED: "text-bg-warning",
    Status.NOT_TREATED: "text-bg-secondary",
    Status.WAITING: "text-bg-light border",
    Status.CANCELLED: "text-bg-dark",
}


# --- Facts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visit:
    """One appointment of the plan that holds its time (not cancelled)."""

    pk: int
    starts_at: dt.datetime
    status: str  # AppointmentStatus
    treatment: bool  # a treatment session; otherwise a follow-up review (or a consultation)
    session_status: str | None = None  # SessionStatus of its session record, if any
    session_at: dt.datetime | None = None  # when the session ended (or started)
    has_follow_up: bool = False


@dataclass(frozen=True, slots=True)
class Review:
    """A recorded follow-up."""

    pk: int
    reviewed_on: dt.date
    gais_label: str
    decision: str
    decision_label: str


@dataclass(frozen=True, slots=True)
class CourseFacts:
    plan_pk: int
    patient_pk: int
    assessment_pk: int
    assessed_on: dt.date
    state: str
    state_changed_at: dt.datetime
    route_label: str
    sessions: int
    interval_days: int
    author_name: str = ""
    cancel_reason: str = ""
    planned_at: dt.datetime | None = None
    visits: tuple[Visit, ...] = ()
    reviews: tuple[Review, ...] = ()


@dataclass(frozen=True, slots=True)
class Place:
    """One of the plan's N session places."""

    number: int
    status: Status
    visit: Visit | None = None

    @property
    def when(self) -> dt.datetime | None:
        if self.visit is None:
            return None
        return self.visit.session_at or self.visit.starts_at


@dataclass(frozen=True, slots=True)
class Clock:
    now: dt.datetime
    tz: ZoneInfo

    @property
    def today(self) -> dt.date:
        return timezone.localtime(self.now, self.tz).date()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return timezone.localtime(moment, self.tz)

    def is_today(self, moment: dt.datetime) -> bool:
        return self.local(moment).date() == self.today

    def when(self, moment: dt.datetime) -> str:
        """'Thursday 26 March, 10:00' (the year added when it is not this year's)."""
        local = self.local(moment)
        text = dateformat.format(local, "l j F")
        if local.year != self.today.year:
            text += f" {local.year}"
        return f"{text}, {local:%H:%M}"

    def day(self, moment: dt.datetime | dt.date) -> str:
        """'1 Sep 2025'."""
        if isinstance(moment, dt.datetime):
            moment = self.local(moment).date()
        return f"{moment.day} {moment:%b %Y}"


def _place_status(visit: Visit) -> Status:
    if visit.session_status == SessionStatus.COMPLETED:
        return Status.DONE
    if visit.session_status == SessionStatus.NOT_TREATED:
        return Status.NOT_TREATED
    if visit.status == AppointmentStatus.COMPLETED:
        return Status.DONE
    if visit.status == AppointmentStatus.NO_SHOW:
        return Status.MISSED
    if visit.status == AppointmentStatus.CHECKED_IN or visit.session_status:
        return Status.NOW
    return Status.BOOKED


def places_for(facts: CourseFacts) -> tuple[Place, ...]:
    treatments = [visit for visit in facts.visits if visit.treatment]
    places = [
        Place(number, _place_status(visit), visit)
        for number, visit in enumerate(treatments, start=1)
    ]
    places += [
        Place(number, Status.WAITING) for number in range(len(places) + 1, facts.sessions + 1)
    ]
    return tuple(places)


def follow_up_due(facts: CourseFacts, places: tuple[Place, ...], clock: Clock) -> bool:
    if facts.state == PlanState.FOLLOW_UP:
        return True
    if facts.state != PlanState.IN_TREATMENT:
        return False
    done = [place for place in places if place.status == Status.DONE]
    if len(done) < facts.sessions:
        return False
    last_session = max((place.when for place in done if place.when), default=None)
    if not facts.reviews:
        return True
    if last_session is None:
        return False
    last_review = facts.reviews[-1].reviewed_on
    return last_review < clock.local(last_session).date()


def place_text(place: Place, clock: Clock) -> str:
    when = place.when
    match place.status:
        case Status.DONE:
            return f"Done on {clock.day(when)}"
        case Status.NOT_TREATED:
            return f"Closed without treatment on {clock.day(when)}"
        case Status.MISSED:
            return f"Missed (no-show) on {clock.day(when)}"
        case Status.NOW:
            if place.visit.session_status == SessionStatus.IN_PROGRESS:
                return "In progress"
            if clock.is_today(place.visit.starts_at):
                return f"Checked in today for {clock.local(place.visit.starts_at):%H:%M}"
            return f"Checked in on {clock.day(place.visit.starts_at)}, not yet recorded"
        case Status.BOOKED:
            text = f"Booked for {clock.when(place.visit.starts_at)}"
            if place.visit.starts_at < clock.now:
                text += " (not checked in)"
            return text
    return "Not booked yet"


def place_today(places, clock: Clock) -> Place | None:
    """The session that can be recorded now: checked in (or in progress) today."""
    for place in places:
        if place.status == Status.NOW and clock.is_today(place.visit.starts_at):
            return place
    return None


def open_place(places) -> Place | None:
    """The first session that is neither done nor closed."""
    for place in places:
        if place.status in (Status.NOW, Status.BOOKED, Status.WAITING):
            return place
    return None


def review_visit_today(facts: CourseFacts, clock: Clock) -> Visit | None:
    for visit in facts.visits:
        if (
            not visit.treatment
            and visit.status == AppointmentStatus.CHECKED_IN
            and not visit.has_follow_up
            and clock.is_today(visit.starts_at)
        ):
            return visit
    return None


def upcoming_reviews(facts: CourseFacts, clock: Clock) -> list[Visit]:
    return [
        visit
        for visit in facts.visits
        if not visit.treatment
        and not visit.has_follow_up
        and visit.status in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)
        and clock.local(visit.starts_at).date() >= clock.today
    ]
