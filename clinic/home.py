"""The sections of each role's home page, contributed by the apps that own their content.

A provider is ``provider(request) -> dict`` (the section's template context) registered for a role
under a key, with an order and a title. Registering the same role and key again replaces the
section: the clinic registers honest empty states first, and the app that owns the content
(scheduling, sessions, the portal) replaces them. Providers run a fixed number of queries.
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


def _empty(request) -> dict:
    return {}


# Honest empty states until the owning feature registers the real section under the same key.
register(
    Role.DERMATOLOGIST,
    "today",
    title="Today's sessions",
    template="clinic/sections/empty_today.html",
    order=10,
    width="col-lg-7",
)(_empty)
register(
    Role.DERMATOLOGIST,
    "tasks",
    title="Open tasks",
    template="clinic/sections/empty_tasks.html",
    order=20,
    width="col-lg-5",
)(_empty)
register(
    Role.FRONT_DESK,
    "schedule",
    title="Appointments today",
    template="clinic/sections/empty_schedule.html",
    order=10,
    width="col-12",
)(_empty)
register(
    Role.PATIENT,
    "upcoming",
    title="Your upcoming sessions",
    template="clinic/sections/empty_upcoming.html",
    order=10,
    width="col-lg-7",
)(_empty)
register(
    Role.PATIENT,
    "aftercare",
    title="Aftercare",
    template="clinic/sections/empty_aftercare.html",
    order=20,
    width="col-lg-5",
)(_empty)
