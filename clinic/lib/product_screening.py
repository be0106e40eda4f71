"""A product against the patient: allergens from its source, and the routes it is made for.

docs/clinical-rules.md > Exosome products and the allergy row of the contraindication screen
[practice]: an allergy to the product's source (a fish-derived product and a fish allergy) blocks
it, a human-derived product follows the clinic's policy, and a product is used only on its routes.

Plain Python: no database, no models.
"""

import re

from clinic.lib.screening import (
    ALL_ROUTES,
    RULES_DOC,
    SCREEN_RULE,
    ClinicPolicy,
    Finding,
    Level,
    ProductFacts,
    ScreenFacts,
    join_and,
    lower_first,
)
from clinic.lib.vocabulary import Allergen, ProductSource, Route

# --- Product rows ------------------------------------------------------------------------------

#: [practice] A product's source species implies allergens even when the catalogue entry forgot
#: to list them: docs/clinical-rules.md's own example is "fish for salmon-derived products". Matched
#: on whole words of ``ProductFacts.species``.
_SPECIES_ALLERGENS: dict[str, Allergen] = {
    "salmon": Allergen.FISH,
    "trout": Allergen.FISH,
    "cod": Allergen.FISH,
    "fish": Allergen.FISH,
    "bovine": Allergen.BOVINE,
    "cow": Allergen.BOVINE,
    "cattle": Allergen.BOVINE,
    "calf": Allergen.BOVINE,
    "porcine": Allergen.PORCINE,
    "pig": Allergen.PORCINE,
    "swine": Allergen.PORCINE,
    "soy": Allergen.SOY,
    "soya": Allergen.SOY,
    "soybean": Allergen.SOY,
    "egg": Allergen.EGG,
}


def product_allergens(product: ProductFacts) -> frozenset[Allergen]:
    """The product's listed allergens plus those its source species implies."""
    words = re.findall(r"[a-z]+", product.species.lower())
    implied = {_SPECIES_ALLERGENS[word] for word in words if word in _SPECIES_ALLERGENS}
    return product.allergens | implied


def _product_name(product: ProductFacts) -> str:
    """'E-50 (animal-derived: salmon)'."""
    source = lower_first(product.source.label)
    if product.species:
        source += f": {product.species}"
    return f"{product.name} ({source})"


def product_findings(
    product: ProductFacts, *, facts: ScreenFacts | None, policy: ClinicPolicy
) -> list[Finding]:
    """Findings that block a product whatever the route.

    - Human-derived while the clinic does not allow it (docs/clinical-rules.md §Exosome products:
      "illegal in most parts of the world"; a clinic setting, off by default) -> code
      "human_derived_forbidden".
    - The patient is allergic to the product's source or ingredients (docs/clinical-rules.md >
      Contraindication screen: "allergy to a product's source or ingredients ... blocks that
      product") -> code "product_allergy". Skipped when ``facts`` is None (no screen to compare
      with).
    """
    findings: list[Finding] = []
    if product.source == ProductSource.HUMAN and not policy.human_derived_allowed:
        findings.append(
            Finding(
                code="human_derived_forbidden",
                level=Level.BLOCKED,
                routes=ALL_ROUTES,
                reason=f"{_product_name(product)} is human-derived, and the clinic's setting "
                "does not allow human-derived exosomes",
                rule=RULES_DOC + "Exosome products: human-derived exosomes are illegal in most "
                "parts of the world; a clinic setting, by default they may not be used",
            )
        )
    shared = facts.allergens & product_allergens(product) if facts is not None else frozenset()
    if shared:
        names = join_and([lower_first(a.label) for a in Allergen if a in shared])
        findings.append(
            Finding(
                code="product_allergy",
                level=Level.BLOCKED,
                routes=ALL_ROUTES,
                reason=f"Allergic to {names}, which {_product_name(product)} contains",
                rule=SCREEN_RULE + "allergy to a product's source or ingredients (e.g. fish for "
                "salmon-derived products) blocks that product",
            )
        )
    return findings


def product_route_findings(product: ProductFacts) -> list[Finding]:
    """Block the routes a product is not made for (a serum for topical use is not lasered in)."""
    other = ALL_ROUTES - product.routes
    if not other:
        return []
    made_for = join_and([route.label.lower() for route in Route if route in product.routes])
    return [
        Finding(
            code="product_route",
            level=Level.BLOCKED,
            routes=frozenset(other),
            reason=f"{product.name} is not made for this route (made for {made_for or 'no route'})",
            rule=RULES_DOC + "Administration routes: the route and the formulation are chosen "
            "together; a product is used only for the routes it is made for",
        )
    ]
