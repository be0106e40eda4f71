"""Treated zones: the named parts of the face chart, each inside one of the six areas.

docs/clinical-rules.md §Treated zones [practice]: "Finer than the six areas, for charting on a face
diagram; each zone belongs to one area, so the area rules (needle depth, area-bound
contraindications) apply to it". The area rules are not copied here: ``zone_depth_range`` asks
``clinic.lib.courses.depth_range`` for the zone's area, and a screen finding "in the area" covers
each zone of that area because ``area_of`` names it.

Plain Python: no database, no models.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from clinic.lib.courses import ConcernScore, DepthRange, depth_range
from clinic.lib.vocabulary import Area


class Zone(models.TextChoices):
    """The zones of docs/clinical-rules.md §Treated zones, area by area, in the table's order."""

    # face
    FOREHEAD = "forehead", "Forehead"
    GLABELLA = "glabella", "Glabella"
    TEMPLE_LEFT = "temple_left", "Temple, left"
    TEMPLE_RIGHT = "temple_right", "Temple, right"
    NOSE = "nose", "Nose"
    CHEEK_LEFT = "cheek_left", "Cheek, left"
    CHEEK_RIGHT = "cheek_right", "Cheek, right"
    NASOLABIAL_LEFT = "nasolabial_left", "Nasolabial, left"
    NASOLABIAL_RIGHT = "nasolabial_right", "Nasolabial, right"
    PERIORAL = "perioral", "Perioral (lip lines)"
    CHIN = "chin", "Chin"
    JAWLINE_LEFT = "jawline_left", "Jawline, left"
    JAWLINE_RIGHT = "jawline_right", "Jawline, right"
    # periorbital
    PERIORBITAL_LEFT = "periorbital_left", "Periorbital, left"
    PERIORBITAL_RIGHT = "periorbital_right", "Periorbital, right"
    # neck
    NECK_ANTERIOR = "neck_anterior", "Neck, front"
    NECK_LEFT = "neck_left", "Neck, left side"
    NECK_RIGHT = "neck_right", "Neck, right side"
    # décolletage
    DECOLLETAGE = "decolletage", "Décolletage"
    # hands
    HAND_LEFT = "hand_left", "Back of the hand, left"
    HAND_RIGHT = "hand_right", "Back of the hand, right"
    # scalp
    SCALP_HAIRLINE = "scalp_hairline", "Scalp, frontal hairline"
    SCALP_CROWN = "scalp_crown", "Scalp, crown"
    SCALP_VERTEX = "scalp_vertex", "Scalp, vertex"
    SCALP_TEMPORAL_LEFT = "scalp_temporal_left", "Scalp, temporal left"
    SCALP_TEMPORAL_RIGHT = "scalp_temporal_right", "Scalp, temporal right"
    SCALP_OCCIPITAL = "scalp_occipital", "Scalp, occipital"


#: docs/clinical-rules.md §Treated zones, the table "area | zones".
ZONES_BY_AREA: dict[Area, tuple[Zone, ...]] = {
    Area.FACE: (
        Zone.FOREHEAD,
        Zone.GLABELLA,
        Zone.TEMPLE_LEFT,
        Zone.TEMPLE_RIGHT,
        Zone.NOSE,
        Zone.CHEEK_LEFT,
        Zone.CHEEK_RIGHT,
        Zone.NASOLABIAL_LEFT,
        Zone.NASOLABIAL_RIGHT,
        Zone.PERIORAL,
        Zone.CHIN,
        Zone.JAWLINE_LEFT,
        Zone.JAWLINE_RIGHT,
    ),
    Area.PERIORBITAL: (Zone.PERIORBITAL_LEFT, Zone.PERIORBITAL_RIGHT),
    Area.NECK: (Zone.NECK_ANTERIOR, Zone.NECK_LEFT, Zone.NECK_RIGHT),
    Area.DECOLLETAGE: (Zone.DECOLLETAGE,),
    Area.HANDS: (Zone.HAND_LEFT, Zone.HAND_RIGHT),
    Area.SCALP: (
        Zone.SCALP_HAIRLINE,
        Zone.SCALP_CROWN,
        Zone.SCALP_VERTEX,
        Zone.SCALP_TEMPORAL_LEFT,
        Zone.SCALP_TEMPORAL_RIGHT,
        Zone.SCALP_OCCIPITAL,
    ),
}

#: Each zone's one area.
AREA_OF: dict[Zone, Area] = {zone: area for area, zones in ZONES_BY_AREA.items() for zone in zones}


def area_of(zone: str) -> Area:
    """The area a zone belongs to; ValueError for a name that is not a zone."""
    return AREA_OF[Zone(zone)]


def zones_of(areas: Iterable[str]) -> tuple[Zone, ...]:
    """Every zone of the given areas, in chart order: an area-level record read as zones."""
    wanted = {Area(a) for a in areas}
    return tuple(zone for zone in Zone if AREA_OF[zone] in wanted)


def areas_of(zones: Iterable[str]) -> tuple[Area, ...]:
    """The areas the zones lie in, in the areas' order."""
    wanted = {area_of(z) for z in zones}
    return tuple(area for area in Area if area in wanted)


def in_chart_order(zones: Iterable[str]) -> list[Zone]:
    """Known zones, each once, in chart order (unknown names are dropped)."""
    given = set(zones)
    return [zone for zone in Zone if zone.value in given]


def zone_depth_range(zone: str, *, concerns: Iterable[ConcernScore]) -> DepthRange:
    """The needle depth allowed in ``zone``: its area's (docs/clinical-rules.md §Needle depth, "Each
    zone takes the depth of its area"), from ``depth_range``, the one home of that rule."""
    return depth_range(area_of(zone), concerns=concerns)


@dataclass(frozen=True, slots=True)
class ZoneGroup:
    """One area's zones, as the chart's table groups them."""

    area: Area
    zones: tuple[Zone, ...]


def zone_groups(areas: Iterable[str] | None = None) -> list[ZoneGroup]:
    """The chart's groups, all areas or only ``areas``, in the areas' order."""
    allowed = set(Area) if areas is None else {Area(a) for a in areas}
    return [ZoneGroup(area, ZONES_BY_AREA[area]) for area in Area if area in allowed]
