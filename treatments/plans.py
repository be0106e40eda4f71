"""The treatment plan's states and the only transitions allowed between them.

DOMAIN.md "The workflow": draft -> planned (route chosen, sessions decided) -> in treatment (first
session done) -> follow-up -> completed; or cancelled at any point (with a reason). And "Follow-up
and outcomes": the decision at a follow-up is continue, adjust the plan, complete, or maintenance.

Choices where DOMAIN.md is silent:
- planned -> draft: a planned course may be reopened to revise it before the first session.
- follow-up -> in treatment: "continue" (or "maintenance": a session every few months) goes back
  into treatment on the same plan.
- completed and cancelled are final. A new course after completion is a new plan from a new
  assessment, so that the finished course keeps its own outcome record.

This table is the single place that says which transition is allowed; services.plan_transition
enforces it and adds the checks a transition needs (a reason to cancel, a valid choice to plan).
"""

from treatments.models import PlanState

ALLOWED: dict[PlanState, frozenset[PlanState]] = {
    PlanState.DRAFT: frozenset({PlanState.PLANNED, PlanState.CANCELLED}),
    PlanState.PLANNED: frozenset({PlanState.DRAFT, PlanState.IN_TREATMENT, PlanState.CANCELLED}),
    PlanState.IN_TREATMENT: frozenset({PlanState.FOLLOW_UP, PlanState.CANCELLED}),
    PlanState.FOLLOW_UP: frozenset(
        {PlanState.IN_TREATMENT, PlanState.COMPLETED, PlanState.CANCELLED}
    ),
    PlanState.COMPLETED: frozenset(),
    PlanState.CANCELLED: frozenset(),
}

#: States whose plan may still be edited (route, product, course): before the first session.
EDITABLE: frozenset[PlanState] = frozenset({PlanState.DRAFT, PlanState.PLANNED})

#: What the button that makes each transition says, by (from, to).
ACTION_LABELS: dict[tuple[PlanState, PlanState], str] = {
    (PlanState.DRAFT, PlanState.PLANNED): "Mark as planned",
    (PlanState.PLANNED, PlanState.DRAFT): "Reopen as draft",
    (PlanState.PLANNED, PlanState.IN_TREATMENT): "Mark first session done",
    (PlanState.IN_TREATMENT, PlanState.FOLLOW_UP): "Move to follow-up",
    (PlanState.FOLLOW_UP, PlanState.IN_TREATMENT): "Continue treatment",
    (PlanState.FOLLOW_UP, PlanState.COMPLETED): "Complete the course",
}


class TransitionRefused(Exception):
    """A plan cannot go to that state; ``message`` says why in words for the clinician."""

    def __init__(self, message: str, *, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)


def is_allowed(current: str, to: str) -> bool:
    return PlanState(to) in ALLOWED[PlanState(current)]


def check(current: str, to: str) -> None:
    """Raise TransitionRefused unless ``current`` -> ``to`` is in ALLOWED."""
    try:
        current, to = PlanState(current), PlanState(to)
    except ValueError:
        raise TransitionRefused("Unknown plan state.") from None
    if to in ALLOWED[current]:
        return
    if not ALLOWED[current]:
        raise TransitionRefused(f"A {current.label.lower()} plan cannot change state.")
    allowed = ", ".join(sorted(state.label.lower() for state in ALLOWED[current]))
    raise TransitionRefused(
        f"A {current.label.lower()} plan cannot become {to.label.lower()} (it can become: "
        f"{allowed})."
    )


def next_states(current: str) -> list[PlanState]:
    """The states a plan may go to next, in the workflow's order."""
    allowed = ALLOWED[PlanState(current)]
    return [state for state in PlanState if state in allowed]
