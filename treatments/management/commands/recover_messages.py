from django.core.management.base import BaseCommand

from treatments.services import messaging


class Command(BaseCommand):
    help = (
        "Queue again the patient emails a stopped worker left behind (run every few minutes from "
        "cron or a systemd timer beside db_worker)."
    )

    def handle(self, *args, **options):
        count = messaging.recover_stale()
        self.stdout.write(f"{count} message{'s' if count != 1 else ''} queued again.")
