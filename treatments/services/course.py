"""The course at a glance: one plan walked through DOMAIN.md's workflow, and what comes next.

DOMAIN.md "The workflow": skin assessment, administration route chosen, the sessions, follow-ups,
and the outcome (completed or cancelled). ``load_course`` reads a plan's facts in a fixed number
of queries; ``walk`` is plain Python: facts, the viewer's role and the time in, the steps and the
next action for that person out. The dermatologist's next action is clinical ("Record session
2", "Record the follow-up"), the front desk's is booking ("Book the remaining 2 sessions") and the
patient's is a sentence ("Your next session is on Thursday 26 March, 10:00").

Choices where the issue is silent:
- A plan has N session places. Its booked treatment sessions (``TreatmentPlan.booked_sessions()``:
  everything but a cancellation, a no-show keeps its place; a follow-up review is not one) fill
  the first places in time order; the places left are "not booked".
- A follow-up is due when the plan is in follow-up, or when it is in treatment, every session is
  done and no follow-up has been recorded since the last one.
- The front desk books while the plan is planned or in treatment. In follow-up the dermatologist
  decides first (continue, adjust, complete, maintenance), so the desk waits.
- The desk sees steps, dates and counts only: no GAIS, no decision, no reason for cancelling.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import dateformat, timezone

from clinic.models import Role
from treatments.models import (
    Appointment,
    AppointmentStatus,
    FollowUp,
    PlanState,
    SessionStatus,
    TreatmentPlan,
    interval_text,
)

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


def _visit(appointment: Appointment) -> Visit:
    session = getattr(appointment, "session", None)
    has_follow_up = getattr(appointment, "follow_up", None) is not None
    return Visit(
        pk=appointment.pk,
        starts_at=appointment.starts_at,
        status=appointment.status,
        treatment=appointment.is_treatment_session,
        session_status=session.status if session else None,
        session_at=(session.ended_at or session.started_at) if session else None,
        has_follow_up=has_follow_up,
    )


def _review(follow_up: FollowUp) -> Review:
    return Review(
        pk=follow_up.pk,
        reviewed_on=follow_up.reviewed_on,
        gais_label=follow_up.get_gais_clinician_display(),
        decision=follow_up.decision,
        decision_label=follow_up.get_decision_display(),
    )


def _facts(plan: TreatmentPlan, visits, reviews, planned_at=None) -> CourseFacts:
    return CourseFacts(
        plan_pk=plan.pk,
        patient_pk=plan.patient_id,
        assessment_pk=plan.assessment_id,
        assessed_on=plan.assessment.assessed_on,
        state=plan.state,
        state_changed_at=plan.state_changed_at,
        route_label=plan.get_route_display(),
        sessions=plan.sessions,
        interval_days=plan.interval_days,
        author_name=str(plan.author),
        cancel_reason=plan.cancel_reason,
        planned_at=planned_at,
        visits=tuple(visits),
        reviews=tuple(reviews),
    )


def _appointments():
    return (
        Appointment.objects.holding()
        .select_related("kind", "session", "follow_up")
        .order_by("starts_at", "pk")
    )


def load_course(plan: TreatmentPlan) -> CourseFacts:
    """The plan's facts in three queries (its appointments with their session and follow-up
    records, its follow-ups, and when it was first planned). ``plan`` comes with its assessment
    and author (treatments.access.get_plan)."""
    visits = [_visit(a) for a in _appointments().filter(plan=plan)]
    reviews = [_review(f) for f in plan.follow_ups.order_by("reviewed_on", "pk")]
    planned_at = (
        plan.history.filter(state=PlanState.PLANNED)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return _facts(plan, visits, reviews, planned_at)


def load_courses(plans: list[TreatmentPlan]) -> dict[int, CourseFacts]:
    """Many plans' facts in two queries (for the homes); when each was planned is not read."""
    visits: dict[int, list[Visit]] = defaultdict(list)
    for appointment in _appointments().filter(plan__in=plans):
        visits[appointment.plan_id].append(_visit(appointment))
    reviews: dict[int, list[Review]] = defaultdict(list)
    for follow_up in FollowUp.objects.filter(plan__in=plans).order_by("reviewed_on", "pk"):
        reviews[follow_up.plan_id].append(_review(follow_up))
    return {plan.pk: _facts(plan, visits[plan.pk], reviews[plan.pk]) for plan in plans}


# --- The walk ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    title: str
    status: Status
    text: str
    url: str = ""
    items: tuple[Item, ...] = ()

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def badge(self) -> str:
        return STATUS_BADGE[self.status]


@dataclass(frozen=True, slots=True)
class Action:
    """What the viewer does next: a sentence, and the main button when there is one."""

    text: str
    label: str = ""
    url: str = ""
    post: bool = False  # the button submits a POST form rather than following a link


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
class Course:
    facts: CourseFacts
    role: Role
    steps: tuple[Step, ...]
    action: Action
    places: tuple[Place, ...]
    follow_up_due: bool
    waiting_on_dermatologist: bool

    @property
    def sessions_done(self) -> int:
        return sum(1 for place in self.places if place.status == Status.DONE)

    @property
    def sessions_booked(self) -> int:
        return sum(1 for place in self.places if place.visit is not None)

    @property
    def remaining(self) -> int:
        """Session places with no appointment yet: what the desk still has to book."""
        return max(0, self.facts.sessions - self.sessions_booked)


@dataclass(frozen=True, slots=True)
class _Clock:
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


def _follow_up_due(facts: CourseFacts, places: tuple[Place, ...], clock: _Clock) -> bool:
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


def _place_text(place: Place, clock: _Clock) -> str:
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


def _now_place(places, clock: _Clock) -> Place | None:
    """The session that can be recorded now: checked in (or in progress) today."""
    for place in places:
        if place.status == Status.NOW and clock.is_today(place.visit.starts_at):
            return place
    return None


def _open_place(places) -> Place | None:
    """The first session that is neither done nor closed."""
    for place in places:
        if place.status in (Status.NOW, Status.BOOKED, Status.WAITING):
            return place
    return None


def _review_visit_today(facts: CourseFacts, clock: _Clock) -> Visit | None:
    for visit in facts.visits:
        if (
            not visit.treatment
            and visit.status == AppointmentStatus.CHECKED_IN
            and not visit.has_follow_up
            and clock.is_today(visit.starts_at)
        ):
            return visit
    return None


def _upcoming_reviews(facts: CourseFacts, clock: _Clock) -> list[Visit]:
    return [
        visit
        for visit in facts.visits
        if not visit.treatment
        and not visit.has_follow_up
        and visit.status in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)
        and clock.local(visit.starts_at).date() >= clock.today
    ]


def _ended_text(facts: CourseFacts, clock: _Clock, *, patient: bool = False) -> str:
    if facts.state == PlanState.COMPLETED:
        whose = "Your course" if patient else "The course"
        return f"{whose} was completed on {clock.day(facts.state_changed_at)}."
    return f"This course was cancelled on {clock.day(facts.state_changed_at)}."


def _followup_url(facts: CourseFacts, visit: Visit | None = None) -> str:
    url = reverse("treatments:followup_new", kwargs={"plan_pk": facts.plan_pk})
    return f"{url}?appointment={visit.pk}" if visit else url


def _dermatologist_action(facts, places, due, clock) -> Action:
    if facts.state == PlanState.DRAFT:
        return Action(
            "The plan is a draft: choose the route and product, then mark it planned.",
            label="Open the draft plan",
            url=reverse("treatments:plan_detail", kwargs={"pk": facts.plan_pk}),
        )
    if facts.state in ENDED:
        return Action(_ended_text(facts, clock))
    now_place = _now_place(places, clock)
    if now_place is not None:
        return Action(
            f"Session {now_place.number} of {facts.sessions}: the patient is checked in today.",
            label=f"Record session {now_place.number}",
            url=reverse("treatments:session_start", kwargs={"appointment_pk": now_place.visit.pk}),
            post=True,
        )
    review_visit = _review_visit_today(facts, clock)
    if review_visit is not None:
        return Action(
            "The patient is checked in today for the follow-up review.",
            label="Record the follow-up",
            url=_followup_url(facts, review_visit),
        )
    if due:
        text = (
            "The plan is in follow-up: record the review and decide what comes next."
            if facts.state == PlanState.FOLLOW_UP
            else f"All {facts.sessions} sessions are done: the follow-up review is due."
        )
        return Action(text, label="Record the follow-up", url=_followup_url(facts))
    place = _open_place(places)
    if place is not None:
        if place.status == Status.BOOKED:
            return Action(f"Session {place.number} is booked for {clock.when(place.when)}.")
        if place.status == Status.NOW:
            return Action(f"Session {place.number}: {_place_text(place, clock).lower()}.")
        return Action(f"Session {place.number} is not booked yet.")
    # Every session is done and reviewed, and the decision was to continue (or maintenance).
    last = facts.reviews[-1]
    return Action(
        f"All {facts.sessions} sessions are done and were reviewed on "
        f"{clock.day(last.reviewed_on)} (decision: {last.decision_label.lower()}). This plan "
        "takes no more sessions: record a follow-up to complete it, or cancel it and write a "
        "new plan.",
        label="Record the follow-up",
        url=_followup_url(facts),
    )


def _book_label(remaining: int, places) -> str:
    if remaining == 1:
        waiting = next(place for place in places if place.status == Status.WAITING)
        return f"Book session {waiting.number}"
    return f"Book the remaining {remaining} sessions"


def _desk_action(facts, places, due, clock, remaining) -> Action:
    if facts.state == PlanState.DRAFT:
        return Action("The plan is still a draft: there is nothing to book yet.")
    if facts.state in ENDED:
        return Action(_ended_text(facts, clock))
    booked = facts.sessions - remaining
    if remaining and facts.state in DESK_BOOKS:
        return Action(
            f"{booked} of {facts.sessions} sessions are booked.",
            label=_book_label(remaining, places),
            url=reverse("treatments:course_preview", kwargs={"plan_pk": facts.plan_pk}),
        )
    now_place = _now_place(places, clock)
    if now_place is not None:
        return Action(f"Session {now_place.number}: the patient is checked in today.")
    upcoming = _upcoming_reviews(facts, clock)
    if upcoming:
        return Action(f"The follow-up review is booked for {clock.when(upcoming[0].starts_at)}.")
    if due:
        return Action(
            f"The follow-up review is due: book it with {facts.author_name}.",
            label="Book the follow-up review",
            url=reverse("treatments:appointment_new", kwargs={"patient_pk": facts.patient_pk}),
        )
    if facts.state == PlanState.FOLLOW_UP:
        return Action("The course is being reviewed: book after the dermatologist's decision.")
    place = _open_place(places)
    if place is not None and place.status == Status.BOOKED:
        return Action(f"Session {place.number} is booked for {clock.when(place.when)}.")
    return Action(f"All {facts.sessions} sessions are done.")


def _patient_action(facts, places, due, clock, remaining) -> Action:
    if facts.state in ENDED:
        return Action(_ended_text(facts, clock, patient=True))
    coming = [
        (visit.starts_at, visit)
        for visit in facts.visits
        if visit.status in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)
        and not visit.has_follow_up
        and clock.local(visit.starts_at).date() >= clock.today
    ]
    if coming:
        starts_at, visit = min(coming, key=lambda pair: pair[0])
        what = "Your next session" if visit.treatment else "Your follow-up review"
        return Action(f"{what} is on {clock.when(starts_at)}.")
    if remaining:
        return Action("Your next session is not booked yet: the clinic will arrange it with you.")
    if due:
        return Action("All your sessions are done. The clinic will see you for a follow-up review.")
    return Action("All your sessions are done.")


def _steps(facts, role, places, due, clock) -> tuple[Step, ...]:
    derm = role == Role.DERMATOLOGIST
    steps = [
        Step(
            "assessment",
            "Skin assessment",
            Status.DONE,
            f"Assessed on {clock.day(facts.assessed_on)}",
            url=(
                reverse(
                    "patients:assessment_detail",
                    kwargs={"patient_pk": facts.patient_pk, "pk": facts.assessment_pk},
                )
                if derm
                else ""
            ),
        )
    ]
    course_text = f"{facts.route_label}, 1 session"
    if facts.sessions > 1:
        course_text = (
            f"{facts.route_label}, {facts.sessions} sessions every "
            f"{interval_text(facts.interval_days)}"
        )
    plan_url = reverse("treatments:plan_detail", kwargs={"pk": facts.plan_pk}) if derm else ""
    if facts.state == PlanState.DRAFT:
        steps.append(Step("route", "Route chosen", Status.WAITING, "Not yet: the plan is a draft"))
    elif facts.state == PlanState.CANCELLED and facts.planned_at is None:
        steps.append(
            Step("route", "Route chosen", Status.CANCELLED, "Cancelled before it was planned")
        )
    else:
        on = f" (planned on {clock.day(facts.planned_at)})" if facts.planned_at else ""
        steps.append(Step("route", "Route chosen", Status.DONE, course_text + on, url=plan_url))

    booked = sum(1 for place in places if place.visit is not None)
    booking_url = ""
    if role == Role.FRONT_DESK and booked < facts.sessions and facts.state in DESK_BOOKS:
        booking_url = reverse("treatments:course_preview", kwargs={"plan_pk": facts.plan_pk})
    steps.append(
        Step(
            "booked",
            "Sessions booked",
            Status.DONE if booked >= facts.sessions else Status.WAITING,
            f"{booked} of {facts.sessions} booked",
            url=booking_url,
        )
    )
    for place in places:
        status = place.status
        if status == Status.WAITING and facts.state == PlanState.CANCELLED:
            status = Status.CANCELLED
        steps.append(
            Step(f"session-{place.number}", f"Session {place.number}", status,
                 _place_text(place, clock))
        )  # fmt: skip

    items = []
    for review in facts.reviews:
        if derm:
            items.append(
                Item(
                    f"{clock.day(review.reviewed_on)}: {review.gais_label.lower()} (GAIS); "
                    f"{review.decision_label[0].lower()}{review.decision_label[1:]}",
                    reverse("treatments:followup_detail", kwargs={"pk": review.pk}),
                )
            )
        else:
            items.append(Item(f"Reviewed on {clock.day(review.reviewed_on)}"))
    upcoming = _upcoming_reviews(facts, clock)
    items += [Item(f"Review booked for {clock.when(visit.starts_at)}") for visit in upcoming]
    if due:
        status, text = Status.DUE, "Due now"
    elif upcoming:
        status, text = Status.BOOKED, "Booked"
    elif facts.reviews:
        count = len(facts.reviews)
        status, text = Status.DONE, f"{count} recorded"
    else:
        status, text = Status.WAITING, "None yet"
    steps.append(Step("follow-ups", "Follow-ups", status, text, items=tuple(items)))

    if facts.state == PlanState.COMPLETED:
        outcome = Step(
            "outcome", "Outcome", Status.DONE, f"Completed on {clock.day(facts.state_changed_at)}"
        )
    elif facts.state == PlanState.CANCELLED:
        text = f"Cancelled on {clock.day(facts.state_changed_at)}"
        if derm and facts.cancel_reason:
            text += f": {facts.cancel_reason}"
        outcome = Step("outcome", "Outcome", Status.CANCELLED, text)
    else:
        outcome = Step("outcome", "Outcome", Status.WAITING, "Not yet: the course is under way")
    steps.append(outcome)
    return tuple(steps)


def walk(facts: CourseFacts, *, role: Role, now: dt.datetime, tz: ZoneInfo) -> Course:
    """The course's steps as ``role`` may see them, and that person's next action."""
    clock = _Clock(now, tz)
    places = places_for(facts)
    due = _follow_up_due(facts, places, clock)
    remaining = max(0, facts.sessions - sum(1 for p in places if p.visit is not None))
    if role == Role.DERMATOLOGIST:
        action = _dermatologist_action(facts, places, due, clock)
    elif role == Role.FRONT_DESK:
        action = _desk_action(facts, places, due, clock, remaining)
    elif role == Role.PATIENT:
        action = _patient_action(facts, places, due, clock, remaining)
    else:
        raise ValueError(f"No course view for {role}.")
    waiting = facts.state not in ENDED and (
        _now_place(places, clock) is not None
        or _review_visit_today(facts, clock) is not None
        or due
    )
    return Course(
        facts=facts,
        role=role,
        steps=_steps(facts, role, places, due, clock),
        action=action,
        places=places,
        follow_up_due=due,
        waiting_on_dermatologist=waiting,
    )


# --- Fetching and the homes ----------------------------------------------------------------------


def get_patient_plan(user, pk) -> TreatmentPlan:
    """A patient's own plan, once it is planned (a draft is the clinician's working copy); any
    other plan answers 404."""
    plan = (
        TreatmentPlan.objects.select_related("patient", "assessment", "author")
        .filter(pk=pk, patient__user=user)
        .exclude(state=PlanState.DRAFT)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def courses_waiting_on(
    user, *, now: dt.datetime, tz: ZoneInfo
) -> list[tuple[TreatmentPlan, Course]]:
    """The dermatologist's plans whose next step is theirs: a session checked in today, the
    follow-up review checked in today, or a follow-up due. Three queries."""
    plans = list(
        TreatmentPlan.objects.filter(
            author=user,
            state__in=[PlanState.PLANNED, PlanState.IN_TREATMENT, PlanState.FOLLOW_UP],
        )
        .select_related("patient", "assessment", "author")
        .order_by("state_changed_at", "pk")
    )
    facts = load_courses(plans)
    courses = []
    for plan in plans:
        course = walk(facts[plan.pk], role=Role.DERMATOLOGIST, now=now, tz=tz)
        if course.waiting_on_dermatologist:
            courses.append((plan, course))
    return courses


@dataclass(frozen=True, slots=True)
class ToBook:
    plan: TreatmentPlan
    booked: int

    @property
    def remaining(self) -> int:
        return self.plan.sessions - self.booked

    @property
    def label(self) -> str:
        if self.remaining == 1:
            return f"Book session {self.plan.sessions}"
        return f"Book the remaining {self.remaining} sessions"


def courses_to_book() -> list[ToBook]:
    """Planned and in-treatment plans with fewer booked sessions than the course has, oldest
    first. One query."""
    plans = (
        TreatmentPlan.objects.filter(state__in=DESK_BOOKS, patient__archived_at__isnull=True)
        .with_booked_sessions()
        .filter(booked__lt=F("sessions"))
        .select_related("patient")
        .order_by("state_changed_at", "pk")
    )
    return [ToBook(plan, plan.booked) for plan in plans]


def patient_courses(user) -> list[TreatmentPlan]:
    """The patient's own plans from planned on, the ones under way first. One query."""
    order = {PlanState.IN_TREATMENT: 0, PlanState.FOLLOW_UP: 0, PlanState.PLANNED: 1}
    plans = list(
        TreatmentPlan.objects.filter(patient__user=user)
        .exclude(state=PlanState.DRAFT)
        .order_by("-created_at", "-pk")
    )
    return sorted(plans, key=lambda plan: order.get(plan.state, 2))
