"""Needle-depth limits by area and the typical course of each route.

docs/clinical-rules.md §Administration routes (typical course) and the needle-depth rule [practice]:
the plan's depths must lie within the area's limits, and each route proposes its usual course.

Plain Python: no database, no models.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from clinic.lib.screening import area_names
from clinic.lib.vocabulary import Area, Concern, Route, Severity


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcernScore:
    """One assessed concern: severity 0 (none) to 4 (severe) and the treated areas it is in.

    docs/clinical-rules.md §Skin assessment: "Concerns, each with a severity 0 (none) to 4 (severe)
    and the treated areas".
    """

    concern: Concern
    severity: int
    areas: frozenset[Area]

    def __post_init__(self) -> None:
        if not Severity.NONE <= self.severity <= Severity.SEVERE:
            raise ValueError(f"{self.concern.label}: severity must be 0-4, got {self.severity}")


@dataclass(frozen=True, slots=True, kw_only=True)
class DepthRange:
    """Microneedling needle depth allowed in one area, in millimetres (inclusive)."""

    area: Area
    min_mm: Decimal
    max_mm: Decimal

    def contains(self, depth_mm: Decimal) -> bool:
        return self.min_mm <= depth_mm <= self.max_mm

    @property
    def text(self) -> str:
        return f"{area_names([self.area])} {self.min_mm}-{self.max_mm} mm"


@dataclass(frozen=True, slots=True, kw_only=True)
class Course:
    """A typical course of one route (docs/clinical-rules.md §Administration routes, "typical
    course")."""

    sessions_min: int
    sessions_max: int
    interval_days_min: int
    interval_days_max: int
    #: Needle depth per treated area; microneedling only, empty otherwise.
    depths: tuple[DepthRange, ...] = ()
    #: Topical only: "or daily home care".
    home_care: bool = False
    text: str



def _depth(area: Area, min_mm: str, max_mm: str) -> DepthRange:
    return DepthRange(area=area, min_mm=Decimal(min_mm), max_mm=Decimal(max_mm))


#: docs/clinical-rules.md §Administration routes, microneedling: "needle depth 0.25-0.5 mm
#: periorbital and for delivery, 0.5-1.5 mm face, up to 2.0 mm for acne scars, 0.5-1.5 mm scalp".
NEEDLE_DEPTH_LIMITS: dict[Area, DepthRange] = {
    Area.FACE: _depth(Area.FACE, "0.5", "1.5"),
    Area.PERIORBITAL: _depth(Area.PERIORBITAL, "0.25", "0.5"),
    # [practice] docs/clinical-rules.md is silent on neck, décolletage and hands. Their skin is thin
    # and heals slowly, so they get the shallow range that docs/clinical-rules.md gives "for
    # delivery" (0.25-0.5 mm): the needle opens channels for the exosomes rather than remodelling
    # the dermis.
    Area.NECK: _depth(Area.NECK, "0.25", "0.5"),
    Area.DECOLLETAGE: _depth(Area.DECOLLETAGE, "0.25", "0.5"),
    Area.HANDS: _depth(Area.HANDS, "0.25", "0.5"),
    Area.SCALP: _depth(Area.SCALP, "0.5", "1.5"),
}

#: "up to 2.0 mm for acne scars" (docs/clinical-rules.md), listed with the face: it deepens the face
#: range only.
ACNE_SCAR_FACE_MAX_MM = Decimal("2.0")


def depth_range(area: Area, *, concerns: Iterable[ConcernScore]) -> DepthRange:
    """The needle depth a clinician may choose for ``area`` (docs/clinical-rules.md §Administration
    routes).

    The face goes up to 2.0 mm only when acne scars (severity > 0) are assessed *on the face*;
    an acne-scar score with no recorded area does not deepen it (the deeper needle needs the
    recorded reason).
    """
    limit = NEEDLE_DEPTH_LIMITS[Area(area)]
    scarred_face = any(
        c.concern == Concern.ACNE_SCARS and c.severity > 0 and Area.FACE in c.areas
        for c in concerns
    )
    if area == Area.FACE and scarred_face:
        return replace(limit, max_mm=ACNE_SCAR_FACE_MAX_MM)
    return limit


# --- Typical courses ---------------------------------------------------------------------------


def _course(
    sessions: tuple[int, int], weeks: tuple[int, int], *, home_care: bool = False
) -> Course:
    text = f"{sessions[0]}-{sessions[1]} sessions, {weeks[0]}-{weeks[1]} weeks apart"
    return Course(
        sessions_min=sessions[0],
        sessions_max=sessions[1],
        interval_days_min=weeks[0] * 7,
        interval_days_max=weeks[1] * 7,
        home_care=home_care,
        text=text + (", or daily home care" if home_care else ""),
    )


#: docs/clinical-rules.md §Administration routes, "typical course" [practice].
COURSES: dict[Route, Course] = {
    # "in clinic every 1-2 weeks, or daily home care". docs/clinical-rules.md gives no session
    # count: 4-6 [practice], the same length as a transdermal course, then review at follow-up.
    Route.TOPICAL: _course((4, 6), (1, 2), home_care=True),
    Route.TRANSDERMAL: _course((4, 6), (2, 4)),  # "4-6 sessions, 2-4 weeks apart"
    Route.MICRONEEDLING: _course((3, 6), (4, 6)),  # "3-6 sessions, 4-6 weeks apart"
    Route.LASER_ASSISTED: _course((3, 5), (4, 6)),  # "3-5 sessions, 4-6 weeks apart"
}


# --- What each route suits ---------------------------------------------------------------------
