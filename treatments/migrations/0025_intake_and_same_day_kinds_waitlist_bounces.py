# The message kinds and statuses as the intake request, the same-day reminder and bounced texts left them.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('treatments', '0024_bounced_texts_and_same_day_reminders'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='waitlistoffermessage',
            name='waitlist_message_status_valid',
        ),
        migrations.AlterField(
            model_name='outboundmessage',
            name='kind',
            field=models.CharField(choices=[('confirmation', 'Booking confirmation'), ('reminder', 'Reminder'), ('same_day', 'Same-day reminder'), ('moved', 'Appointment moved'), ('cancelled', 'Appointment cancelled'), ('aftercare', 'Aftercare instructions'), ('intake_request', 'Intake before the visit')], max_length=14),
        ),
        migrations.AlterField(
            model_name='waitlistoffermessage',
            name='status',
            field=models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Being sent'), ('sent', 'Sent'), ('skipped', 'Not sent (no longer true)'), ('failed', 'Failed'), ('bounced', 'Bounced (not delivered)')], default='pending', max_length=10),
        ),
        migrations.AddConstraint(
            model_name='waitlistoffermessage',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'sending', 'sent', 'skipped', 'failed', 'bounced'])), name='waitlist_message_status_valid'),
        ),
    ]
