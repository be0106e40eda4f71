"""The clinic manager keeps the product catalogue in the admin: products and their lots.

Deleting is not granted: a product or lot that was ever planned or used stays on record.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    ("treatments", "add_product"),
    ("treatments", "change_product"),
    ("treatments", "view_product"),
    ("treatments", "add_lot"),
    ("treatments", "change_lot"),
    ("treatments", "view_lot"),
]


def fill_manager_catalogue(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager, _ = Group.objects.get_or_create(name="clinic_manager")
    for app_label, codename in PERMISSIONS:
        manager.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_manager_catalogue(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager = Group.objects.filter(name="clinic_manager").first()
    if manager is None:
        return
    for app_label, codename in PERMISSIONS:
        manager.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0001_initial"),
        ("clinic", "0002_roles"),
    ]

    operations = [migrations.RunPython(fill_manager_catalogue, remove_manager_catalogue)]
