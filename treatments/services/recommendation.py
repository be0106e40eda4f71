"""The route recommendation for one assessment, read from the database and checked against a choice.

The clinical rules themselves live in clinic.lib.routes and clinic.lib.screening (plain Python,
no database). This module gathers their inputs for one patient (the assessment's concerns, the
latest contraindication screen, the clinic's policy, the chosen product and areas), and says what
is wrong with a dermatologist's choice, field by field, in the words the plan page shows.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from clinic.lib.product_screening import product_findings
from clinic.lib.routes import (
    AssessmentFacts,
    ConcernScore,
    Recommendation,
    Suitability,
    depth_range,
    recommend,
)
from clinic.lib.screening import (
    ClinicPolicy,
    Finding,
    ScreenFacts,
    screen_findings,
)
from clinic.lib.vocabulary import Area, Concern, Route, SkinType
from patients.models import Assessment, Screen
from treatments.models import PlanState, Product

NO_SCREEN = (
    "Record a contraindication screen first: a plan can be saved as a draft, but not planned, "
    "until the patient has been screened."
)


def assessment_facts(assessment: Assessment) -> AssessmentFacts:
    """The assessment as the recommender reads it (uses prefetched concerns when there)."""
    return AssessmentFacts(
        fitzpatrick=assessment.fitzpatrick,
        skin_type=SkinType(assessment.skin_type),
        iga=assessment.iga,
        concerns=tuple(
            ConcernScore(
                concern=Concern(c.concern),
                severity=c.severity,
                areas=frozenset(Area(a) for a in c.areas),
            )
            for c in assessment.concerns.all()
        ),
    )


def latest_screen(patient) -> Screen | None:
    """The patient's most recent screen: the one the recommendation reads (Screen's ordering)."""
    return patient.screens.order_by("-screened_on", "-created_at", "-pk").first()


def route_name(route: str) -> str:
    """'microneedling', 'laser-assisted infusion': a route in the middle of a sentence."""
    return Route(route).label.lower()


def area_name(area: str) -> str:
    """'face', 'décolletage': an area in the middle of a sentence."""
    return Area(area).label.lower()


@dataclass
class PlanContext:
    """Everything the plan page needs to know about one patient's assessment, fetched once."""

    assessment: Assessment
    screen: Screen | None
    policy: ClinicPolicy
    on: dt.date
    products: list[Product] = field(default_factory=list)

    @cached_property
    def facts(self) -> AssessmentFacts:
        return assessment_facts(self.assessment)

    @cached_property
    def screen_facts(self) -> ScreenFacts | None:
        return self.screen.facts() if self.screen is not None else None

    @cached_property
    def findings(self) -> list[Finding]:
        if self.screen_facts is None:
            return []
        return screen_findings(self.screen_facts, policy=self.policy, on=self.on)

    def recommend(
        self, *, product: Product | None = None, areas: Iterable[str] | None = None
    ) -> Recommendation:
        return recommend(
            self.facts,
            findings=self.findings,
            policy=self.policy,
            product=product.facts() if product is not None else None,
            areas=[Area(a) for a in areas] if areas else None,
            facts=self.screen_facts,
        )

    def product_problems(self, product: Product) -> list[str]:
        """Why this product may not be used for this patient at all (policy, allergy, stock)."""
        problems = [
            f"{finding.reason}."
            for finding in product_findings(
                product.facts(), facts=self.screen_facts, policy=self.policy
            )
        ]
        if not product.active:
            problems.append(f"{product.name} is no longer stocked by the clinic.")
        return problems

    @cached_property
    def offered_products(self) -> list[Product]:
        """Products that may be offered for this patient: allowed by policy, no allergy."""
        return [p for p in self.products if not self.product_problems(p)]

    @cached_property
    def concern_scores(self) -> tuple[ConcernScore, ...]:
        return self.facts.concerns

    @cached_property
    def default_areas(self) -> list[str]:
        """The areas of the concerns scored above 0, in docs/clinical-rules.md's order."""
        chosen = {a for c in self.concern_scores if c.severity > 0 for a in c.areas}
        return [area.value for area in Area if area in chosen]


def plan_context(assessment: Assessment, *, policy: ClinicPolicy, on: dt.date) -> PlanContext:
    """Fetch what the plan page needs in a fixed number of queries."""
    screen = latest_screen(assessment.patient)
    products = list(Product.objects.filter(active=True).order_by("name"))
    return PlanContext(
        assessment=assessment, screen=screen, policy=policy, on=on, products=products
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """What the dermatologist chose on the plan page (already parsed into Python types)."""

    route: str
    product: Product | None
    areas: tuple[str, ...]
    depths: dict[str, Decimal]
    justification: str
    state: str = PlanState.DRAFT


def justification_needed(rec: Recommendation, route: str) -> str:
    """The message asking for a written justification, or "" when none is needed.

    docs/clinical-rules.md §Contraindication screen: a caution is allowed with a written
    justification, kept. Choosing a route other than the top-ranked one also needs one: the software
    recommends and explains, the dermatologist decides and says why (docs/clinical-rules.md
    §Workflow, step 2).
    """
    advice = rec.for_route(Route(route))
    if advice.suitability == Suitability.CAUTION:
        return f"{advice.route.label} has cautions: explain why it is safe to go ahead."
    top = rec.top
    if top is not None and top.route != advice.route:
        return (
            f"Explain why you chose {route_name(route)} over the recommended "
            f"{route_name(top.route)}."
        )
    return ""


def choice_errors(ctx: PlanContext, choice: Choice) -> tuple[dict[str, list[str]], Recommendation]:
    """What is wrong with ``choice`` for this patient, by form field ("__all__" for the plan).

    Returns the errors and the recommendation the choice was checked against (the one to keep).
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    route = Route(choice.route)
    product = choice.product
    product_ok = product is not None
    if product is not None:
        for problem in ctx.product_problems(product):
            add("product", problem)
            product_ok = False
        if product_ok and route.value not in product.routes:
            made_for = ", ".join(label.lower() for label in product.route_labels)
            add(
                "product",
                f"{product.name} is not made for {route_name(route)} (made for {made_for}).",
            )
            product_ok = False

    # Checked with the product only once the product itself is fine, so that a route is never
    # reported blocked merely because of a product the product field already refuses.
    rec = ctx.recommend(product=product if product_ok else None, areas=choice.areas)
    advice = rec.for_route(route)
    if advice.suitability == Suitability.BLOCKED:
        blocks = [r.text for r in advice.reasons if r.level == "blocked"]
        add("route", f"{route.label} is blocked: {'; '.join(blocks)}.")
    elif not choice.justification.strip():
        # Without a screen the product's allergy row cannot be checked, which cautions every
        # route; that is shown, but it asks for no justification: "planned" needs a screen.
        judged = rec if ctx.screen is not None else ctx.recommend(areas=choice.areas)
        needed = justification_needed(judged, route)
        if needed:
            add("justification", needed)

    if route == Route.MICRONEEDLING:
        for area in choice.areas:
            depth = choice.depths.get(area)
            limit = depth_range(Area(area), concerns=ctx.concern_scores)
            if depth is None:
                add(f"depth_{area}", f"Give the needle depth for the {area_name(area)}.")
            elif not limit.contains(depth):
                add(
                    f"depth_{area}",
                    f"Needle depth for {area_name(area)} is {limit.min_mm}–{limit.max_mm} mm.",
                )

    if choice.state == PlanState.PLANNED:
        if product is None:
            add("product", "Choose a product before saving the plan as planned.")
        if ctx.screen is None:
            add("__all__", NO_SCREEN)
    return errors, rec


def snapshot(rec: Recommendation, ctx: PlanContext, choice: Choice) -> dict:
    """The recommendation as shown when the plan was saved, kept with the plan as JSON."""
    return {
        "computed_on": ctx.on.isoformat(),
        "screen_id": ctx.screen.pk if ctx.screen is not None else None,
        "screened_on": ctx.screen.screened_on.isoformat() if ctx.screen is not None else None,
        "product": choice.product.name if choice.product is not None else None,
        "areas": list(choice.areas),
        "routes": [
            {
                "route": advice.route.value,
                "label": advice.route.label,
                "suitability": advice.suitability.value,
                "rank": advice.rank,
                "rationale": advice.rationale,
                "score": advice.score,
                "course": advice.course.text,
                "depths": [
                    {"area": d.area.value, "min_mm": str(d.min_mm), "max_mm": str(d.max_mm)}
                    for d in advice.course.depths
                ],
                "reasons": [
                    {"level": r.level.value, "text": r.text, "rule": r.rule} for r in advice.reasons
                ],
            }
            for advice in rec.advice
        ],
    }
