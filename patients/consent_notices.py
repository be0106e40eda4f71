"""What other apps add to the consent page, for the patient to read before signing (the
regulatory status of the products they may receive, docs/clinical-rules.md §Approval status).

``register(provider)`` where ``provider(patient, kind) -> Notice | None``; notices appear under
the consent text, in registration order. Providers run a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PROVIDERS: list[Callable] = []


@dataclass(frozen=True, slots=True)
class Notice:
    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)


def register(provider: Callable) -> Callable:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def notices_for(patient, kind) -> list[Notice]:
    return [notice for provider in PROVIDERS if (notice := provider(patient, kind)) is not None]
