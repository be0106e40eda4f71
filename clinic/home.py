"""The sections of each role's home page, contributed by the apps that own their content.

A provider is ``provider(request) -> dict`` (the section's template context) registered for a role
under a key, with an order and a title. Each app registers its sections in its
``AppConfig.ready()``; registering the same role and key again replaces the section. Providers run
a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from clinic.models import Role


@dataclass(frozen=True, slots=True)
class SectionSpec:
    key: str
    title: str
    template: str
    order: int
    provider: Callable
    width: str = "col-lg-6"


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    template: str
    width: str
    context: dict


REGISTRY: dict[Role, dict[str, SectionSpec]] = {role: {} for role in Role}


def register(
    role: Role, key: str, *, title: str, template: str, order: int = 100, width: str = "col-lg-6"
):
    def decorator(provider: Callable) -> Callable:
        REGISTRY[role][key] = SectionSpec(key, title, template, order, provider, width)
        return provider

    return decorator


def sections_for(request, role: Role) -> list[Section]:
    specs = sorted(REGISTRY[role].values(), key=lambda s: (s.order, s.key))
    return [
        Section(spec.key, spec.title, spec.template, spec.width, spec.provider(request) or {})
        for spec in specs
    ]
