import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import UserFactory


@pytest.mark.django_db
def test_manager_keeps_rooms_in_the_admin(client_for):
    client = client_for(Role.MANAGER)
    response = client.post(
        reverse("admin:clinic_room_add"),
        {"name": "Laser suite", "kind": "procedure", "active": "on"},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:clinic_room_changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK, Role.PATIENT])
def test_other_roles_are_kept_out_of_the_admin(role, client_for):
    response = client_for(role).get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_manager_cannot_grant_superuser(client_for):
    client = client_for(Role.MANAGER)
    other = UserFactory(role=Role.FRONT_DESK)
    response = client.get(reverse("admin:clinic_user_change", args=[other.pk]))
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.text
    assert 'name="groups"' in response.text


@pytest.mark.django_db
def test_opening_hours_must_close_after_they_open(client_for):
    client = client_for(Role.MANAGER)
    client.get("/")  # creates the clinic record
    data = {
        "name": "Demo",
        "address": "",
        "phone": "",
        "email": "",
        "time_zone": "Europe/London",
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "7",
        "opening_hours-0-weekday": "0",
        "opening_hours-0-opens": "18:00",
        "opening_hours-0-closes": "09:00",
    }
    response = client.post(reverse("admin:clinic_clinicsettings_change", args=[1]), data)
    assert response.status_code == 200
    assert "Closing time must be after opening time." in response.text


@pytest.mark.django_db
def test_manager_cannot_reach_superusers_or_patients_or_their_own_role(client_for):
    from clinic.models import User

    manager = UserFactory(role=Role.MANAGER)
    client = client_for(None)
    client.force_login(manager)
    boss = User.objects.create_superuser(email="root@example.test", password="x" * 20)
    patient = UserFactory(role=Role.PATIENT)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    for target in (boss, patient):
        page = client.get(reverse("admin:clinic_user_change", args=[target.pk]))
        assert page.status_code in (302, 403, 404)
        response = client.post(
            reverse("admin:auth_user_password_change", args=[target.pk]),
            {"password1": "taken over pw 123", "password2": "taken over pw 123"},
        )
        assert response.status_code in (302, 403, 404)
        target.refresh_from_db()
        assert not target.check_password("taken over pw 123")
    # Staff accounts stay the manager's to keep.
    assert client.get(reverse("admin:clinic_user_change", args=[derm.pk])).status_code == 200
    own = client.get(reverse("admin:clinic_user_change", args=[manager.pk]))
    assert 'name="groups"' not in own.text
