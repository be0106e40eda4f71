"""Treated zones: each in one area, and the area's rules apply to it.

docs/clinical-rules.md §Treated zones ("each zone belongs to one area, so the area rules (needle
depth, area-bound contraindications) apply to it") and §Needle depth ("Each zone takes the depth of
its area").
"""

from decimal import Decimal

import pytest

from clinic.lib.courses import ConcernScore
from clinic.lib.vocabulary import Area, Concern
from clinic.lib.zones import (
    ZONES_BY_AREA,
    Zone,
    area_of,
    areas_of,
    in_chart_order,
    zone_depth_range,
    zones_of,
)

D = Decimal

# docs/clinical-rules.md §Treated zones, the table "area | zones", row by row.
ZONE_TABLE = [
    ("forehead", "face"),
    ("glabella", "face"),
    ("temple_left", "face"),
    ("temple_right", "face"),
    ("nose", "face"),
    ("cheek_left", "face"),
    ("cheek_right", "face"),
    ("nasolabial_left", "face"),
    ("nasolabial_right", "face"),
    ("perioral", "face"),
    ("chin", "face"),
    ("jawline_left", "face"),
    ("jawline_right", "face"),
    ("periorbital_left", "periorbital"),
    ("periorbital_right", "periorbital"),
    ("neck_anterior", "neck"),
    ("neck_left", "neck"),
    ("neck_right", "neck"),
    ("decolletage", "decolletage"),
    ("hand_left", "hands"),
    ("hand_right", "hands"),
    ("scalp_hairline", "scalp"),
    ("scalp_crown", "scalp"),
    ("scalp_vertex", "scalp"),
    ("scalp_temporal_left", "scalp"),
    ("scalp_temporal_right", "scalp"),
    ("scalp_occipital", "scalp"),
]


@pytest.mark.parametrize(("zone", "area"), ZONE_TABLE)
def test_each_zone_belongs_to_its_area(zone, area):
    assert area_of(zone) == Area(area)


def test_the_table_names_every_zone_once_and_every_area_has_zones():
    assert [z for z, _ in ZONE_TABLE] == Zone.values
    assert set(ZONES_BY_AREA) == set(Area)
    assert all(ZONES_BY_AREA[a] for a in Area)


def test_an_unknown_zone_is_refused():
    with pytest.raises(ValueError):
        area_of("ear")


def test_an_area_reads_as_all_its_zones_and_back():
    """An area-level record becomes its area's zones and keeps its areas (the data migration)."""
    for area in Area:
        assert areas_of(zones_of([area])) == (area,)
    assert zones_of(["periorbital", "neck"]) == (
        Zone.PERIORBITAL_LEFT,
        Zone.PERIORBITAL_RIGHT,
        Zone.NECK_ANTERIOR,
        Zone.NECK_LEFT,
        Zone.NECK_RIGHT,
    )
    assert areas_of(["chin", "periorbital_left", "forehead"]) == (Area.FACE, Area.PERIORBITAL)


def test_chart_order_drops_unknown_names_and_repeats():
    assert in_chart_order(["chin", "forehead", "chin", "ear"]) == [Zone.FOREHEAD, Zone.CHIN]


def _scars(*areas):
    return ConcernScore(concern=Concern.ACNE_SCARS, severity=2, areas=frozenset(areas))


# docs/clinical-rules.md §Needle depth: periorbital 0.25-0.5; face 0.5-1.5, up to 2.0 mm for acne
# scars (assessed on the face); scalp 0.5-1.5; neck, décolletage and hands 0.25-0.5 ("for
# delivery": the document gives them no depth of their own, clinic.lib.courses says why).
DEPTH_TABLE = [
    # zone, concerns, min, max
    ("forehead", (), "0.5", "1.5"),
    ("cheek_left", (), "0.5", "1.5"),
    ("cheek_left", (_scars(Area.FACE),), "0.5", "2.0"),
    ("chin", (_scars(Area.FACE),), "0.5", "2.0"),
    ("cheek_right", (_scars(Area.NECK),), "0.5", "1.5"),  # scars elsewhere do not deepen the face
    ("periorbital_left", (), "0.25", "0.5"),
    ("periorbital_right", (_scars(Area.FACE),), "0.25", "0.5"),  # the eyes never go deeper
    ("scalp_crown", (), "0.5", "1.5"),
    ("scalp_occipital", (), "0.5", "1.5"),
    ("neck_anterior", (), "0.25", "0.5"),
    ("decolletage", (), "0.25", "0.5"),
    ("hand_right", (), "0.25", "0.5"),
]


@pytest.mark.parametrize(("zone", "concerns", "low", "high"), DEPTH_TABLE)
def test_each_zone_takes_its_areas_needle_depth(zone, concerns, low, high):
    limit = zone_depth_range(zone, concerns=concerns)
    assert (limit.min_mm, limit.max_mm) == (D(low), D(high))
    assert limit.area == area_of(zone)


@pytest.mark.parametrize(
    ("zone", "depth", "allowed"),
    [
        ("forehead", "1.5", True),
        ("forehead", "1.6", False),
        ("periorbital_left", "0.5", True),
        ("periorbital_left", "0.75", False),
        ("glabella", "0.4", False),
        ("scalp_vertex", "1.0", True),
        ("hand_left", "1.0", False),
    ],
)
def test_a_depth_is_checked_against_the_zones_area(zone, depth, allowed):
    assert zone_depth_range(zone, concerns=()).contains(D(depth)) is allowed
