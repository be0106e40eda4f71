"""Corrections to a locked session are addenda with their author and time; the original stays."""

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.sessions.factories import completed_session, started_session
from treatments.models import SessionAddendum, TreatmentSession

pytestmark = pytest.mark.django_db


def _add(client, session, text):
    return client.post(reverse("treatments:session_addendum", args=[session.pk]), {"text": text})


def test_an_addendum_is_kept_with_its_author_and_time_and_the_record_unchanged(client):
    session = completed_session()
    before = TreatmentSession.objects.values().get(pk=session.pk)
    colleague = UserFactory(role=Role.DERMATOLOGIST, first_name="Rohan", last_name="Mehta")
    client.force_login(colleague)

    response = _add(client, session, "Depth on the forehead was 0.75 mm, not 1.0 mm.")

    assert response.status_code == 302
    assert response["Location"].endswith("#addenda")
    addendum = SessionAddendum.objects.get(session=session)
    assert addendum.author == colleague
    assert addendum.created_at is not None
    assert TreatmentSession.objects.values().get(pk=session.pk) == before
    page = client.get(response["Location"]).text
    assert "Depth on the forehead was 0.75 mm, not 1.0 mm." in page
    assert "Rohan Mehta" in page
    assert "1.0 mm" in page  # the original depth, as recorded


def test_addenda_are_listed_oldest_first(client, derm):
    session = completed_session()
    client.force_login(derm)
    _add(client, session, "First correction")
    _add(client, session, "Second correction")
    page = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert page.index("First correction") < page.index("Second correction")


def test_an_empty_addendum_is_refused(client, derm):
    session = completed_session()
    client.force_login(derm)
    response = _add(client, session, "   ")
    assert response.status_code == 200
    assert "Write the correction or addition." in response.text
    assert not SessionAddendum.objects.exists()


def test_an_open_session_takes_no_addendum(client, derm):
    session = started_session()
    client.force_login(derm)
    response = _add(client, session, "Too early")
    assert response.status_code == 302
    assert "The session is still open" in client.get(response["Location"]).text
    assert not SessionAddendum.objects.exists()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_only_dermatologists_add_addenda(client_for, role):
    session = completed_session()
    assert _add(client_for(role), session, "Not mine to write").status_code == 403
    assert not SessionAddendum.objects.exists()


def test_adding_needs_a_post(client, derm):
    client.force_login(derm)
    url = reverse("treatments:session_addendum", args=[completed_session().pk])
    assert client.get(url).status_code == 405
