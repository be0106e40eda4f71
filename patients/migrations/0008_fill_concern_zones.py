"""Existing concerns, marked on areas only, are marked on every zone of those areas; their areas
stay as they were (docs/clinical-rules.md §Treated zones > Zones)."""

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


def zones_for(areas):
    return [zone for area in ZONES_BY_AREA if area in areas for zone in ZONES_BY_AREA[area]]


def fill_concern_zones(apps, schema_editor):
    AssessmentConcern = apps.get_model("patients", "AssessmentConcern")
    for row in AssessmentConcern.objects.only("pk", "areas", "zones").iterator():
        zones = zones_for(row.areas or [])
        if zones and not row.zones:
            AssessmentConcern.objects.filter(pk=row.pk).update(zones=zones)


class Migration(migrations.Migration):
    dependencies = [("patients", "0007_zones")]

    operations = [migrations.RunPython(fill_concern_zones, migrations.RunPython.noop)]
