"""Adverse event records are clinical: the clinic manager does not read them in the admin.

The manager still sees, on a lot's recall page, what kind of event followed the lot, how severe,
and its outcome: the product-safety signal without the patient's clinical notes.
"""

from django.db import migrations


def remove_manager_permission(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager = Group.objects.filter(name="clinic_manager").first()
    permission = Permission.objects.filter(
        content_type__app_label="treatments", codename="view_adverseevent"
    ).first()
    if manager is not None and permission is not None:
        manager.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("treatments", "0006_manager_keeps_aftercare_texts")]

    operations = [migrations.RunPython(remove_manager_permission, migrations.RunPython.noop)]
