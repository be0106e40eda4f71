from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic import demo
from patients import demo as patients_demo
from treatments import demo as treatments_demo


class Command(BaseCommand):
    help = "Load the demo clinic (idempotent). Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo loads made-up patients and published passwords; "
                "it runs only with DEBUG=1."
            )
        with transaction.atomic():
            logins = demo.seed()
            patients_demo.seed(self.stdout)
            treatments_demo.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo clinic ready. Log in at /accounts/login/ as:"))
        for email, role in logins:
            self.stdout.write(f"  {email:<24} {role:<16} password: {demo.DEMO_PASSWORD}")
