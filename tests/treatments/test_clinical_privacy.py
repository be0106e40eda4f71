"""Adverse events are clinical: what the manager and the front desk see of them (review fixes)."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.treatments.sessions.factories import completed_session
from treatments.models import AdverseEvent

SECRET = "Pustules along the needling lines, treated with oral flucloxacillin"


@pytest.fixture
def event(db):
    session = completed_session()
    return AdverseEvent.objects.create(
        patient=session.patient,
        session=session,
        lot=session.lot,
        kind=AdverseEvent.Kind.INFECTION,
        description=SECRET,
        severity=AdverseEvent.Severity.MODERATE,
        onset_on=dt.date.today(),
        action_taken="Antibiotics",
        reported_by=session.clinician,
    )


def test_manager_sees_the_safety_signal_of_a_lot_but_not_the_clinical_notes(client_for, event):
    response = client_for(Role.MANAGER).get(reverse("treatments:lot_recall", args=[event.lot_id]))
    assert response.status_code == 200
    assert "Signs of infection" in response.text
    assert SECRET not in response.text
    # Patients and contacts are listed for the recall itself, without links into clinical records.
    assert event.patient.last_name in response.text
    assert reverse("treatments:session_detail", args=[event.session_id]) not in response.text


def test_dermatologist_sees_the_whole_event_on_the_recall_page(client_for, event):
    response = client_for(Role.DERMATOLOGIST).get(
        reverse("treatments:lot_recall", args=[event.lot_id])
    )
    assert SECRET in response.text
    assert reverse("treatments:session_detail", args=[event.session_id]) in response.text


def test_manager_cannot_open_adverse_events_in_the_admin(client_for, event):
    response = client_for(Role.MANAGER).get(
        reverse("admin:treatments_adverseevent_change", args=[event.pk])
    )
    assert response.status_code in (302, 403)
    assert SECRET not in response.text


def test_adverse_events_sit_at_the_top_of_the_chart(client_for, event):
    text = (
        client_for(Role.DERMATOLOGIST).get(reverse("patients:detail", args=[event.patient_id])).text
    )
    assert text.index("Adverse events") < text.index("Contraindications and allergies")
