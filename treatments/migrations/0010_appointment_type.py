"""An appointment's type is called ``appointment_type``, not ``kind``: ``kind`` is what the type
itself is (consultation, treatment, follow-up review). A rename of the column only, on the
appointment and on its history, so no row changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("treatments", "0009_status_constraints")]

    operations = [
        migrations.RenameField(
            model_name="appointment", old_name="kind", new_name="appointment_type"
        ),
        migrations.RenameField(
            model_name="historicalappointment", old_name="kind", new_name="appointment_type"
        ),
    ]
