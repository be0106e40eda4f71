"""The adverse event's pages: edit while ongoing, resolve, the report pack (page and JSON, no
name) and the homes' reporting deadlines (docs/clinical-rules.md §Serious adverse events)."""

import json

import pytest
from django.urls import reverse

from clinic.lib.adverse_events import reporting_deadline
from clinic.models import ClinicSettings, Role
from tests.factories import ConsentTextFactory
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.adverse_events.factories import adverse_event
from treatments.models import AdverseEvent

pytestmark = pytest.mark.django_db


def _today():
    return ClinicSettings.load().today()


def _edit_data(**overrides):
    return {
        "kind": "blistering",
        "severity": "severe",
        "onset_on": _today().isoformat(),
        "description": "Blisters over both cheeks.",
        "action_taken": "Dressings.",
        "serious_criteria": ["disfigurement"],
        "other_products": "Tretinoin cream.",
    } | overrides


def test_the_dermatologist_edits_an_ongoing_event(client, derm):
    event = adverse_event()
    client.force_login(derm)
    url = reverse("treatments:adverse_event_edit", args=[event.pk])
    assert "Two small blisters on the left cheek." in client.get(url).text

    response = client.post(url, _edit_data())

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.severity, event.description) == ("severe", "Blisters over both cheeks.")
    assert event.serious_criteria == ["disfigurement"] and event.serious_on == _today()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": ""}, "Describe what happened."),
        ({"serious_criteria": ["sneezing"]}, "Select a valid choice."),
        ({"onset_on": "2999-01-01"}, "The onset cannot be in the future."),
    ],
)
def test_a_bad_edit_is_refused_and_nothing_changes(client, derm, overrides, message):
    event = adverse_event()
    client.force_login(derm)
    url = reverse("treatments:adverse_event_edit", args=[event.pk])
    response = client.post(url, _edit_data(**overrides))
    assert response.status_code == 200
    assert message in response.text
    event.refresh_from_db()
    assert event.severity == "moderate"


def test_a_resolved_event_offers_no_edit_and_refuses_a_forced_one(client, derm):
    event = adverse_event()
    client.force_login(derm)
    response = client.post(
        reverse("treatments:adverse_event_resolve", args=[event.pk]),
        {"outcome": "resolved", "resolved_on": _today().isoformat()},
    )
    assert response.status_code == 302
    page = client.get(reverse("treatments:adverse_event_detail", args=[event.pk])).text
    assert "Edit the event" not in page and "Resolve the event" not in page
    assert f"Resolved on {_today():%-d %B %Y}" in page

    forced = client.post(reverse("treatments:adverse_event_edit", args=[event.pk]), _edit_data())
    assert forced.status_code == 200
    assert "its record is closed" in forced.text
    event.refresh_from_db()
    assert event.severity == "moderate"


def test_resolving_to_ongoing_is_not_offered_and_is_refused(client, derm):
    event = adverse_event()
    client.force_login(derm)
    response = client.post(
        reverse("treatments:adverse_event_resolve", args=[event.pk]),
        {"outcome": "ongoing", "resolved_on": _today().isoformat()},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert AdverseEvent.objects.get().outcome == "ongoing"


def test_the_report_pack_has_the_forms_facts_and_no_name(client, derm):
    event = adverse_event(serious=True, other_products="Her own retinol serum.")
    patient = event.patient
    client.force_login(derm)

    page = client.get(reverse("treatments:adverse_event_report", args=[event.pk])).text
    facts = client.get(reverse("treatments:adverse_event_report_json", args=[event.pk]))

    data = json.loads(facts.content)
    lot = event.session.lot
    assert data["patient"] == {
        "age_at_onset": patient.age_on(event.onset_on),
        "sex": patient.get_sex_display(),
    }
    assert data["product"]["lot_number"] == lot.lot_number
    assert data["product"]["expiry_date"] == lot.expiry_date.isoformat()
    assert data["product"]["manufacturer"] == lot.product.manufacturer
    assert data["product"]["regulatory_status"].startswith("Not approved")
    assert data["product"]["route"] == event.session.plan.get_route_display()
    assert data["event"]["serious"] is True
    assert data["other_products"]["recorded"] == "Her own retinol serum."
    assert data["reporting"]["deadline"] == reporting_deadline(_today()).isoformat()
    for text in (page, facts.content.decode()):
        assert patient.full_name not in text and patient.last_name not in text
        assert patient.date_of_birth.isoformat() not in text
    assert lot.lot_number in page and "Her own retinol serum." in page


def test_a_serious_event_waits_on_both_homes_until_reported(client, derm, manager):
    event = adverse_event(serious=True)
    deadline = f"{reporting_deadline(_today()):%A %-d %B}"
    for user in (derm, manager):
        client.force_login(user)
        home = client.get(reverse("home")).text
        assert f'id="to-report-{event.pk}"' in home and deadline in home

    client.force_login(manager)
    response = client.post(
        reverse("treatments:adverse_event_mark_reported", args=[event.pk]),
        {"reference": "YC-2026-0042", "reported_on": _today().isoformat()},
    )
    assert response.status_code == 302
    assert "YC-2026-0042" in client.get(response["Location"]).text
    for user in (derm, manager):
        client.force_login(user)
        assert f'id="to-report-{event.pk}"' not in client.get(reverse("home")).text


def test_marking_a_non_serious_event_reported_is_refused(client, derm):
    event = adverse_event()
    client.force_login(derm)
    response = client.post(
        reverse("treatments:adverse_event_mark_reported", args=[event.pk]),
        {"reference": "MW1", "reported_on": _today().isoformat()},
    )
    assert response.status_code == 200
    assert "Only a serious adverse event is reported" in response.text
    assert AdverseEvent.objects.get().reported_on is None


def test_the_homes_section_does_not_grow_with_the_events(client, derm):
    adverse_event(serious=True)
    client.force_login(derm)
    assert_queries_do_not_grow(
        lambda: client.get(reverse("home")),
        lambda: [adverse_event(serious=True) for _ in range(3)],
        limit=60,
    )


def test_the_desk_never_reaches_an_event(client_for):
    event = adverse_event(serious=True)
    desk = client_for(Role.FRONT_DESK)
    assert desk.get(reverse("treatments:adverse_event_report", args=[event.pk])).status_code == 403


def test_the_plan_and_the_treatment_consent_show_the_regulatory_status(client, derm):
    event = adverse_event()
    plan = event.session.plan
    ConsentTextFactory(kind="treatment")
    ConsentTextFactory(kind="photo")
    client.force_login(derm)
    status = plan.product.regulatory_status
    assert status in client.get(reverse("treatments:plan_detail", args=[plan.pk])).text
    consent = client.get(reverse("patients:consent_sign", args=[plan.patient_id, "treatment"])).text
    assert "approval status" in consent and plan.product.name in consent
    photo = client.get(reverse("patients:consent_sign", args=[plan.patient_id, "photo"])).text
    assert "approval status" not in photo
