"""Adverse events after a completed session, through the service that records them."""

from clinic.models import ClinicSettings
from tests.treatments.sessions.factories import completed_session
from treatments.services.adverse_events import adverse_event_record


def adverse_event(*, session=None, serious=False, by=None, today=None, **fields):
    session = session or completed_session()
    today = today or ClinicSettings.load().today()
    spec = {
        "kind": "blistering",
        "severity": "moderate",
        "onset_on": today,
        "description": "Two small blisters on the left cheek.",
        "action_taken": "Stopped actives.",
        "serious_criteria": ["disfigurement"] if serious else [],
    } | fields
    return adverse_event_record(
        patient=session.patient, by=by or session.clinician, session=session, today=today, **spec
    )
