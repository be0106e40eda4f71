"""Completed sessions, recorded by area, are recorded on every zone of their areas, each with the
area's needle depth and the session's laser settings; the amount per zone was not recorded then,
so it stays empty. The areas stay as they were (docs/clinical-rules.md §Treated zones > Zones).

A session closed as not treated treated no zone; one still open gets its zones when its
application is recorded."""

from django.db import migrations

#: The zones of each area on the day zones began (docs/clinical-rules.md §Treated zones), frozen
#: here so that this migration means the same thing whatever the vocabulary becomes.
ZONES_BY_AREA = {
    "face": [
        "forehead",
        "glabella",
        "temple_left",
        "temple_right",
        "nose",
        "cheek_left",
        "cheek_right",
        "nasolabial_left",
        "nasolabial_right",
        "perioral",
        "chin",
        "jawline_left",
        "jawline_right",
    ],
    "periorbital": ["periorbital_left", "periorbital_right"],
    "neck": ["neck_anterior", "neck_left", "neck_right"],
    "decolletage": ["decolletage"],
    "hands": ["hand_left", "hand_right"],
    "scalp": [
        "scalp_hairline",
        "scalp_crown",
        "scalp_vertex",
        "scalp_temporal_left",
        "scalp_temporal_right",
        "scalp_occipital",
    ],
}


def zone_rows(session):
    depths = session.depths or {}
    return [
        {
            "zone": zone,
            "amount": None,
            "depth": depths.get(area) or None,
            "laser_settings": session.laser_settings or "",
        }
        for area in ZONES_BY_AREA
        if area in (session.areas or [])
        for zone in ZONES_BY_AREA[area]
    ]


def fill_session_zones(apps, schema_editor):
    TreatmentSession = apps.get_model("treatments", "TreatmentSession")
    rows = TreatmentSession.objects.filter(status="completed").only(
        "pk", "areas", "depths", "laser_settings", "zones"
    )
    for session in rows.iterator():
        zones = zone_rows(session)
        if zones and not session.zones:
            TreatmentSession.objects.filter(pk=session.pk).update(zones=zones)


class Migration(migrations.Migration):
    dependencies = [("treatments", "0019_zones")]

    operations = [migrations.RunPython(fill_session_zones, migrations.RunPython.noop)]
