"""Consent and aftercare texts take effect from their published_at: a version dated ahead is
scheduled, not current, whatever its number (clinic.published)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from patients.models import ConsentText
from tests.factories import ConsentTextFactory, PatientFactory
from treatments.models import AftercareText

pytestmark = pytest.mark.django_db

FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


def test_a_consent_text_published_in_9999_is_not_current_today():
    today = ConsentTextFactory(kind="treatment", body="Today's words.")
    later = ConsentTextFactory(kind="treatment", body="Far-future words.", published_at=FAR_FUTURE)
    assert later.version == 2
    assert ConsentText.current("treatment") == today
    assert ConsentText.objects.filter(kind="treatment").current() == today


def test_the_consent_page_shows_the_text_in_effect_not_the_highest_version(client_for):
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    ConsentTextFactory(kind="treatment", body="Today's words.")
    ConsentTextFactory(kind="treatment", body="Far-future words.", published_at=FAR_FUTURE)
    client = client_for(Role.FRONT_DESK)
    url = reverse("patients:consent_sign", args=[patient.pk, "treatment"])
    page = client.get(url)
    assert "Today&#x27;s words." in page.text
    assert "Far-future words." not in page.text
    response = client.post(
        url, {"signed_name": "Olivia Bennett", "agreed": "on", "text_version": "1"}
    )
    assert response.status_code == 302
    assert patient.consents.get().text.body == "Today's words."


def test_only_a_scheduled_consent_text_means_none_can_be_signed_yet(client_for):
    patient = PatientFactory()
    ConsentTextFactory(kind="photo", published_at=FAR_FUTURE)
    page = client_for(Role.FRONT_DESK).get(
        reverse("patients:consent_sign", args=[patient.pk, "photo"])
    )
    assert page.context["text"] is None
    assert "has not published" in page.text


def test_a_scheduled_text_becomes_current_when_its_time_comes():
    ConsentTextFactory(kind="treatment", body="One.")
    start = timezone.now() + dt.timedelta(days=7)
    scheduled = ConsentTextFactory(kind="treatment", body="Two.", published_at=start)
    assert ConsentText.current("treatment").body == "One."
    with time_machine.travel(start + dt.timedelta(seconds=1)):
        assert ConsentText.current("treatment") == scheduled


def test_an_aftercare_text_published_in_9999_is_not_current_today():
    today = AftercareText.objects.create(route="microneedling", text="Today's care.")
    AftercareText.objects.create(route="microneedling", text="Far-future.", published_at=FAR_FUTURE)
    assert AftercareText.current("microneedling") == today


def test_a_session_is_given_the_aftercare_text_in_effect():
    from tests.treatments.sessions.factories import completed_session

    AftercareText.objects.create(route="microneedling", text="Today's care.")
    AftercareText.objects.create(route="microneedling", text="Far-future.", published_at=FAR_FUTURE)
    session = completed_session()
    assert session.aftercare_text == "Today's care."
    assert session.aftercare["text_version"] == 1


@pytest.mark.parametrize(
    ("url", "make"),
    [
        (
            "admin:treatments_aftercaretext_changelist",
            lambda **kw: AftercareText.objects.create(route="topical", text="Words.", **kw),
        ),
        (
            "admin:patients_consenttext_changelist",
            lambda **kw: ConsentTextFactory(kind="treatment", **kw),
        ),
    ],
)
def test_the_admin_marks_in_use_the_text_in_effect(client_for, url, make):
    in_use = make()
    scheduled = make(published_at=FAR_FUTURE)
    page = client_for(Role.MANAGER).get(reverse(url))
    assert page.status_code == 200
    rows = {row.pk: row.is_current for row in page.context["cl"].result_list}
    assert rows == {in_use.pk: True, scheduled.pk: False}
