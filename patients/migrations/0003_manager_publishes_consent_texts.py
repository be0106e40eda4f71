"""The clinic manager publishes consent texts in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["add_consenttext", "view_consenttext"]


def fill_manager_permissions(apps, schema_editor):
    app_config = apps.get_app_config("patients")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager, _ = Group.objects.get_or_create(name="clinic_manager")
    for codename in PERMISSIONS:
        manager.permissions.add(
            Permission.objects.get(content_type__app_label="patients", codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_search_prefix_indexes"), ("clinic", "0002_roles")]

    operations = [migrations.RunPython(fill_manager_permissions, migrations.RunPython.noop)]
