"""A patient who changes an id in any portal URL gets 404, and staff get 403."""

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.portal.factories import AppointmentFactory, completed_session, portal_patient

pytestmark = pytest.mark.django_db


def own_and_other(name):
    """The URL of one of Olivia's records and of the same kind of record of another patient."""
    _, olivia = portal_patient()
    if name == "treatments:portal_change_request":
        mine, theirs = AppointmentFactory(patient=olivia).pk, AppointmentFactory().pk
    elif name == "treatments:portal_skin_report":
        mine, theirs = completed_session(patient=olivia).pk, completed_session().pk
    else:
        mine = completed_session(patient=olivia).plan_id
        theirs = completed_session().plan_id
    return (
        olivia,
        reverse(name, kwargs={"pk": mine}),
        reverse(name, kwargs={"pk": theirs}),
        reverse(name, kwargs={"pk": 987654}),
    )


PORTAL_URLS = [
    "treatments:portal_change_request",
    "treatments:portal_skin_report",
    "treatments:portal_rating",
]


@pytest.mark.parametrize("name", PORTAL_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_own_id_is_served_and_any_other_id_is_404(name, method):
    olivia, mine, theirs, missing = own_and_other(name)
    client = Client()
    client.force_login(olivia.user)
    assert client.get(mine).status_code == 200
    assert getattr(client, method)(theirs).status_code == 404
    assert getattr(client, method)(missing).status_code == 404


@pytest.mark.parametrize("name", PORTAL_URLS)
@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK, Role.MANAGER])
def test_staff_do_not_use_the_portal(name, role):
    _, mine, _, _ = own_and_other(name)
    client = Client()
    client.force_login(UserFactory(role=role))
    assert client.get(mine).status_code == 403


@pytest.mark.parametrize("name", ["treatments:portal_appointments", "treatments:portal_sessions"])
def test_patient_login_without_a_patient_record_gets_404(name, client_for):
    assert client_for(Role.PATIENT).get(reverse(name)).status_code == 404
