"""The course at a glance: one plan walked through the workflow, and what comes next.

docs/clinical-rules.md §Workflow: skin assessment, administration route chosen, the sessions,
follow-ups, and the outcome (completed or cancelled). ``walk`` is plain Python: the course's facts
(treatments/services/course_facts.py), the viewer's role and the time in, the steps and the next
action for that person out. The dermatologist's next action is clinical ("Record session 2",
"Record the follow-up"), the front desk's is booking ("Book the remaining 2 sessions") and the
patient's is a sentence ("Your next session is on Thursday 26 March, 10:00").

Choices where the rules are silent:
- The front desk books while the plan is planned or in treatment. In follow-up the dermatologist
  decides first (continue, adjust, complete, maintenance), so the desk waits.
- The desk sees steps, dates and counts only: no GAIS, no decision, no reason for cancelling.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.urls import reverse

from clinic.models import Role
from treatments.models import AppointmentStatus, PlanState, interval_text
from treatments.services.course_facts import (
    DESK_BOOKS,
    ENDED,
    STATUS_BADGE,
    STATUS_TEXT,
    Clock,
    CourseFacts,
    Place,
    Status,
    Visit,
    follow_up_due,
    open_place,
    place_text,
    place_today,
    places_for,
    review_visit_today,
    upcoming_reviews,
)


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


def _ended_text(facts: CourseFacts, clock: Clock, *, patient: bool = False) -> str:
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
    now_place = place_today(places, clock)
    if now_place is not None:
        return Action(
            f"Session {now_place.number} of {facts.sessions}: the patient is checked in today.",
            label=f"Record session {now_place.number}",
            url=reverse("treatments:session_start", kwargs={"appointment_pk": now_place.visit.pk}),
            post=True,
        )
    review_visit = review_visit_today(facts, clock)
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
    place = open_place(places)
    if place is not None:
        if place.status == Status.BOOKED:
            return Action(f"Session {place.number} is booked for {clock.when(place.when)}.")
        if place.status == Status.NOW:
            return Action(f"Session {place.number}: {place_text(place, clock).lower()}.")
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
    now_place = place_today(places, clock)
    if now_place is not None:
        return Action(f"Session {now_place.number}: the patient is checked in today.")
    upcoming = upcoming_reviews(facts, clock)
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
    place = open_place(places)
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
                 place_text(place, clock))
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
    upcoming = upcoming_reviews(facts, clock)
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
    clock = Clock(now, tz)
    places = places_for(facts)
    due = follow_up_due(facts, places, clock)
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
        place_today(places, clock) is not None
        or review_visit_today(facts, clock) is not None
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
