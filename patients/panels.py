"""Panels other apps add to the dermatologist's chart (progress charts, before-and-after photos).

``register(provider)`` where ``provider(patient, role) -> Panel | None``; panels appear between
the alerts and the timeline, in registration order. Providers run a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PROVIDERS: list[Callable] = []


@dataclass(frozen=True, slots=True)
class Panel:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


def register(provider: Callable) -> Callable:
    if provider not in PROVIDERS:  # registering twice (a second ready()) adds nothing
        PROVIDERS.append(provider)
    return provider


def panels_for(patient, role) -> list[Panel]:
    return [panel for provider in PROVIDERS if (panel := provider(patient, role)) is not None]
