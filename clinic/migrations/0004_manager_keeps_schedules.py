"""The clinic manager keeps working hours, time off and appointment types in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["workinghours", "timeoff", "appointmenttype"]


def fill_manager_permissions(apps, schema_editor):
    app_config = apps.get_app_config("clinic")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager, _ = Group.objects.get_or_create(name="clinic_manager")
    for model in MODELS:
        for action in ("add", "change", "delete", "view"):
            manager.permissions.add(
                Permission.objects.get(
                    content_type__app_label="clinic", codename=f"{action}_{model}"
                )
            )


class Migration(migrations.Migration):
    dependencies = [("clinic", "0003_scheduling_resources")]

    operations = [migrations.RunPython(fill_manager_permissions, migrations.RunPython.noop)]
