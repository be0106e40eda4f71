import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic import demo

# Each app that has demo data adds a `demo.seed(stdout)` step, run in this order.
APP_DEMOS = [
    "patients.demo.patients",
    "treatments.demo.plans",
    "treatments.demo.scheduling",
    "treatments.demo.sessions",
    "treatments.demo.portal",
    "treatments.demo.followups",
]


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
            for module in APP_DEMOS:
                try:
                    app_demo = importlib.import_module(module)
                except ModuleNotFoundError as exc:
                    if exc.name != module:
                        raise
                    continue
                app_demo.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo clinic ready. Log in at /accounts/login/ as:"))
        for email, role in logins:
            self.stdout.write(f"  {email:<24} {role:<16} password: {demo.DEMO_PASSWORD}")
