"""The state machine the treatments models declare their tables with (``clinic.states``)."""

from clinic.states import (
    NOT_YOUR_ROLE,
    StateMachine,
    StateMachineModel,
    Transition,
    TransitionRefused,
    Workflow,
    transition,
)

__all__ = [
    "NOT_YOUR_ROLE",
    "StateMachine",
    "StateMachineModel",
    "Transition",
    "TransitionRefused",
    "Workflow",
    "transition",
]
