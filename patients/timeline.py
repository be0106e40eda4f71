"""The patient chart's timeline, which several apps contribute to.

Each app registers a provider: ``provider(patient, role) -> list[Entry]``. The
provider decides what the role may see; the desk gets only desk-safe entries.
Providers must fetch in a fixed number of queries, whatever the patient's history.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

PROVIDERS: list[Callable] = []


@dataclass(frozen=True, slots=True)
class Entry:
    when: dt.date | dt.datetime
    kind: str  # a short label: "Screen", "Assessment", "Plan", ...
    title: str
    url: str = ""
    detail: str = ""
    badges: tuple[str, ...] = field(default_factory=tuple)

    @property
    def sort_key(self):
        when = self.when
        if isinstance(when, dt.datetime):
            return (when.date(), when.time())
        return (when, dt.time.max)


def register(provider: Callable) -> Callable:
    if provider not in PROVIDERS:  # registering twice (a second ready()) adds nothing
        PROVIDERS.append(provider)
    return provider


def entries_for(patient, role) -> list[Entry]:
    """All entries the role may see, newest first."""
    entries = [entry for provider in PROVIDERS for entry in provider(patient, role)]
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)
