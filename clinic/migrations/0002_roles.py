"""The four roles as auth groups, each with the model permissions it needs in the admin.

Screens are guarded by clinic.access.role_required; these permissions matter for
the Django admin, where only the clinic manager works.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["dermatologist", "front_desk", "patient", "clinic_manager"]

MANAGER_PERMISSIONS = [
    ("clinic", "add_user"),
    ("clinic", "change_user"),
    ("clinic", "view_user"),
    ("auth", "view_group"),
    ("clinic", "view_clinicsettings"),
    ("clinic", "change_clinicsettings"),
    ("clinic", "add_openinghours"),
    ("clinic", "change_openinghours"),
    ("clinic", "delete_openinghours"),
    ("clinic", "view_openinghours"),
    ("clinic", "add_room"),
    ("clinic", "change_room"),
    ("clinic", "view_room"),
    ("clinic", "add_staffprofile"),
    ("clinic", "change_staffprofile"),
    ("clinic", "view_staffprofile"),
]


def fill_roles(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now so that
    # the groups can be given theirs in this migration.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    manager = Group.objects.get(name="clinic_manager")
    for app_label, codename in MANAGER_PERMISSIONS:
        manager.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill_roles, remove_roles)]
