"""The face chart: an SVG of the face (seen from the front), neck, décolletage, scalp (from above)
and the backs of the hands, one shape per treated zone (clinic.lib.zones).

``{% zone_chart field %}`` draws the chart over a bound multiple-choice field of zones, whose
checkboxes stay the chart's table equivalent (and the only control without JavaScript):
static/js/zone-chart.js makes each offered zone a keyboard-operable toggle of its checkbox. Zones
the field does not offer are drawn greyed and take no focus.

Geometry only: which zones may be chosen is the field's (its choices), never decided here.
"""

from dataclasses import dataclass

from django import template

from clinic.lib.zones import Zone, zone_groups

register = template.Library()


@dataclass(frozen=True, slots=True)
class Shape:
    zone: Zone
    tag: str  # "path", "ellipse" or "rect"
    attrs: str  # the geometry, as SVG attributes


def _rect(zone, x, y, w, h, r=6):
    return Shape(zone, "rect", f'x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}"')


def _ellipse(zone, cx, cy, rx, ry):
    return Shape(zone, "ellipse", f'cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}"')


def _path(zone, d):
    return Shape(zone, "path", f'd="{d}"')


# The face is seen from the front: the patient's right is on the viewer's left.
SHAPES: tuple[Shape, ...] = (
    _path(Zone.FOREHEAD, "M128 112 Q128 52 200 46 Q272 52 272 112 Z"),
    _rect(Zone.TEMPLE_RIGHT, 108, 104, 24, 56),
    _rect(Zone.TEMPLE_LEFT, 268, 104, 24, 56),
    _rect(Zone.GLABELLA, 184, 116, 32, 26),
    _ellipse(Zone.PERIORBITAL_RIGHT, 158, 152, 24, 14),
    _ellipse(Zone.PERIORBITAL_LEFT, 242, 152, 24, 14),
    _path(Zone.NOSE, "M190 146 L210 146 L220 222 L180 222 Z"),
    _ellipse(Zone.CHEEK_RIGHT, 146, 206, 28, 30),
    _ellipse(Zone.CHEEK_LEFT, 254, 206, 28, 30),
    _rect(Zone.NASOLABIAL_RIGHT, 164, 226, 14, 44, 5),
    _rect(Zone.NASOLABIAL_LEFT, 222, 226, 14, 44, 5),
    _ellipse(Zone.PERIORAL, 200, 256, 20, 16),
    _path(Zone.JAWLINE_RIGHT, "M118 244 L160 278 L176 318 Q134 306 114 262 Z"),
    _path(Zone.JAWLINE_LEFT, "M282 244 L240 278 L224 318 Q266 306 286 262 Z"),
    _ellipse(Zone.CHIN, 200, 302, 24, 18),
    _rect(Zone.NECK_RIGHT, 148, 330, 26, 70),
    _rect(Zone.NECK_ANTERIOR, 176, 330, 48, 70),
    _rect(Zone.NECK_LEFT, 226, 330, 26, 70),
    _path(Zone.DECOLLETAGE, "M100 412 L300 412 Q312 470 290 500 L110 500 Q88 470 100 412 Z"),
    # The scalp from above, the face at the top: the patient's left is on the viewer's left.
    _rect(Zone.SCALP_HAIRLINE, 420, 58, 80, 26),
    _rect(Zone.SCALP_TEMPORAL_LEFT, 380, 100, 34, 70),
    _rect(Zone.SCALP_TEMPORAL_RIGHT, 506, 100, 34, 70),
    _ellipse(Zone.SCALP_CROWN, 460, 112, 36, 20),
    _ellipse(Zone.SCALP_VERTEX, 460, 160, 36, 22),
    _rect(Zone.SCALP_OCCIPITAL, 420, 196, 80, 28),
    # The backs of the hands, the patient's right on the viewer's left as on the face.
    _rect(Zone.HAND_RIGHT, 378, 330, 68, 110, 18),
    _rect(Zone.HAND_LEFT, 474, 330, 68, 110, 18),
)

#: The chart's captions, beside its parts: (x, y, text).
CAPTIONS = (
    (200, 26, "Face, from the front"),
    (460, 26, "Scalp, from above"),
    (460, 316, "Backs of the hands"),
    (412, 458, "Right"),
    (508, 458, "Left"),
    (130, 110, ""),
)


@register.inclusion_tag("components/zone_chart.html")
def zone_chart(field, *, legend: str = "", checkboxes: bool = True):
    """The chart over ``field`` (a bound MultipleChoiceField of zones, checkbox widget).

    With ``checkboxes`` the field's checkboxes follow the chart, grouped by area: the chart's
    table equivalent. Without, the page shows them itself (the session's table of zones, with
    each zone's amount and depth); the chart finds them by the field's name in its form.
    """
    offered = {str(value) for value, _label in field.field.choices}
    chosen = {str(value) for value in (field.value() or [])}
    shapes = [
        {
            "zone": shape.zone.value,
            "label": shape.zone.label,
            "tag": shape.tag,
            "attrs": shape.attrs,
            "offered": shape.zone.value in offered,
            "chosen": shape.zone.value in chosen,
        }
        for shape in SHAPES
    ]
    boxes = {box.data["value"]: box for box in field}
    groups = [
        {
            "area": group.area.label,
            "boxes": [boxes[z.value] for z in group.zones if z.value in boxes],
        }
        for group in zone_groups()
    ]
    return {
        "field": field,
        "legend": legend or field.label,
        "shapes": shapes,
        "captions": [c for c in CAPTIONS if c[2]],
        "groups": [g for g in groups if g["boxes"]],
        "checkboxes": checkboxes,
    }


@register.inclusion_tag("components/zone_map.html")
def zone_map(zones, *, label: str):
    """The chart as a picture of recorded zones (filled), for the record's pages. Its text
    equivalent is its label, naming the zones; the page's table gives the details."""
    marked = {str(z) for z in zones or ()}
    names = [zone.label for zone in Zone if zone.value in marked]
    return {
        "shapes": [
            {
                "tag": s.tag,
                "attrs": s.attrs,
                "marked": s.zone.value in marked,
                "label": s.zone.label,
            }
            for s in SHAPES
        ],
        "captions": [c for c in CAPTIONS if c[2]],
        "description": f"{label}: " + (", ".join(names) if names else "no zone marked"),
    }
