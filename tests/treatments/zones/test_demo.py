"""The demo shows a zone-charted assessment and zone-charted sessions (face and scalp)."""

import pytest
from django.core.management import call_command

from patients.models import AssessmentConcern
from treatments.models import SessionStatus, TreatmentSession


@pytest.mark.django_db
def test_the_demo_charts_an_assessment_and_sessions_by_zone(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    capsys.readouterr()

    melasma = AssessmentConcern.objects.get(
        assessment__patient__email="olivia.bennett@patients.demo.clinic", concern="melasma"
    )
    assert melasma.zones == ["forehead", "cheek_left", "cheek_right"]
    session = TreatmentSession.objects.get(
        patient__email="olivia.bennett@patients.demo.clinic", status=SessionStatus.COMPLETED
    )
    assert [z["zone"] for z in session.zones] == ["forehead", "cheek_left", "cheek_right", "chin"]
    assert sum(float(z["amount"]) for z in session.zones) == float(session.amount)
    scalp = TreatmentSession.objects.get(
        patient__email="daniel.murphy@patients.demo.clinic", status=SessionStatus.COMPLETED
    )
    assert [z["zone"] for z in scalp.zones] == ["scalp_crown", "scalp_vertex"]
