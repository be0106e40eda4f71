"""State machines on the model: which state may follow which, who may make each change, and what
its button says.

Every status-bearing model declares one ``StateMachine``: a table of ``Transition`` rows
(from-state, to-state, the button's label, the roles that may make it from a page, and the
workflows that make it as a step of their own). The model's ``transition_to`` checks a change
against the table and raises ``TransitionRefused``; ``allowed_transitions(by=user)`` is what a page
turns into buttons. Services keep the workflow (timestamps, side effects) and ask the model's
machine whether the change may be made. The tables themselves live with their models
(``treatments.models``, ``patients.models.merges``); the machine lives here, in the base app, so
that every app can use it.

A change is made either *by hand* (a person pressed a button: their role must be listed) or *via*
a workflow that makes it as one of its steps (``Workflow``): completing a treatment session
completes its appointment and starts the plan's treatment; nobody does either from a button.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class TransitionRefused(ValidationError):
    """A record cannot go to that state; the message says why, in words for the person.

    ``field`` names the form field the refusal is about (a cancellation's reason), if any.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str = "transition_refused"):
        super().__init__(message, code=code)
        self.field = field


class Workflow(StrEnum):
    """Services that make a change as a step of their own, not from a button."""

    SESSION_COMPLETION = "session completion"
    MESSAGING = "messaging"
    PATIENT_MERGE = "patient merge"
    #: A patient moving or cancelling in the portal, outside the clinic's notice window.
    PORTAL = "portal"
    #: The waitlist offering a freed time, booking it for the patient who accepts, expiring.
    WAITLIST = "waitlist"


#: Said when a person's role is not among a transition's roles.
NOT_YOUR_ROLE = "Your role cannot make this change."


@dataclass(frozen=True, slots=True)
class Transition:
    """One allowed change. ``label`` is its button ("" when no page offers one); ``roles`` may
    make it by hand; ``via`` are the workflows that make it themselves. ``guard`` says, for one
    record, why it may not be made by hand ("" when it may); ``refusal`` is said to a person who
    tries a change that is never made by hand."""

    source: str
    target: str
    label: str = ""
    roles: frozenset[str] = frozenset()
    via: frozenset[Workflow] = frozenset()
    guard: Callable[[Any], str] | None = None
    refusal: str = ""

    @property
    def by_hand(self) -> bool:
        return bool(self.roles)


def transition(
    source, target, label: str = "", *, roles=(), via=(), guard=None, refusal=""
) -> Transition:
    return Transition(
        source=source,
        target=target,
        label=label,
        roles=frozenset(roles),
        via=frozenset(via),
        guard=guard,
        refusal=refusal,
    )


class StateMachine:
    """The transition table of one state field.

    ``refused(current, target, targets)`` words the refusal of a change the table does not have
    (``targets``: the states ``current`` may go to, in the states' order); ``unknown`` is said for a
    value that is not a state at all.
    """

    def __init__(
        self,
        *,
        field: str,
        states: type[models.TextChoices],
        transitions: Iterable[Transition],
        refused: Callable[[Any, Any, list], str],
        unknown: str,
    ):
        self.field = field
        self.states = states
        self.refused = refused
        self.unknown = unknown
        self._table: dict[tuple[str, str], Transition] = {}
        for row in transitions:
            key = (states(row.source), states(row.target))
            if key in self._table or key[0] == key[1]:
                raise ValueError(f"Transition {key} is listed twice or goes nowhere.")
            self._table[key] = row

    # --- Reading the table ----------------------------------------------------------------------

    def state(self, value):
        """The state of ``value``, or TransitionRefused(unknown) when it is none."""
        try:
            return self.states(value)
        except ValueError:
            raise TransitionRefused(self.unknown) from None

    def get(self, source, target) -> Transition | None:
        return self._table.get((source, target))

    def is_allowed(self, source, target) -> bool:
        return (source, target) in self._table

    def targets(self, source) -> list:
        """The states ``source`` may go to, in the states' order."""
        return [state for state in self.states if (source, state) in self._table]

    def transitions(self) -> list[Transition]:
        return list(self._table.values())

    def sources(self, target, *, via: Workflow | None = None) -> list:
        """The states from which ``target`` may be reached (by ``via``, if given)."""
        return [
            source
            for (source, to), row in self._table.items()
            if to == target and (via is None or via in row.via)
        ]

    # --- Checking a change ------------------------------------------------------------------------

    def require(self, source, target) -> Transition:
        """The table's row from ``source`` to ``target``; TransitionRefused when it has none."""
        current, target = self.state(source), self.state(target)
        row = self.get(current, target)
        if row is None:
            raise TransitionRefused(self.refused(current, target, self.targets(current)))
        return row

    def check(self, instance, target, *, by=None, via: Workflow | None = None) -> Transition:
        """The transition from ``instance``'s state to ``target``; raise TransitionRefused when
        the table has none, when ``via`` is not one of its workflows, or, by hand, when ``by``'s
        role may not make it or its guard refuses this record."""
        row = self.require(getattr(instance, self.field), target)
        if via is not None:
            if via not in row.via:
                raise TransitionRefused(row.refusal or NOT_YOUR_ROLE)
            return row
        if not row.by_hand:
            raise TransitionRefused(row.refusal or NOT_YOUR_ROLE)
        if by is None or not by.has_role(*row.roles):
            raise TransitionRefused(NOT_YOUR_ROLE)
        if row.guard is not None and (why := row.guard(instance)):
            raise TransitionRefused(why)
        return row

    def allowed(self, instance, *, by) -> list[Transition]:
        """The changes ``by`` may make by hand to ``instance`` now: the buttons of its page."""
        current = getattr(instance, self.field)
        return [
            row
            for state in self.targets(current)
            if (row := self._table[current, state]).by_hand
            and by is not None
            and by.has_role(*row.roles)
            and not (row.guard is not None and row.guard(instance))
        ]

    def by_workflows(self, instance) -> list[Transition]:
        """The changes from ``instance``'s state that only a workflow makes (a page may say so)."""
        current = getattr(instance, self.field)
        return [
            row
            for state in self.targets(current)
            if not (row := self._table[current, state]).by_hand
        ]

    # --- The database -------------------------------------------------------------------------

    def update(self, queryset, target, *, via: Workflow, source=None, **fields) -> int:
        """Move the rows of ``queryset`` to ``target`` in one conditional UPDATE, as ``via``.

        Only rows in a state from which the table lets ``via`` reach ``target`` (``source``
        alone, when given) are changed, so that two workers never both make one change.
        """
        target = self.states(target)
        sources = self.sources(target, via=via)
        if source is not None:
            if source not in sources:
                raise ValueError(f"{via} does not move {source} to {target}.")
            sources = [source]
        return queryset.filter(**{f"{self.field}__in": sources}).update(
            **{self.field: target}, **fields
        )

    def constraint(self, name: str) -> models.CheckConstraint:
        """The database's own check that the field holds one of the states."""
        return models.CheckConstraint(
            condition=Q(**{f"{self.field}__in": self.states.values}), name=name
        )


class StateMachineModel:
    """Mixin for a model with a ``state_machine``: ``transition_to`` and ``allowed_transitions``."""

    state_machine: StateMachine

    def transition_to(self, to, *, by=None, via: Workflow | None = None) -> Transition:
        """Check the change against the table and make it on this instance (not saved)."""
        row = self.state_machine.check(self, to, by=by, via=via)
        setattr(self, self.state_machine.field, row.target)
        return row

    def allowed_transitions(self, *, by) -> list[Transition]:
        return self.state_machine.allowed(self, by=by)
