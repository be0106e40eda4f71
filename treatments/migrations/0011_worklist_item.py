"""A clinician's to-do is a worklist item (``WorklistItem``), so that "task" means only a
background task. The table is renamed with the model, as Django does; the rows stay as they are.
Only the reverse names (``patient.worklist_items``, ``user.worklist_items``) and the index name
change besides."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0003_manager_publishes_consent_texts"),
        ("treatments", "0010_appointment_type"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="ClinicalTask", new_name="WorklistItem"),
        migrations.RenameIndex(
            model_name="worklistitem", new_name="worklist_open_idx", old_name="task_open_idx"
        ),
        migrations.AlterField(
            model_name="worklistitem",
            name="patient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="worklist_items",
                to="patients.patient",
            ),
        ),
        migrations.AlterField(
            model_name="worklistitem",
            name="assigned_to",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="worklist_items",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="worklistitem",
            name="check_in",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="worklist_item",
                to="treatments.skincheckin",
            ),
        ),
    ]
