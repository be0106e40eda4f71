import html

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import RoomFactory, UserFactory
from tests.helpers import assert_queries_do_not_grow


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.DERMATOLOGIST, "Today's sessions"),
        (Role.FRONT_DESK, "Today's schedule"),
        (Role.PATIENT, "Your upcoming sessions"),
        (Role.MANAGER, "Clinic overview"),
    ],
)
def test_each_role_lands_on_its_own_home(role, heading, client_for):
    response = client_for(role).get(reverse("home"))
    assert response.status_code == 200
    assert heading in html.unescape(response.text)
    assert response.text.count("<h1") == 1


@pytest.mark.django_db
def test_account_without_role_is_told_so(client):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "no role yet" in response.text


@pytest.mark.django_db
def test_inactive_role_member_gets_nothing(client):
    # An archived account keeps its group but must not pass the role check.
    user = UserFactory(role=Role.DERMATOLOGIST)
    assert user.has_role(Role.DERMATOLOGIST)
    user.is_active = False
    assert not user.has_role(Role.DERMATOLOGIST)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_admin"),
    [
        (Role.MANAGER, True),
        (Role.DERMATOLOGIST, False),
        (Role.FRONT_DESK, False),
        (Role.PATIENT, False),
    ],
)
def test_navigation_shows_clinic_admin_only_to_manager(role, sees_admin, client_for):
    response = client_for(role).get(reverse("home"))
    assert ("Clinic admin" in response.text) is sees_admin


@pytest.mark.django_db
def test_manager_overview_lists_rooms(client_for):
    RoomFactory(name="Treatment room Z")
    response = client_for(Role.MANAGER).get(reverse("home"))
    assert "Treatment room Z" in response.text


@pytest.mark.django_db
def test_manager_home_queries_do_not_grow_with_rooms(client_for):
    client = client_for(Role.MANAGER)

    def grow():
        for n in range(20):
            RoomFactory(name=f"Room {n}")

    # The page's own 10, this week's figures and the low-stock warning (a fixed 7), and the
    # serious adverse events waiting to be reported (1).
    assert_queries_do_not_grow(lambda: client.get(reverse("home")), grow, limit=18)
