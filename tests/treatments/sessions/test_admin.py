"""The manager publishes aftercare wording per route; published versions are read-only."""

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.treatments.sessions.factories import completed_session
from treatments.models import AftercareText
from treatments.services import adverse_events

pytestmark = pytest.mark.django_db


def test_a_new_version_starts_from_the_current_words(client_for):
    AftercareText.objects.create(route="topical", text="Keep the skin moisturised.")
    client = client_for(Role.MANAGER)
    page = client.get(reverse("admin:treatments_aftercaretext_add") + "?route=topical")
    assert page.status_code == 200
    assert "Keep the skin moisturised." in page.text


def test_a_published_version_is_read_only_and_kept(client_for):
    text = AftercareText.objects.create(route="topical", text="Version one.")
    client = client_for(Role.MANAGER)
    change = reverse("admin:treatments_aftercaretext_change", args=[text.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="text"' not in page.text
    client.post(change, {"route": "laser_assisted", "text": "Changed."})
    text.refresh_from_db()
    assert (text.route, text.text, text.version) == ("topical", "Version one.", 1)
    delete = reverse("admin:treatments_aftercaretext_delete", args=[text.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AftercareText.objects.filter(pk=text.pk).exists()


def test_the_list_says_which_version_is_in_use(client_for):
    AftercareText.objects.create(route="topical", text="One.")
    AftercareText.objects.create(route="topical", text="Two.")
    page = client_for(Role.MANAGER).get(reverse("admin:treatments_aftercaretext_changelist"))
    assert page.status_code == 200
    assert page.text.count('alt="True"') == 1


def test_adverse_events_are_clinical_and_stay_out_of_the_managers_admin(client_for, derm):
    session = completed_session()
    event = adverse_events.adverse_event_record(
        patient=session.patient,
        by=derm,
        session=session,
        kind="allergy",
        description="Hives on the neck",
        severity="mild",
        onset_on=session.started_at.date(),
    )
    client = client_for(Role.MANAGER)
    assert client.get(reverse("admin:treatments_adverseevent_changelist")).status_code == 403
    page = client.get(reverse("admin:treatments_adverseevent_change", args=[event.pk]))
    assert page.status_code in (302, 403)
    assert "Hives on the neck" not in page.text
    assert client.get(reverse("admin:treatments_adverseevent_add")).status_code == 403
