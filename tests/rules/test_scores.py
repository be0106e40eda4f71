"""Optional standard scores: MASI, Glogau, IGA (docs/clinical-rules.md §Skin assessment [practice]).

No database.
"""

from decimal import Decimal

import pytest

from clinic.lib.scores import (
    GLOGAU_CHOICES,
    IGA_CHOICES,
    MASI_AREA_CHOICES,
    MASI_INTENSITY_CHOICES,
    MASI_MAX,
    MASI_REGIONS,
    RegionScore,
    masi,
)

KEYS = [key for key, _, _ in MASI_REGIONS]


def r(area: int, darkness: int, homogeneity: int) -> RegionScore:
    return RegionScore(area=area, darkness=darkness, homogeneity=homogeneity)


def all_regions(score: RegionScore) -> dict[str, RegionScore]:
    return dict.fromkeys(KEYS, score)


@pytest.mark.parametrize(
    ("regions", "expected"),
    [
        pytest.param(all_regions(r(0, 0, 0)), "0.0", id="MASI 0-48: none anywhere is 0"),
        pytest.param(all_regions(r(6, 4, 4)), "48.0", id="MASI 0-48: worst everywhere is 48"),
        pytest.param(
            all_regions(r(0, 4, 4)), "0.0", id="no area involved scores 0 whatever the colour"
        ),
        pytest.param(
            {
                "forehead": r(2, 2, 1),
                "right_malar": r(3, 3, 2),
                "left_malar": r(3, 2, 2),
                "chin": r(1, 1, 1),
            },
            "10.1",
            id="worked example: 0.3*2*3 + 0.3*3*5 + 0.3*3*4 + 0.1*1*2 = 10.1",
        ),
        pytest.param(
            {
                "forehead": r(0, 0, 0),
                "right_malar": r(0, 0, 0),
                "left_malar": r(0, 0, 0),
                "chin": r(1, 1, 0),
            },
            "0.1",
            id="chin weight 0.1",
        ),
        pytest.param(
            {
                "forehead": r(1, 1, 0),
                "right_malar": r(0, 0, 0),
                "left_malar": r(0, 0, 0),
                "chin": r(0, 0, 0),
            },
            "0.3",
            id="forehead weight 0.3",
        ),
    ],
)
def test_masi(regions, expected):
    result = masi(regions=regions)
    assert result == Decimal(expected)
    assert str(result) == expected  # always one decimal


def test_masi_region_weights():
    assert [(key, weight) for key, _, weight in MASI_REGIONS] == [
        ("forehead", Decimal("0.3")),
        ("right_malar", Decimal("0.3")),
        ("left_malar", Decimal("0.3")),
        ("chin", Decimal("0.1")),
    ]
    assert sum(weight for _, _, weight in MASI_REGIONS) == 1
    assert masi(regions=all_regions(r(6, 4, 4))) == MASI_MAX


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"area": 7, "darkness": 0, "homogeneity": 0}, "area must be 0-6", id="area above 6"
        ),
        pytest.param(
            {"area": -1, "darkness": 0, "homogeneity": 0}, "area must be 0-6", id="area below 0"
        ),
        pytest.param(
            {"area": 0, "darkness": 5, "homogeneity": 0},
            "darkness must be 0-4",
            id="darkness above 4",
        ),
        pytest.param(
            {"area": 0, "darkness": 0, "homogeneity": -1},
            "homogeneity must be 0-4",
            id="homogeneity below 0",
        ),
        pytest.param(
            {"area": 1.5, "darkness": 0, "homogeneity": 0},
            "whole number",
            id="area not a whole number",
        ),
        pytest.param(
            {"area": True, "darkness": 0, "homogeneity": 0},
            "whole number",
            id="a tick box is not a score",
        ),
    ],
)
def test_region_score_out_of_range_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RegionScore(**kwargs)


@pytest.mark.parametrize(
    ("regions", "message"),
    [
        pytest.param(
            {k: r(1, 1, 1) for k in KEYS if k != "chin"},
            "missing: chin",
            id="a missing region would understate MASI",
        ),
        pytest.param(
            all_regions(r(1, 1, 1)) | {"nose": r(1, 1, 1)}, "unknown: nose", id="an unknown region"
        ),
        pytest.param({}, "missing: chin, forehead, left_malar, right_malar", id="no regions"),
    ],
)
def test_masi_needs_exactly_the_four_regions(regions, message):
    with pytest.raises(ValueError, match=message):
        masi(regions=regions)


@pytest.mark.parametrize(
    ("choices", "values", "starts"),
    [
        pytest.param(
            GLOGAU_CHOICES, [1, 2, 3, 4], ["I ", "II ", "III ", "IV "], id="Glogau photoageing I-IV"
        ),
        pytest.param(
            IGA_CHOICES, [0, 1, 2, 3, 4], ["0 ", "1 ", "2 ", "3 ", "4 "], id="IGA acne 0-4"
        ),
        pytest.param(
            MASI_AREA_CHOICES, list(range(7)), [f"{n} " for n in range(7)], id="MASI area 0-6"
        ),
        pytest.param(
            MASI_INTENSITY_CHOICES,
            list(range(5)),
            [f"{n} " for n in range(5)],
            id="MASI darkness and homogeneity 0-4",
        ),
    ],
)
def test_choices_are_django_style_value_label_pairs(choices, values, starts):
    assert [value for value, _ in choices] == values
    for (_, label), start in zip(choices, starts, strict=True):
        assert label.startswith(start)
        assert len(label) > len(start) + 5  # a description, not just the number
