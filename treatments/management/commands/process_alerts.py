from django.core.management.base import BaseCommand

from treatments.services import alerts


class Command(BaseCommand):
    help = (
        "Email clinical alerts whose task was lost, and escalate urgent ones left unhandled past "
        "ALERT_ESCALATE_HOURS to every dermatologist (run every few minutes beside db_worker)."
    )

    def handle(self, *args, **options):
        notified, escalated = alerts.process_due()
        self.stdout.write(f"{notified} alert(s) notified, {escalated} escalated.")
