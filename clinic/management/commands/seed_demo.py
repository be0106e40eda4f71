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
            line = f"  {email:<24} {role:<16} password: {demo.DEMO_PASSWORD}"
            if email in demo.DEMO_TOTP_SECRETS:
                line += f"  authenticator secret: {demo.DEMO_TOTP_SECRETS[email]}"
            self.stdout.write(line)
        self.stdout.write(
            "The second step takes the code of that secret: any authenticator app, or "
            "oathtool --totp -b SECRET."
        )
