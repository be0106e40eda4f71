"""The route recommender: assessment and screen findings in, ranked and explained routes out.

"Based on the skin condition or problem, the dermatologist determines the suitable administration
route" [skin]: this module recommends and explains, the dermatologist decides
(docs/clinical-rules.md > The workflow, step 2). It ranks the four routes of docs/clinical-rules.md
§Administration routes (never injection), scores each from that table's "suits" column weighted by
concern severity, applies the contraindication findings (``clinic.lib.screening``), and proposes the
"typical course".

Plain Python: no database, no models.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from clinic.lib.courses import (
    COURSES,
    ConcernScore,
    Course,
    depth_range,
)
from clinic.lib.product_screening import product_findings, product_route_findings
from clinic.lib.screening import (
    ALL_ROUTES,
    RULES_DOC,
    SCREEN_RULE,
    ClinicPolicy,
    Finding,
    Level,
    ProductFacts,
    ScreenFacts,
    area_names,
    findings_for,
    join_and,
    phototype_findings,
)
from clinic.lib.vocabulary import NEEDLING_ROUTES, Area, Concern, Route, Severity, SkinType

_SUITS = RULES_DOC + "Administration routes, suits column: "


# --- Input -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AssessmentFacts:
    """What the recommender needs from a skin assessment (docs/clinical-rules.md §Skin
    assessment)."""

    fitzpatrick: int
    skin_type: SkinType
    concerns: tuple[ConcernScore, ...]
    #: The acne IGA score (0 clear - 4 severe) when it was recorded [practice].
    iga: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.fitzpatrick <= 6:
            raise ValueError(f"Fitzpatrick phototype must be 1-6 (I-VI), got {self.fitzpatrick}")
        if self.iga is not None and not 0 <= self.iga <= 4:
            raise ValueError(f"IGA is 0-4, got {self.iga}")


# --- Output ------------------------------------------------------------------------------------


class Suitability(StrEnum):
    SUITABLE = "suitable"
    # docs/clinical-rules.md §Contraindication screen: "Caution" is allowed with a written
    # justification.
    CAUTION = "caution"
    BLOCKED = "blocked"  # refused


class ReasonLevel(StrEnum):
    BLOCKED = "blocked"  # a finding that refuses the route
    CAUTION = "caution"  # a finding that needs a written justification
    FIT = "fit"  # a concern the route suits
    UNFIT = "unfit"  # nothing in the assessment calls for the route


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    level: ReasonLevel
    text: str
    rule: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteAdvice:
    route: Route
    suitability: Suitability
    #: Blocks first, then cautions, then why the route fits (or does not).
    reasons: tuple[Reason, ...]
    #: 1 = best; None when blocked.
    rank: int | None
    #: One line tied to the concerns.
    rationale: str
    course: Course
    #: The ranking score (severity-weighted "suits" matches), shown for transparency.
    score: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    #: All four routes: ranked ones by rank, then the blocked ones.
    advice: tuple[RouteAdvice, ...]

    def for_route(self, route: Route) -> RouteAdvice:
        for advice in self.advice:
            if advice.route == route:
                return advice
        raise KeyError(route)

    @property
    def top(self) -> RouteAdvice | None:
        """The best route, or None when every route is blocked."""
        first = self.advice[0] if self.advice else None
        return first if first is not None and first.rank == 1 else None


# --- Needle depth ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class _Fit:
    """A route suits these concerns, at these severities (docs/clinical-rules.md's "suits"
    column)."""

    route: Route
    concerns: frozenset[Concern]
    severities: range = range(1, 5)
    rule: str


def _fit(route: Route, *concerns: Concern, rule: str, severities: range = range(1, 5)) -> _Fit:
    return _Fit(route=route, concerns=frozenset(concerns), severities=severities, rule=rule)


_MILD_TO_MODERATE = range(1, 4)  # 1 minimal, 2 mild, 3 moderate
_SEVERE = range(4, 5)

_FITS: tuple[_Fit, ...] = (
    _fit(
        Route.TOPICAL,
        Concern.REDNESS,
        Concern.ECZEMA,
        Concern.PSORIASIS,
        Concern.DEHYDRATION,
        rule=_SUITS + "topical suits sensitive and inflamed skin (rosacea, eczema, psoriasis, "
        "redness), dehydration",
    ),
    # [aesthetics] exosomes are "especially recommended for those with inflammation - such as
    # acne"; inflamed skin suits topical (docs/clinical-rules.md) and active acne is not needled
    # [practice].
    _fit(
        Route.TOPICAL,
        Concern.ACNE,
        rule=_SUITS + "topical suits inflamed skin; acne as inflammation [aesthetics]",
    ),
    # [practice] docs/clinical-rules.md is silent; an open or slow-healing wound is never needled or
    # lasered.
    _fit(
        Route.TOPICAL,
        Concern.SLOW_HEALING_WOUND,
        rule="[practice] a slow-healing wound is treated topically, never needled or lasered",
    ),
    # "mild to moderate": severe (4) tone, texture and lines are beyond transdermal delivery.
    _fit(
        Route.TRANSDERMAL,
        Concern.UNEVEN_TONE,
        Concern.HYPERPIGMENTATION,
        Concern.TEXTURE,
        Concern.FINE_LINES,
        severities=_MILD_TO_MODERATE,
        rule=_SUITS + "transdermal suits mild to moderate tone, texture and fine lines",
    ),
    # [practice] docs/clinical-rules.md is silent; under-eye circles are a tone concern of the thin
    # periorbital skin, where a tone-suited, non-needling route is the gentle first choice.
    _fit(
        Route.TRANSDERMAL,
        Concern.DARK_CIRCLES,
        rule="[practice] dark under-eye circles: a tone concern, suits transdermal delivery",
    ),
    _fit(
        Route.MICRONEEDLING,
        Concern.FINE_LINES,
        Concern.LAXITY,
        Concern.ACNE_SCARS,
        Concern.ENLARGED_PORES,
        Concern.MELASMA,
        Concern.HAIR_THINNING,
        rule=_SUITS + "microneedling suits wrinkles, laxity, acne scars, enlarged pores, melasma "
        "and deep pigmentation, hair thinning on the scalp",
    ),
    # "deep pigmentation": read as hyperpigmentation scored severe (4); milder is "tone".
    _fit(
        Route.MICRONEEDLING,
        Concern.HYPERPIGMENTATION,
        severities=_SEVERE,
        rule=_SUITS + "microneedling suits melasma and deep pigmentation",
    ),
    _fit(
        Route.LASER_ASSISTED,
        Concern.TEXTURE,
        Concern.ACNE_SCARS,
        rule=_SUITS + "laser-assisted suits texture, scars, photoageing",
    ),
    # Photoageing has no concern of its own; its sign among the concerns is fine lines/wrinkles.
    _fit(
        Route.LASER_ASSISTED,
        Concern.FINE_LINES,
        rule=_SUITS + "laser-assisted suits photoageing (fine lines and wrinkles)",
    ),
)

#: "sensitive ... skin" suits topical (docs/clinical-rules.md). A sensitive skin type counts as a
#: mild (2) concern: enough to tip a tie, not to outweigh a real concern [practice].
SENSITIVE_SKIN_POINTS = 2.0

#: Ties go to the least invasive route (topical < transdermal < microneedling < laser).
LEAST_INVASIVE_FIRST: tuple[Route, ...] = (
    Route.TOPICAL,
    Route.TRANSDERMAL,
    Route.MICRONEEDLING,
    Route.LASER_ASSISTED,
)

#: Why a route suits what drives it: the second half of its one-line rationale
#: (docs/clinical-rules.md > Administration routes, "what it is").
_WHY: dict[Route, str] = {
    Route.TOPICAL: "topical care is non-invasive, with minimal risk or downtime",
    Route.TRANSDERMAL: "transdermal delivery suits mild to moderate tone, texture and fine lines",
    Route.MICRONEEDLING: "deeper delivery needed; microneedling allows deeper penetration",
    Route.LASER_ASSISTED: "laser channels suit texture, scars and photoageing",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class _Driver:
    """One thing in the assessment that a route suits, and how much it counts."""

    label: str  # "melasma (3)"
    points: float
    where: str  # "on the face" or ""
    rule: str


def _drivers(
    route: Route, assessment: AssessmentFacts, concerns: Sequence[ConcernScore]
) -> list[_Driver]:
    """The concerns (and skin type) that ``route`` suits, heaviest first."""
    drivers = [
        _Driver(
            label=f"{c.concern.label.lower()} ({c.severity})",
            points=float(c.severity),
            where=f" on the {area_names(c.areas)}" if c.areas else "",
            rule=fit.rule,
        )
        for c in concerns
        for fit in _FITS
        if fit.route == route and c.concern in fit.concerns and c.severity in fit.severities
    ]
    if route == Route.TOPICAL and assessment.skin_type == SkinType.SENSITIVE:
        drivers.append(
            _Driver(
                label="sensitive skin",
                points=SENSITIVE_SKIN_POINTS,
                where="",
                rule=_SUITS + "topical suits sensitive and inflamed skin",
            )
        )
    return sorted(drivers, key=lambda d: -d.points)  # stable: the assessment's order breaks ties


def _rationale(route: Route, drivers: Sequence[_Driver]) -> str:
    """'Melasma (3) and acne scars (2): deeper delivery needed; microneedling allows ...'."""
    labels = join_and([d.label for d in drivers])
    return f"{labels[:1].upper()}{labels[1:]}: {_WHY[route]}"


# --- Findings the assessment itself raises -----------------------------------------------------


def _acne_findings(concerns: Iterable[ConcernScore]) -> list[Finding]:
    """Active acne scored moderate or severe blocks needling in its areas.

    docs/clinical-rules.md §Contraindication screen: "moderate or severe inflammatory acne in the
    area blocks microneedling and laser-assisted until settled; topical stays open". The
    assessment's own acne score is that fact, so it blocks even if the screen's flare answer was
    left unticked.
    """
    return [
        Finding(
            code="inflammatory_acne",
            level=Level.BLOCKED,
            routes=NEEDLING_ROUTES,
            areas=c.areas,
            reason=f"Active acne scored {c.severity} of 4 (moderate or severe)"
            + (f" on the {area_names(c.areas)}" if c.areas else "")
            + ": no needling until it settles; topical stays open",
            rule=SCREEN_RULE + "moderate or severe inflammatory acne in the area blocks "
            "microneedling and laser-assisted until settled; topical stays open",
        )
        for c in concerns
        if c.concern == Concern.ACNE and c.severity >= Severity.MODERATE
    ]


#: IGA 3 is moderate and 4 severe acne (the IGA scale) [practice].
IGA_MODERATE = 3


def _iga_findings(iga: int | None) -> list[Finding]:
    """Moderate or severe acne by its IGA score blocks needling, wherever the acne is.

    The same docs/clinical-rules.md row as _acne_findings: an IGA of 3 or 4 is moderate or severe
    inflammatory acne, even when the acne concern itself was left unscored. IGA is a whole-face
    grade with no areas, so the block has no area limit.
    """
    if iga is None or iga < IGA_MODERATE:
        return []
    grade = "moderate" if iga == IGA_MODERATE else "severe"
    return [
        Finding(
            code="inflammatory_acne_iga",
            level=Level.BLOCKED,
            routes=NEEDLING_ROUTES,
            reason=f"Acne IGA {iga} of 4 ({grade}): no needling until it settles; "
            "topical stays open",
            rule=SCREEN_RULE + "moderate or severe inflammatory acne in the area blocks "
            "microneedling and laser-assisted until settled; topical stays open",
        )
    ]


def _allergy_unchecked(product: ProductFacts) -> Finding:
    """[practice] A product chosen without the screen's answers: its allergy row was not checked."""
    return Finding(
        code="allergy_unchecked",
        level=Level.CAUTION,
        routes=ALL_ROUTES,
        reason=f"No screen answers given: the patient's allergies were not checked against "
        f"{product.name}",
        rule=SCREEN_RULE + "allergy to a product's source or ingredients blocks that product",
    )


# --- The recommender ---------------------------------------------------------------------------


def recommend(
    assessment: AssessmentFacts,
    *,
    findings: Sequence[Finding],
    policy: ClinicPolicy,
    product: ProductFacts | None = None,
    areas: Iterable[Area] | None = None,
    facts: ScreenFacts | None = None,
) -> Recommendation:
    """Rank and explain the four administration routes for one patient.

    - ``findings``: the latest screen's findings (``screening.screen_findings``). The Fitzpatrick
      IV-VI laser caution and the assessment's moderate/severe acne are added here.
    - ``product``: when given, ``product_findings`` apply and the routes it is not made for are
      blocked. Pass ``facts`` (the screen's answers) with it so that the patient's allergies are
      checked; without them the product gets an "allergy_unchecked" caution.
    - ``areas``: the treated areas, which scope area-bound findings, the concerns that count and
      the needle depths; default the areas of the concerns scored above 0.

    Ranking (deterministic): score = sum of the severities of the concerns the route suits
    (docs/clinical-rules.md's "suits" column, ``_FITS``); then a suitable route before a caution one
    of equal score; then the least invasive. Blocked routes are not ranked.
    """
    scored = [c for c in assessment.concerns if c.severity > 0]
    if areas is None:
        treated: frozenset[Area] = frozenset().union(*(c.areas for c in scored))
    else:
        treated = frozenset(areas)
    # A concern counts when it is in a treated area (or its area was not recorded).
    concerns = [c for c in scored if not treated or not c.areas or c.areas & treated]

    extra = [
        *phototype_findings(assessment.fitzpatrick),
        *_acne_findings(concerns),
        *_iga_findings(assessment.iga),
    ]
    if product is not None:
        extra += product_findings(product, facts=facts, policy=policy)
        extra += product_route_findings(product)
        if facts is None:
            extra.append(_allergy_unchecked(product))
    everything = list(dict.fromkeys([*findings, *extra]))  # the same finding twice counts once
    needling_blocked = all(
        any(f.level == Level.BLOCKED for f in findings_for(everything, route=r, areas=treated))
        for r in NEEDLING_ROUTES
    )

    advice = [
        _advise(route, assessment, concerns, everything, treated, needling_blocked)
        for route in LEAST_INVASIVE_FIRST
    ]
    ranked = sorted(
        (a for a in advice if a.suitability != Suitability.BLOCKED),
        key=lambda a: (
            -a.score,
            a.suitability == Suitability.CAUTION,
            LEAST_INVASIVE_FIRST.index(a.route),
        ),
    )
    ranked = [replace(a, rank=i) for i, a in enumerate(ranked, start=1)]
    blocked = [a for a in advice if a.suitability == Suitability.BLOCKED]
    return Recommendation(advice=(*ranked, *blocked))


def _advise(
    route: Route,
    assessment: AssessmentFacts,
    concerns: Sequence[ConcernScore],
    findings: Sequence[Finding],
    treated: frozenset[Area],
    needling_blocked: bool,
) -> RouteAdvice:
    """One route's advice, unranked (``recommend`` ranks them)."""
    applying = findings_for(findings, route=route, areas=treated)
    blocks = [f for f in applying if f.level == Level.BLOCKED]
    cautions = [f for f in applying if f.level == Level.CAUTION]
    drivers = _drivers(route, assessment, concerns)

    reasons = [
        Reason(level=ReasonLevel(f.level.value), text=f.reason, rule=f.rule)
        for f in (*blocks, *cautions)
    ]
    reasons += [
        Reason(level=ReasonLevel.FIT, text=f"Suits {d.label}{d.where}", rule=d.rule)
        for d in drivers
    ]
    # "anyone for whom needling is blocked" suits topical (docs/clinical-rules.md), if topical is
    # open itself.
    rescue = route == Route.TOPICAL and needling_blocked and not blocks
    if rescue:
        reasons.append(
            Reason(
                level=ReasonLevel.FIT,
                text="Microneedling and laser-assisted are both blocked for this patient",
                rule=_SUITS + "topical suits anyone for whom needling is blocked",
            )
        )
    if not drivers and not rescue:
        reasons.append(
            Reason(
                level=ReasonLevel.UNFIT,
                text=f"No assessed concern is one that {route.label.lower()} suits",
                rule=_SUITS.removesuffix(": "),
            )
        )

    if blocks:
        suitability = Suitability.BLOCKED
        rationale = f"Blocked: {blocks[0].reason}"
    else:
        suitability = Suitability.CAUTION if cautions else Suitability.SUITABLE
        if drivers:
            rationale = _rationale(route, drivers)
        elif rescue:
            rationale = "Needling is blocked: topical suits anyone for whom needling is blocked"
        else:
            rationale = f"No assessed concern calls for {route.label.lower()}"

    course = COURSES[route]
    if route == Route.MICRONEEDLING:
        depths = tuple(depth_range(area, concerns=concerns) for area in Area if area in treated)
        course = replace(course, depths=depths)
    return RouteAdvice(
        route=route,
        suitability=suitability,
        reasons=tuple(reasons),
        rank=None,
        rationale=rationale,
        course=course,
        score=sum(d.points for d in drivers),
    )
