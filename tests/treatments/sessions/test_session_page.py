"""The session page: the plan's route, product, areas and depth ranges beside the steps; the
locked record afterwards. Dermatologists only; a bounded number of queries."""

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import ScreenFactory
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.sessions.factories import (
    applied_session,
    completed_session,
    prepared_session,
    started_session,
    usable_lot,
)
from treatments.models import AdverseEvent, SessionAddendum
from treatments.services import adverse_events

pytestmark = pytest.mark.django_db


def _detail(client, session):
    return client.get(reverse("treatments:session_detail", args=[session.pk]))


def test_the_page_shows_the_plan_beside_the_steps(client, derm):
    session = started_session()
    client.force_login(derm)
    page = _detail(client, session).text
    assert "<h1" in page and page.count("<h1") == 1
    assert "Treatment session: Microneedling" in page
    assert session.plan.product.name in page
    assert "0.5–1.5 mm" in page  # the face's allowed depth
    assert "1. Anything changed?" in page
    assert "After the day's screen." in page


def test_the_steps_open_one_after_the_other(client, derm):
    client.force_login(derm)
    prepared = prepared_session()
    usable_lot(prepared.plan, lot_number="RV-2401")
    page = _detail(client, prepared).text
    assert "Gentle cleansing done." in page
    assert "RV-2401" in page
    assert "Before completing:" in page

    applied = applied_session()
    page = _detail(client, applied).text
    assert "Complete the session" in page
    assert "Before completing:" not in page


def test_the_locked_page_shows_the_record_and_the_aftercare(client, derm):
    session = completed_session()
    client.force_login(derm)
    page = _detail(client, session).text
    assert "Locked on" in page
    assert session.lot.lot_number in page
    assert "Mild redness" in page
    assert "Sun protection applied (broad-spectrum SPF 30+)" in page
    assert "No makeup until" in page
    assert reverse("treatments:aftercare", args=[session.pk]) in page
    assert "Record the application" not in page


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_front_desk_managers_and_patients_cannot_open_session_records(client_for, role):
    assert _detail(client_for(role), completed_session()).status_code == 403


def test_an_unknown_session_is_404(client, derm):
    client.force_login(derm)
    assert client.get(reverse("treatments:session_detail", args=[999999])).status_code == 404


def test_the_open_page_does_not_query_per_lot_screen_or_event(client, derm):
    session = prepared_session()
    client.force_login(derm)

    def grow():
        for _ in range(3):
            usable_lot(session.plan)
            ScreenFactory(patient=session.patient)
            AdverseEvent.objects.create(
                patient=session.patient,
                session=session,
                kind="other",
                description="Itchy rash",
                severity="mild",
                onset_on=session.started_at.date(),
                reported_by=derm,
            )

    assert_queries_do_not_grow(lambda: _detail(client, session), grow, limit=14)


def test_the_locked_page_does_not_query_per_addendum_or_event(client, derm):
    session = completed_session()
    client.force_login(derm)

    def grow():
        for n in range(3):
            SessionAddendum.objects.create(session=session, author=derm, text=f"Note {n}")
            adverse_events.adverse_event_record(
                patient=session.patient,
                by=derm,
                session=session,
                kind="blistering",
                description="Blister",
                severity="mild",
                onset_on=session.started_at.date(),
            )

    assert_queries_do_not_grow(lambda: _detail(client, session), grow, limit=13)
