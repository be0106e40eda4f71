"""The clinic's clinical vocabulary, in the words of docs/clinical-rules.md.

Plain enumerations shared by the models (as field choices) and by the pure
clinical rule modules (screening, route recommendation, aftercare). Nothing
here touches the database.
"""

from django.db import models


class Route(models.TextChoices):
    """Administration routes (docs/clinical-rules.md §Administration routes).

    There is deliberately no injection route: no exosome product is approved,
    so they "are not allowed to be injected" [aesthetics].
    """

    TOPICAL = "topical", "Topical"
    TRANSDERMAL = "transdermal", "Transdermal"
    MICRONEEDLING = "microneedling", "Microneedling"
    LASER_ASSISTED = "laser_assisted", "Laser-assisted infusion"


#: Routes that break the skin barrier (needles or laser channels).
NEEDLING_ROUTES = frozenset({Route.MICRONEEDLING, Route.LASER_ASSISTED})


class Area(models.TextChoices):
    """Treated areas (docs/clinical-rules.md §Skin assessment)."""

    FACE = "face", "Face"
    PERIORBITAL = "periorbital", "Periorbital"
    NECK = "neck", "Neck"
    DECOLLETAGE = "decolletage", "Décolletage"
    HANDS = "hands", "Hands"
    SCALP = "scalp", "Scalp"


class Concern(models.TextChoices):
    """Skin concerns, each scored 0-4 (docs/clinical-rules.md §Skin assessment)."""

    FINE_LINES = "fine_lines", "Fine lines / wrinkles"
    LAXITY = "laxity", "Loss of firmness (laxity)"
    HYPERPIGMENTATION = "hyperpigmentation", "Hyperpigmentation"
    MELASMA = "melasma", "Melasma"
    UNEVEN_TONE = "uneven_tone", "Uneven tone"
    ACNE = "acne", "Acne (active)"
    ACNE_SCARS = "acne_scars", "Acne scars"
    ENLARGED_PORES = "enlarged_pores", "Enlarged pores"
    TEXTURE = "texture", "Texture irregularities"
    REDNESS = "redness", "Redness / rosacea"
    ECZEMA = "eczema", "Eczema"
    PSORIASIS = "psoriasis", "Psoriasis"
    DEHYDRATION = "dehydration", "Dehydration"
    DARK_CIRCLES = "dark_circles", "Dark under-eye circles"
    HAIR_THINNING = "hair_thinning", "Hair thinning (scalp)"
    SLOW_HEALING_WOUND = "slow_healing_wound", "Slow-healing wound"


class Severity(models.IntegerChoices):
    """The 0-4 concern scale (docs/clinical-rules.md §Skin assessment)."""

    NONE = 0, "0 – none"
    MINIMAL = 1, "1 – minimal"
    MILD = 2, "2 – mild"
    MODERATE = 3, "3 – moderate"
    SEVERE = 4, "4 – severe"


class SkinType(models.TextChoices):
    NORMAL = "normal", "Normal"
    DRY = "dry", "Dry"
    OILY = "oily", "Oily"
    COMBINATION = "combination", "Combination"
    SENSITIVE = "sensitive", "Sensitive"


class Fitzpatrick(models.IntegerChoices):
    """Fitzpatrick phototype I-VI [practice]."""

    I = 1, "I"  # noqa: E741 - the phototype's own name
    II = 2, "II"
    III = 3, "III"
    IV = 4, "IV"
    V = 5, "V"
    VI = 6, "VI"


class ProductSource(models.TextChoices):
    """Where an exosome product comes from (docs/clinical-rules.md §Exosome products)."""

    HUMAN = "human", "Human-derived"
    PLANT = "plant", "Plant-derived"
    ANIMAL = "animal", "Animal-derived"
    SYNTHETIC = "synthetic", "Synthetic"


class ProductForm(models.TextChoices):
    LYOPHILISED = "lyophilised", "Lyophilised powder"
    SERUM = "serum", "Serum"
    CREAM = "cream", "Cream"


class Allergen(models.TextChoices):
    """Allergens that a product may carry and a patient may react to.

    A patient's allergy to one of these blocks every product that lists it
    (docs/clinical-rules.md §Contraindication screen: allergy to a product's source).
    """

    FISH = "fish", "Fish (e.g. salmon-derived)"
    BOVINE = "bovine", "Bovine"
    PORCINE = "porcine", "Porcine"
    EGG = "egg", "Egg"
    SOY = "soy", "Soy"
    NUTS = "nuts", "Tree nuts"
    FRAGRANCE = "fragrance", "Fragrance"
    PRESERVATIVES = "preservatives", "Preservatives (parabens, phenoxyethanol)"
    HYALURONIC_ACID = "hyaluronic_acid", "Hyaluronic acid"
