"""The clinic manager publishes the aftercare wording per route in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["add_aftercaretext", "view_aftercaretext", "view_adverseevent"]


def fill_manager_permissions(apps, schema_editor):
    app_config = apps.get_app_config("treatments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager, _ = Group.objects.get_or_create(name="clinic_manager")
    for codename in PERMISSIONS:
        manager.permissions.add(
            Permission.objects.get(content_type__app_label="treatments", codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [("treatments", "0005_messages_sessions_followups")]

    operations = [migrations.RunPython(fill_manager_permissions, migrations.RunPython.noop)]
