"""What a screen's page says: per route, what the screen's findings stop and where; and every
answer the screen recorded.

The findings come from the screening rules (clinic.lib.screening), read as they are: a finding
confined to some areas (an infection, a flare, a lesion) stops the route there only, and the
page says so ("Blocked in the neck") instead of blocking the route everywhere.
"""

import datetime as dt
from dataclasses import dataclass

from clinic.lib.screening import Finding, Level, area_names
from clinic.lib.vocabulary import Allergen, Area, Route
from patients.models import Screen


@dataclass(frozen=True, slots=True)
class Status:
    text: str
    #: "blocked", "blocked_in", "caution", "caution_in" or "open": how the page styles it.
    kind: str


@dataclass(frozen=True, slots=True)
class RouteRow:
    route: Route
    blocked: list[Finding]
    caution: list[Finding]

    @property
    def findings(self) -> list[Finding]:
        return [*self.blocked, *self.caution]

    @property
    def statuses(self) -> list[Status]:
        """ "Blocked", or "Blocked in the neck" and what holds elsewhere; "Open" when nothing."""
        if any(not f.areas for f in self.blocked):
            return [Status("Blocked", "blocked")]
        statuses = []
        if areas := _areas(self.blocked):
            statuses.append(Status(f"Blocked in the {areas}", "blocked_in"))
        if any(not f.areas for f in self.caution):
            statuses.append(Status("Caution", "caution"))
        elif areas := _areas(self.caution):
            statuses.append(Status(f"Caution in the {areas}", "caution_in"))
        if self.blocked and not self.caution:
            statuses.append(Status("Open elsewhere", "open"))
        return statuses or [Status("Open", "open")]


def _areas(findings: list[Finding]) -> str:
    return area_names(frozenset().union(*(f.areas for f in findings)))


def route_rows(findings: list[Finding]) -> list[RouteRow]:
    """One row per route with the findings that touch it, blocks first."""
    return [
        RouteRow(
            route=route,
            blocked=[f for f in findings if route in f.routes and f.level == Level.BLOCKED],
            caution=[f for f in findings if route in f.routes and f.level == Level.CAUTION],
        )
        for route in Route
    ]


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    answer: str
    #: A "yes", an area, a date or an allergen: something the screen found.
    positive: bool


NONE = "None recorded"

#: The screen's questions grouped as the form asks them (templates/patients/_screen_questions.html).
ANSWER_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "In the treatment areas",
        ("active_infection_areas", "inflammatory_flare_areas", "lesion_areas"),
    ),
    (
        "Medicines and conditions",
        (
            "isotretinoin_last_taken",
            "anticoagulant",
            "antiplatelet",
            "bleeding_disorder",
            "keloid_history",
            "immunosuppressed",
            "uncontrolled_diabetes",
            "pregnant_or_breastfeeding",
            "current_medications",
        ),
    ),
    ("Recent sun and procedures", ("last_sunburn_or_tan", "last_peel_or_laser")),
    ("Allergies", ("allergens", "other_allergies")),
    ("Notes", ("notes",)),
)


def _answer(screen: Screen, name: str) -> Answer:
    field = Screen._meta.get_field(name)
    question = str(field.verbose_name)
    question = question[:1].upper() + question[1:]
    value = getattr(screen, name)
    if name == "allergens":
        labels = [a.label for a in Allergen if a.value in value]
        return Answer(question, ", ".join(labels) or NONE, bool(labels))
    if name.endswith("_areas"):
        labels = [a.label for a in Area if a.value in value]
        return Answer(question, ", ".join(labels) or "No", bool(labels))
    if isinstance(value, bool):
        return Answer(question, "Yes" if value else "No", value)
    if isinstance(value, dt.date):
        return Answer(question, f"{value.day} {value:%b %Y}", True)
    if value is None:
        return Answer(question, "Never" if name == "isotretinoin_last_taken" else NONE, False)
    text = value.strip()
    return Answer(question, text or NONE, bool(text) and name != "notes")


def screen_answers(screen: Screen) -> list[tuple[str, list[Answer]]]:
    """Every answer of the screen, ticked or not, under the form's own headings."""
    return [
        (heading, [_answer(screen, name) for name in names]) for heading, names in ANSWER_GROUPS
    ]
