"""The demo shows a submitted intake waiting for a dermatologist and one in progress."""

import pytest
from django.core.management import call_command

from treatments.models import Intake, IntakeStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pending_intake_and_one_in_progress(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    statuses = dict(Intake.objects.values_list("patient__last_name", "status"))
    assert statuses.get("Martin") == IntakeStatus.SUBMITTED
    assert statuses.get("Reid") == IntakeStatus.IN_PROGRESS
    call_command("seed_demo")
    assert Intake.objects.exclude(status="not_started").count() == 2
