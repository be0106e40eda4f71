"""Aftercare: computed per session from the route and the end time, on the clinic's clock, kept
with the session (never recomputed), printable, and emailed on completion.

docs/clinical-rules.md §Aftercare: "with the exact clock times computed from when the session
ended"; no makeup for 72 hours after microneedling. clinic/lib/aftercare.py counts elapsed hours, so
across the October change of clock 72 hours after 10:00 BST is 09:00 GMT.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from clinic.models import ClinicSettings, Role
from tests.treatments.sessions.factories import (
    completed_session,
    patient_with_login,
    started_session,
)
from treatments.models import AftercareText, MessageKind
from treatments.services import messaging

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _page(client, session):
    return client.get(reverse("treatments:aftercare", args=[session.pk]))


def _instruction(session, key):
    return next(i for i in session.aftercare["instructions"] if i["key"] == key)


def test_microneedling_ending_at_14_30_means_no_makeup_until_14_30_three_days_later(client, derm):
    with time_machine.travel(dt.datetime(2026, 3, 9, 14, 30, tzinfo=LONDON), tick=False):
        session = completed_session()
        client.force_login(derm)
        page = _page(client, session).text

    no_makeup = _instruction(session, "no_makeup")
    assert no_makeup["text"] == "No makeup until Thursday 12 March, 14:30 (72 hours)"
    assert no_makeup["until"] == "2026-03-12T14:30:00+00:00"
    assert session.aftercare["ended_text"] == "Monday 9 March 2026, 14:30"
    assert session.aftercare["zone"] == "Europe/London"
    assert "No makeup until Thursday 12 March, 14:30 (72 hours)" in page
    assert "Monday 9 March 2026, 14:30" in page
    assert "Call the clinic if you notice anything beyond" in page
    assert "ceramides, hyaluronic acid" in page.lower()


def test_across_the_october_change_of_clock_the_hours_are_elapsed_hours(client, derm):
    with time_machine.travel(dt.datetime(2026, 10, 24, 10, 0, tzinfo=LONDON), tick=False):
        session = completed_session()
        client.force_login(derm)
        page = _page(client, session).text

    no_makeup = _instruction(session, "no_makeup")
    # 10:00 BST (09:00 UTC) + 72 h = 09:00 UTC on the 27th = 09:00 GMT.
    assert no_makeup["until"] == "2026-10-27T09:00:00+00:00"
    assert no_makeup["text"] == "No makeup until Tuesday 27 October, 09:00 (72 hours)"
    assert session.aftercare["ended_at"] == "2026-10-24T10:00:00+01:00"
    assert "No makeup until Tuesday 27 October, 09:00 (72 hours)" in page


def test_the_session_keeps_the_text_it_was_given_after_a_new_version(client, manager, derm):
    AftercareText.objects.create(route="microneedling", text="Version one: clean pillowcase.")
    session = completed_session()
    client.force_login(manager)
    response = client.post(
        reverse("admin:treatments_aftercaretext_add"),
        {
            "route": "microneedling",
            "text": "Version two: no swimming for 48 hours.",
            "published_at_0": "2026-11-01",
            "published_at_1": "09:00:00",
        },
    )
    assert response.status_code == 302
    assert AftercareText.current("microneedling").version == 2

    client.force_login(derm)
    page = _page(client, session).text
    assert "Version one: clean pillowcase." in page
    assert "Version two" not in page
    later = completed_session()
    assert later.aftercare_text == "Version two: no swimming for 48 hours."
    assert later.aftercare["text_version"] == 2


def test_the_snapshot_is_shown_as_kept_not_recomputed(client, derm):
    session = completed_session()
    session.aftercare["instructions"][0]["text"] = "As it was printed that day"
    session.save()
    client.force_login(derm)
    assert "As it was printed that day" in _page(client, session).text


def test_the_patient_reads_their_own_aftercare(client):
    session = completed_session()
    user, _ = patient_with_login(session.patient)
    client.force_login(user)
    response = _page(client, session)
    assert response.status_code == 200
    assert "No makeup until" in response.text
    assert session.lot.lot_number not in response.text


def test_another_patients_aftercare_is_404(client):
    session = completed_session()
    user, _ = patient_with_login()
    client.force_login(user)
    assert _page(client, session).status_code == 404


def test_the_front_desk_prints_aftercare_without_clinical_detail(client_for):
    session = completed_session()
    response = _page(client_for(Role.FRONT_DESK), session)
    assert response.status_code == 200
    assert session.lot.lot_number not in response.text
    assert session.lot.product.name not in response.text
    assert "Dermapen" not in response.text


def test_the_manager_may_not_read_aftercare(client_for):
    assert _page(client_for(Role.MANAGER), completed_session()).status_code == 403


def test_a_session_in_progress_has_no_aftercare_yet(client, derm):
    client.force_login(derm)
    assert _page(client, started_session()).status_code == 404


def test_the_page_prints_on_one_a4_page(client, derm):
    client.force_login(derm)
    page = _page(client, completed_session()).text
    assert 'href="/static/css/print.css" media="print"' in page
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "print.css").read_text()
    assert "size: A4" in css


def test_the_aftercare_email_has_the_exact_times():
    clinic = ClinicSettings.load()
    clinic.phone = "020 7946 0000"
    clinic.save()
    with time_machine.travel(dt.datetime(2026, 3, 9, 14, 30, tzinfo=LONDON), tick=False):
        session = completed_session()
        message = messaging.queue_message(
            appointment=session.appointment, kind=MessageKind.AFTERCARE
        )
        email = messaging.build_email(message, clinic=clinic)

    assert email.subject == "Your aftercare after your microneedling session at Exoclinic"
    assert email.to == [session.patient.email]
    assert "No makeup until Thursday 12 March, 14:30 (72 hours)" in email.body
    assert "Phone: 020 7946 0000" in email.body
    assert "&#x27;" not in email.body  # plain text, not HTML-escaped
    html = email.alternatives[0].content
    assert "<strong>No makeup until Thursday 12 March, 14:30 (72 hours)</strong>" in html
