"""Adverse events: anything beyond the expected effects, recorded at the session or later, shown
on the patient's chart and on the lot's recall page (docs/clinical-rules.md §Treatment session)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import PatientFactory
from tests.treatments.sessions.factories import completed_session
from treatments.models import AdverseEvent

pytestmark = pytest.mark.django_db


def _url(patient, session=None):
    url = reverse("treatments:adverse_event_new", args=[patient.pk])
    return f"{url}?session={session.pk}" if session else url


def _data(session=None, **overrides):
    return {
        "session": session.pk if session else "",
        "kind": "blistering",
        "severity": "moderate",
        "onset_on": timezone.localdate().isoformat(),
        "description": "Two small blisters on the left cheek.",
        "action_taken": "Stopped actives; reviewed in 48 hours.",
        "outcome": "ongoing",
    } | overrides


def test_an_event_after_a_session_records_the_sessions_lot(client, derm):
    session = completed_session()
    client.force_login(derm)

    form = client.get(_url(session.patient, session))
    assert form.status_code == 200
    assert f'<option value="{session.pk}" selected>' in form.text

    response = client.post(_url(session.patient), _data(session))

    event = AdverseEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith("#adverse-events")
    assert (event.session, event.lot, event.patient) == (session, session.lot, session.patient)
    assert event.reported_by == derm
    assert event.severity == "moderate"


def test_an_event_may_be_recorded_without_a_session(client, derm):
    patient = PatientFactory()
    client.force_login(derm)
    response = client.post(_url(patient), _data(kind="allergy", severity="mild"))
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    event = AdverseEvent.objects.get()
    assert event.session is None and event.lot is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": ""}, "Describe what happened."),
        ({"kind": ""}, "Choose the type of event."),
        ({"severity": "catastrophic"}, "Select a valid choice."),
        ({"onset_on": ""}, "Give the date it started."),
        ({"onset_on": "2999-01-01"}, "The onset cannot be in the future."),
        ({"onset_on": "2001-01-01"}, "The onset is before the session of"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(client, derm, overrides, message):
    session = completed_session()
    client.force_login(derm)
    response = client.post(_url(session.patient), _data(session, **overrides))
    assert response.status_code == 200
    assert message in response.text
    assert not AdverseEvent.objects.exists()


def test_another_patients_session_cannot_be_chosen(client, derm):
    session = completed_session()
    other = PatientFactory()
    client.force_login(derm)
    response = client.post(_url(other), _data(session))
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert not AdverseEvent.objects.exists()


def test_the_chart_shows_adverse_events_to_the_dermatologist_only(client, derm, client_for):
    session = completed_session()
    client.force_login(derm)
    client.post(_url(session.patient), _data(session))
    chart = reverse("patients:detail", args=[session.patient.pk])

    page = client.get(chart).text
    assert 'id="panel-adverse-events"' in page
    assert "Blistering, moderate" in page
    assert "Two small blisters on the left cheek." in page

    desk_page = client_for(Role.FRONT_DESK).get(chart).text
    assert "Blistering" not in desk_page
    assert "blisters" not in desk_page


def test_a_chart_without_events_has_no_panel(client, derm):
    patient = PatientFactory()
    client.force_login(derm)
    page = client.get(reverse("patients:detail", args=[patient.pk])).text
    assert "panel-adverse-events" not in page


def test_the_lots_recall_page_lists_its_adverse_events(client, derm, client_for):
    session = completed_session()
    client.force_login(derm)
    client.post(_url(session.patient), _data(session))
    derm_page = client.get(reverse("treatments:lot_recall", args=[session.lot_id]))
    assert "Adverse events after this lot" in derm_page.text
    assert "Two small blisters on the left cheek." in derm_page.text
    # The manager gets the safety signal (kind, severity, outcome) without the clinical notes.
    manager_page = client_for(Role.MANAGER).get(
        reverse("treatments:lot_recall", args=[session.lot_id])
    )
    assert "Blistering" in manager_page.text
    assert "Two small blisters on the left cheek." not in manager_page.text


def test_the_session_page_lists_its_adverse_events(client, derm):
    session = completed_session()
    client.force_login(derm)
    client.post(_url(session.patient), _data(session, onset_on=(timezone.localdate()).isoformat()))
    page = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert "Blistering, moderate" in page


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_only_dermatologists_record_adverse_events(client_for, role):
    patient = PatientFactory()
    response = client_for(role).post(_url(patient), _data())
    assert response.status_code == 403
    assert not AdverseEvent.objects.exists()


def test_onset_defaults_to_today(client, derm):
    client.force_login(derm)
    page = client.get(_url(PatientFactory())).text
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page


def test_an_unknown_patient_is_404(client, derm):
    client.force_login(derm)
    assert client.get(reverse("treatments:adverse_event_new", args=[999999])).status_code == 404
