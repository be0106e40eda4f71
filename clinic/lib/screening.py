"""Contraindication screen: a patient's dated answers in, findings out.

Implements the table of docs/clinical-rules.md §Contraindication screen [practice]. Each row of that
table is one row of ``_RULES`` below (or, for the two rows that need more than the screen's answers,
of ``product_findings`` and ``phototype_findings``). A row that fires yields one ``Finding`` that
names the patient fact, the routes it touches, the areas it is confined to and the
docs/clinical-rules.md rule.

"Blocks" is absolute: the software refuses it. "Caution" is relative: allowed with a written
justification, which is kept (docs/clinical-rules.md §Contraindication screen).

Plain Python: no database, no models. Dates in, dates out; ``on`` is the intended treatment date.
"""

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from clinic.lib.vocabulary import (
    NEEDLING_ROUTES,
    Allergen,
    Area,
    Fitzpatrick,
    ProductSource,
    Route,
)

#: Every administration route. There is no injection route (docs/clinical-rules.md §Never
#: injection).
ALL_ROUTES: frozenset[Route] = frozenset(Route)

#: How rules cite docs/clinical-rules.md: "docs/clinical-rules.md, angle quote, section: rule", as
#: the UI shows them. The angle quote is spelt by name so that it cannot be mistaken for ">" in the
#: source.
RULES_DOC = "docs/clinical-rules.md \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} "
SCREEN_RULE = RULES_DOC + "Contraindication screen: "


class Level(StrEnum):
    """How hard a finding stops a route (docs/clinical-rules.md §Contraindication screen, last
    line)."""

    BLOCKED = "blocked"  # absolute: the software refuses it
    CAUTION = "caution"  # relative: allowed with a written justification, kept


@dataclass(frozen=True, slots=True, kw_only=True)
class ClinicPolicy:
    """The clinic settings that docs/clinical-rules.md leaves to the clinic.

    - human-derived exosomes: "a clinic setting says whether they may be used, and by default they
      may not" (docs/clinical-rules.md §Exosome products);
    - pregnancy or breastfeeding: "no exosome treatment by default (no safety data); a clinic
      setting" (docs/clinical-rules.md §Contraindication screen);
    - isotretinoin in the last 6 months: caution, "a clinic setting can make it a block" (ibid.).
    """

    human_derived_allowed: bool = False
    pregnancy_blocks: bool = True
    isotretinoin_blocks: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ScreenFacts:
    """The answers of one dated contraindication screen (docs/clinical-rules.md §Contraindication
    screen).

    Yes/no and per-area answers describe the patient as at ``screened_on``; docs/clinical-rules.md
    asks the screen again on the day of every session ("anything changed?") so they stay current.
    Dated answers (isotretinoin, sunburn, peel/laser) are measured against the treatment date
    instead.
    """

    screened_on: date
    #: Bacterial, viral (e.g. cold sores) or fungal skin infection, per area.
    active_infection_areas: frozenset[Area] = frozenset()
    isotretinoin_last_taken: date | None = None
    #: Keloid or hypertrophic scarring history.
    keloid_history: bool = False
    bleeding_disorder: bool = False
    #: Warfarin, DOACs.
    anticoagulant: bool = False
    #: e.g. aspirin, clopidogrel.
    antiplatelet: bool = False
    #: Active eczema/psoriasis/rosacea flare, or moderate/severe inflammatory acne, per area.
    inflammatory_flare_areas: frozenset[Area] = frozenset()
    last_sunburn_or_tan: date | None = None
    #: Last chemical peel or laser treatment.
    last_peel_or_laser: date | None = None
    pregnant_or_breastfeeding: bool = False
    immunosuppressed: bool = False
    uncontrolled_diabetes: bool = False
    #: Skin cancer or an unassessed lesion, per area.
    lesion_areas: frozenset[Area] = frozenset()
    allergens: frozenset[Allergen] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One fired rule: what it stops, how hard, where, why, and which docs/clinical-rules.md rule
    says so."""

    #: Stable short id (e.g. "active_infection"), used by tests and the UI.
    code: str
    level: Level
    #: The routes it applies to.
    routes: frozenset[Route]
    #: The treated areas it is confined to; empty = whatever the treated area.
    areas: frozenset[Area] = frozenset()
    #: Plain English for the clinician, naming the patient fact that fired.
    reason: str
    #: The docs/clinical-rules.md rule, e.g. "docs/clinical-rules.md §Contraindication screen:
    #: keloid ...".
    rule: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductFacts:
    """What the rules need to know about an exosome product (docs/clinical-rules.md §Exosome
    products)."""

    name: str
    source: ProductSource
    #: e.g. "salmon" for an animal-derived product.
    species: str = ""
    allergens: frozenset[Allergen] = frozenset()
    #: The routes the product is made for.
    routes: frozenset[Route]


# --- Dates -------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clamped to the end of a shorter month.

    31 August + 6 months = 28 (or 29) February: the window must not overflow into March, nor
    raise. No dateutil needed.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """A look-back window such as "in the last 6 months" or "in the last 2 weeks".

    Boundary: the patient is clear *from* the day the whole window has passed since the event
    (isotretinoin last taken 1 August 2026 -> clear from 1 February 2027), which is what the
    product label's "wait 6 months" means. Any earlier treatment date, including one before the
    event itself (a mistyped or planned date), is inside the window: the conservative side.
    """

    months: int = 0
    days: int = 0

    def clear_from(self, event: date) -> date:
        return add_months(event, self.months) + timedelta(days=self.days)

    def contains(self, event: date, *, on: date) -> bool:
        return on < self.clear_from(event)


SIX_MONTHS = Window(months=6)
TWO_WEEKS = Window(days=14)


# --- Wording -----------------------------------------------------------------------------------


def join_and(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def area_names(areas: Iterable[Area]) -> str:
    """Areas in docs/clinical-rules.md's order, in words: "face and scalp"."""
    chosen = set(areas)
    return join_and([lower_first(area.label) for area in Area if area in chosen])


# --- The table ---------------------------------------------------------------------------------

#: What a row reads from the screen: a yes/no answer, a date, or the areas where it applies.
_Fact = Callable[[ScreenFacts], bool | date | frozenset[Area] | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Rule:
    """One row of docs/clinical-rules.md's contraindication table.

    ``reason`` is a template: ``{areas}`` for per-area answers; ``{date}``, ``{on}`` and
    ``{clear_from}`` for dated answers (which need a ``window``).
    """

    code: str
    fact: _Fact
    routes: frozenset[Route]
    level: Level
    reason: str
    rule: str
    window: Window | None = None
    #: For the rows docs/clinical-rules.md leaves to "a clinic setting": True turns the caution into
    #: a block.
    policy_blocks: Callable[[ClinicPolicy], bool] | None = None


# The needling-only rows use NEEDLING_ROUTES (microneedling and laser-assisted), exactly as the
# table says "blocks microneedling and laser-assisted". Transdermal delivery diffuses across an
# intact stratum corneum (docs/clinical-rules.md §Administration routes) and topical is
# non-invasive: neither breaks the skin, so those rows leave both open.
_RULES: tuple[_Rule, ...] = (
    _Rule(
        code="active_infection",
        fact=lambda f: f.active_infection_areas,
        routes=NEEDLING_ROUTES,
        level=Level.BLOCKED,
        reason="Active skin infection (bacterial, viral such as cold sores, or fungal) on the "
        "{areas}: postpone until it has cleared",
        rule=SCREEN_RULE + "active skin infection in the area blocks microneedling and "
        "laser-assisted",
    ),
    _Rule(
        code="isotretinoin",
        fact=lambda f: f.isotretinoin_last_taken,
        window=SIX_MONTHS,
        routes=NEEDLING_ROUTES,
        level=Level.CAUTION,
        policy_blocks=lambda p: p.isotretinoin_blocks,
        reason="Isotretinoin last taken {date}, within 6 months of {on} (clear from {clear_from})",
        rule=SCREEN_RULE + "isotretinoin in the last 6 months: caution for microneedling and "
        "laser-assisted; a clinic setting can make it a block",
    ),
    _Rule(
        code="keloid",
        fact=lambda f: f.keloid_history,
        routes=NEEDLING_ROUTES,
        level=Level.BLOCKED,
        reason="History of keloid or hypertrophic scarring",
        rule=SCREEN_RULE + "keloid or hypertrophic scarring history blocks microneedling and "
        "laser-assisted",
    ),
    _Rule(
        code="bleeding_disorder",
        fact=lambda f: f.bleeding_disorder,
        routes=NEEDLING_ROUTES,
        level=Level.BLOCKED,
        reason="Bleeding disorder",
        rule=SCREEN_RULE + "bleeding disorder or anticoagulant blocks microneedling and "
        "laser-assisted",
    ),
    _Rule(
        code="anticoagulant",
        fact=lambda f: f.anticoagulant,
        routes=NEEDLING_ROUTES,
        level=Level.BLOCKED,
        reason="Takes an anticoagulant (warfarin or a DOAC)",
        rule=SCREEN_RULE + "bleeding disorder or anticoagulant blocks microneedling and "
        "laser-assisted",
    ),
    _Rule(
        code="antiplatelet",
        fact=lambda f: f.antiplatelet,
        routes=NEEDLING_ROUTES,
        level=Level.CAUTION,
        reason="Takes an antiplatelet (e.g. aspirin, clopidogrel)",
        rule=SCREEN_RULE + "antiplatelets: caution",
    ),
    _Rule(
        code="inflammatory_flare",
        fact=lambda f: f.inflammatory_flare_areas,
        routes=NEEDLING_ROUTES,
        level=Level.BLOCKED,
        reason="Active eczema, psoriasis or rosacea flare, or moderate to severe inflammatory "
        "acne, on the {areas}: no needling until it settles; topical stays open",
        rule=SCREEN_RULE + "active flare or moderate/severe inflammatory acne in the area blocks "
        "microneedling and laser-assisted until settled; topical stays open",
    ),
    _Rule(
        code="recent_sun",
        fact=lambda f: f.last_sunburn_or_tan,
        window=TWO_WEEKS,
        routes=NEEDLING_ROUTES,
        level=Level.BLOCKED,
        reason="Sunburn or tanning on {date}, within 2 weeks of {on} (clear from {clear_from})",
        rule=SCREEN_RULE + "sunburn or tanning in the last 2 weeks blocks microneedling and "
        "laser-assisted",
    ),
    _Rule(
        code="recent_peel_or_laser",
        fact=lambda f: f.last_peel_or_laser,
        window=TWO_WEEKS,
        routes=NEEDLING_ROUTES,
        level=Level.BLOCKED,
        reason="Chemical peel or laser on {date}, within 2 weeks of {on} (clear from {clear_from})",
        rule=SCREEN_RULE + "chemical peel or laser in the last 2 weeks blocks microneedling and "
        "laser-assisted",
    ),
    _Rule(
        code="pregnancy",
        fact=lambda f: f.pregnant_or_breastfeeding,
        routes=ALL_ROUTES,
        level=Level.CAUTION,
        policy_blocks=lambda p: p.pregnancy_blocks,
        reason="Pregnant or breastfeeding: there is no safety data for exosome treatment",
        rule=SCREEN_RULE + "pregnant or breastfeeding: no exosome treatment by default (no safety "
        "data); a clinic setting",
    ),
    _Rule(
        code="immunosuppressed",
        fact=lambda f: f.immunosuppressed,
        routes=NEEDLING_ROUTES,
        level=Level.CAUTION,
        reason="Immunosuppressed: needling needs a documented reason to go ahead",
        rule=SCREEN_RULE + "immunosuppression: caution, needs a documented reason to go ahead with "
        "needling",
    ),
    _Rule(
        code="uncontrolled_diabetes",
        fact=lambda f: f.uncontrolled_diabetes,
        routes=NEEDLING_ROUTES,
        level=Level.CAUTION,
        reason="Uncontrolled diabetes: needling needs a documented reason to go ahead",
        rule=SCREEN_RULE + "uncontrolled diabetes: caution, needs a documented reason to go ahead "
        "with needling",
    ),
    _Rule(
        code="lesion",
        fact=lambda f: f.lesion_areas,
        # Unlike the needling rows this one stops topical too: nothing goes on an unassessed
        # lesion, whatever the route.
        routes=ALL_ROUTES,
        level=Level.BLOCKED,
        reason="Skin cancer or an unassessed lesion on the {areas}: no treatment there until "
        "it has been assessed",
        rule=SCREEN_RULE + "skin cancer or an unassessed lesion in the area blocks all routes "
        "in that area",
    ),
)

_POLICY_SAYS = {
    Level.BLOCKED: "; the clinic's setting makes this a block",
    Level.CAUTION: "; the clinic's setting allows it with a written justification",
}


def _fire(rule: _Rule, facts: ScreenFacts, *, policy: ClinicPolicy, on: date) -> Finding | None:
    """The finding of one row, or None when the patient's answer does not trigger it."""
    value = rule.fact(facts)
    areas: frozenset[Area] = frozenset()
    details: dict[str, str] = {}
    if value is None or value is False:
        return None
    if isinstance(value, frozenset):  # a per-area answer: fires in, and only in, those areas
        if not value:
            return None
        areas = value
        details["areas"] = area_names(value)
    elif isinstance(value, date):  # a dated answer: fires inside its window
        if rule.window is None:
            raise TypeError(f"rule {rule.code!r} reads a date but has no window")
        if not rule.window.contains(value, on=on):
            return None
        details |= {
            "date": value.isoformat(),
            "on": on.isoformat(),
            "clear_from": rule.window.clear_from(value).isoformat(),
        }
    level = Level.BLOCKED if rule.policy_blocks and rule.policy_blocks(policy) else rule.level
    reason = rule.reason.format(**details)
    if rule.policy_blocks:  # say that the level is the clinic's choice, not a fixed rule
        reason += _POLICY_SAYS[level]
    return Finding(
        code=rule.code, level=level, routes=rule.routes, areas=areas, reason=reason, rule=rule.rule
    )


def screen_findings(facts: ScreenFacts, *, policy: ClinicPolicy, on: date) -> list[Finding]:
    """Every finding of docs/clinical-rules.md's contraindication table that fires for this screen.

    ``on`` is the date of the intended treatment: the dated windows ("in the last 6 months",
    "in the last 2 weeks") are measured to it (see ``Window`` for the exact boundary). One finding
    per fired row, in the table's order. The allergy row needs a product (``product_findings``),
    the Fitzpatrick row the assessment (``phototype_findings``).
    """
    fired = (_fire(rule, facts, policy=policy, on=on) for rule in _RULES)
    return [finding for finding in fired if finding is not None]




# --- Phototype row -----------------------------------------------------------------------------


def phototype_findings(fitzpatrick: int) -> list[Finding]:
    """Fitzpatrick IV-VI with laser-assisted: caution, pigmentation risk, prefer microneedling.

    docs/clinical-rules.md §Contraindication screen, last row; and > Skin assessment: IV-VI have a
    higher risk of post-inflammatory hyperpigmentation.
    """
    phototype = Fitzpatrick(fitzpatrick)  # ValueError outside I-VI
    if phototype < Fitzpatrick.IV:
        return []
    return [
        Finding(
            code="phototype_laser",
            level=Level.CAUTION,
            routes=frozenset({Route.LASER_ASSISTED}),
            reason=f"Fitzpatrick {phototype.label}: higher risk of post-inflammatory "
            "hyperpigmentation with laser; prefer microneedling",
            rule=SCREEN_RULE + "Fitzpatrick IV-VI with laser-assisted: caution (pigmentation "
            "risk), prefer microneedling",
        )
    ]


# --- Filtering ---------------------------------------------------------------------------------


def findings_for(
    findings: Iterable[Finding], *, route: Route, areas: Iterable[Area] | None = None
) -> list[Finding]:
    """The findings that apply to ``route`` and to the treated ``areas``.

    A finding confined to some areas applies when it shares one with the treated areas. When the
    treated areas are unknown (None, or empty) every finding applies: not knowing where the
    needle goes must not hide a lesion or an infection.
    """
    treated = frozenset(areas or ())
    return [
        finding
        for finding in findings
        if route in finding.routes
        and (not finding.areas or not treated or bool(finding.areas & treated))
    ]
