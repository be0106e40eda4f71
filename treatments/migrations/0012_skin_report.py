"""The patient's own report of how their skin is doing after a session is a ``SkinReport``, so it
is not mistaken for the desk's check-in of an appointment. The table is renamed with the model, as
Django does, and the worklist item's column with its field; the rows stay as they are (a worklist
item raised by a report keeps its stored kind "check_in", now labelled "Skin report")."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0003_manager_publishes_consent_texts"),
        ("treatments", "0011_worklist_item"),
    ]

    operations = [
        migrations.RenameModel(old_name="SkinCheckIn", new_name="SkinReport"),
        migrations.RenameField(
            model_name="worklistitem", old_name="check_in", new_name="skin_report"
        ),
        migrations.AlterField(
            model_name="skinreport",
            name="session",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="skin_reports",
                to="treatments.treatmentsession",
            ),
        ),
        migrations.AlterField(
            model_name="skinreport",
            name="patient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="skin_reports",
                to="patients.patient",
            ),
        ),
        migrations.AlterField(
            model_name="worklistitem",
            name="kind",
            field=models.CharField(
                choices=[("check_in", "Skin report beyond the expected"), ("other", "Other")],
                max_length=10,
            ),
        ),
    ]
