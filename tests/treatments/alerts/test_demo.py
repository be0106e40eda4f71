"""The demo shows texts, a patient who replied STOP and an urgent alert; twice changes nothing."""

import pytest
from django.core.management import call_command

from treatments.models import ClinicalAlert, ContactPreference, OutboundMessage

pytestmark = pytest.mark.django_db


def test_demo_has_texts_a_stop_and_an_urgent_alert(settings, tmp_path):
    settings.DEBUG = True
    settings.SMS_BACKEND = "console"
    settings.SMS_DIR = tmp_path
    call_command("seed_demo")
    counts = (OutboundMessage.objects.count(), ClinicalAlert.objects.count())
    call_command("seed_demo")
    assert (OutboundMessage.objects.count(), ClinicalAlert.objects.count()) == counts

    texts = OutboundMessage.objects.filter(channel="sms", kind="confirmation")
    assert {m.appointment.patient.full_name for m in texts} == {"Olivia Bennett", "Chloe Martin"}
    stopped = ContactPreference.objects.get(texts_stopped_at__isnull=False)
    assert stopped.patient.full_name == "Mei Chen"
    assert ClinicalAlert.objects.filter(
        urgency="urgent", source="adverse_reaction", patient__first_name="Lucy"
    ).exists()
