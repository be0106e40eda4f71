"""The sessions demo: completed sessions with aftercare for demo patients (the portal patient's a
few days ago), one adverse event, the clinic's aftercare texts; running it twice changes nothing."""

import io

import pytest
from django.utils import timezone

from clinic import demo as clinic_demo
from patients.demo import patients as patients_demo
from treatments.demo import plans as treatments_demo
from treatments.demo import sessions as demo_sessions
from treatments.models import (
    AdverseEvent,
    AftercareText,
    Lot,
    OutboundMessage,
    PlanState,
    SessionStatus,
    TreatmentSession,
)

pytestmark = pytest.mark.django_db


def test_demo_sessions_are_completed_with_aftercare_and_idempotent():
    out = io.StringIO()
    clinic_demo.seed()
    patients_demo.seed(out)
    treatments_demo.seed(out)
    before = Lot.objects.get(lot_number="SG-121").quantity_remaining

    demo_sessions.seed(out)
    counts = (
        TreatmentSession.objects.count(),
        AdverseEvent.objects.count(),
        AftercareText.objects.count(),
    )
    demo_sessions.seed(out)

    assert counts == (4, 2, 4)
    assert (
        TreatmentSession.objects.count(),
        AdverseEvent.objects.count(),
        AftercareText.objects.count(),
    ) == counts
    olivia = TreatmentSession.objects.get(patient__email="olivia.bennett@patients.demo.clinic")
    assert olivia.status == SessionStatus.COMPLETED
    assert olivia.clinician.email == "derm@demo.clinic"
    assert 0 < (timezone.localdate() - timezone.localdate(olivia.ended_at)).days <= 7
    assert olivia.aftercare["instructions"][0]["text"].startswith("No makeup until")
    assert olivia.aftercare_text == demo_sessions.AFTERCARE_TEXTS["microneedling"]
    assert olivia.plan.state == PlanState.IN_TREATMENT
    assert Lot.objects.get(lot_number="SG-121").quantity_remaining == before - 1
    assert Lot.objects.get(lot_number="SG-118").quantity_remaining == 1  # left as the demo made it
    # The courses under way got there by their first session record, then moved on by hand.
    states = {
        session.patient.email.split(".")[0]: session.plan.state
        for session in TreatmentSession.objects.select_related("patient", "plan")
    }
    assert states == {
        "olivia": PlanState.IN_TREATMENT,
        "amara": PlanState.IN_TREATMENT,
        "daniel": PlanState.FOLLOW_UP,
        "grace": PlanState.COMPLETED,
    }
    # A resolved event and a serious one still to report, each with its session's lot.
    resolved = AdverseEvent.objects.get(outcome=AdverseEvent.Outcome.RESOLVED)
    serious = AdverseEvent.objects.get(outcome=AdverseEvent.Outcome.ONGOING)
    assert resolved.resolved_on is not None and not resolved.is_serious
    assert serious.is_serious and list(AdverseEvent.objects.to_report()) == [serious]
    for event in (resolved, serious):
        assert event.lot is not None and event.session is not None
    assert not OutboundMessage.objects.exists()  # past sessions send no email
