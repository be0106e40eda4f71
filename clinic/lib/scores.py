"""Optional standard scores of a skin assessment (docs/clinical-rules.md §Skin assessment
[practice]).

"Optional standard scores [practice]: Glogau photoaging I-IV; MASI (melasma, 0-48); IGA acne 0-4."
MASI is computed here; Glogau and IGA are grades the clinician picks, offered as Django-style
``(value, label)`` choices. Plain Python: no database, no models.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# --- MASI: Melasma Area and Severity Index (Kimbrough-Green et al., 1994) -----------------------

#: (key, label, weight). The weights are the share of the face each region stands for.
MASI_REGIONS: tuple[tuple[str, str, Decimal], ...] = (
    ("forehead", "Forehead", Decimal("0.3")),
    ("right_malar", "Right malar", Decimal("0.3")),
    ("left_malar", "Left malar", Decimal("0.3")),
    ("chin", "Chin", Decimal("0.1")),
)

#: Share of the region involved, scored 0-6.
MASI_AREA_CHOICES: tuple[tuple[int, str], ...] = (
    (0, "0 - no involvement"),
    (1, "1 - under 10%"),
    (2, "2 - 10-29%"),
    (3, "3 - 30-49%"),
    (4, "4 - 50-69%"),
    (5, "5 - 70-89%"),
    (6, "6 - 90-100%"),
)

#: Darkness and homogeneity of the pigment are each scored 0-4 on the same words.
MASI_INTENSITY_CHOICES: tuple[tuple[int, str], ...] = (
    (0, "0 - absent"),
    (1, "1 - slight"),
    (2, "2 - mild"),
    (3, "3 - marked"),
    (4, "4 - maximum"),
)

MASI_MAX = Decimal("48.0")
_ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionScore:
    """One MASI region: area involved (0-6), darkness (0-4), homogeneity (0-4)."""

    area: int
    darkness: int
    homogeneity: int

    def __post_init__(self) -> None:
        for name, value, top in (
            ("area", self.area, 6),
            ("darkness", self.darkness, 4),
            ("homogeneity", self.homogeneity, 4),
        ):
            # bool is an int in Python; a tick box is not a score.
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"MASI {name} must be a whole number 0-{top}, got {value!r}")
            if not 0 <= value <= top:
                raise ValueError(f"MASI {name} must be 0-{top}, got {value}")


def masi(*, regions: Mapping[str, RegionScore]) -> Decimal:
    """MASI total, 0-48, to one decimal.

    MASI = sum over the four regions of weight x area x (darkness + homogeneity), with the weights
    of ``MASI_REGIONS`` (forehead 0.3, right malar 0.3, left malar 0.3, chin 0.1). All four regions
    are required: a missing region would silently score 0 and understate the melasma.
    """
    expected = {key for key, _, _ in MASI_REGIONS}
    missing = expected - regions.keys()
    unknown = regions.keys() - expected
    if missing or unknown:
        raise ValueError(
            "MASI needs exactly the regions forehead, right_malar, left_malar and chin"
            + (f"; missing: {', '.join(sorted(missing))}" if missing else "")
            + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else "")
        )
    total = sum(
        (
            weight * regions[key].area * (regions[key].darkness + regions[key].homogeneity)
            for key, _, weight in MASI_REGIONS
        ),
        start=Decimal(0),
    )
    return total.quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- Glogau photoageing classification (Glogau, 1996) ------------------------------------------

GLOGAU_CHOICES: tuple[tuple[int, str], ...] = (
    (1, "I - no wrinkles: early photoageing, mild pigment change, no keratoses; 20s-30s"),
    (
        2,
        "II - wrinkles in motion: early to moderate photoageing, early lentigines, keratoses "
        "palpable but not visible, smile lines beginning; late 30s-40s",
    ),
    (
        3,
        "III - wrinkles at rest: advanced photoageing, obvious dyschromia and telangiectasia, "
        "visible keratoses; 50s and older",
    ),
    (
        4,
        "IV - only wrinkles: severe photoageing, yellow-grey skin, prior skin cancers, wrinkles "
        "throughout; 60s-70s and older",
    ),
)


# --- IGA: Investigator's Global Assessment of acne (FDA 2018 guidance scale) -------------------

IGA_CHOICES: tuple[tuple[int, str], ...] = (
    (0, "0 - clear: no inflammatory or non-inflammatory lesions"),
    (
        1,
        "1 - almost clear: rare non-inflammatory lesions, no more than one small inflammatory "
        "lesion",
    ),
    (
        2,
        "2 - mild: some non-inflammatory lesions, no more than a few inflammatory lesions "
        "(papules/pustules only, no nodules)",
    ),
    (
        3,
        "3 - moderate: many non-inflammatory lesions, some inflammatory lesions, no more than "
        "one small nodule",
    ),
    (4, "4 - severe: many non-inflammatory and inflammatory lesions, no more than a few nodules"),
)
