"""A lost factor is reset by a manager (a clinician's only by a superuser), and recorded."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import AccountChange, Role
from clinic.twofactor.services import two_factor_reset
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def enrolled(**fields):
    user = UserFactory(**fields)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def test_a_manager_resets_the_front_desk_and_it_is_recorded_and_logs_them_out():
    manager, desk = UserFactory(role=Role.MANAGER), enrolled(role=Role.FRONT_DESK)
    desk_client = Client()
    desk_client.force_login(desk)
    assert desk_client.get("/").status_code == 200
    change = two_factor_reset(by=manager, account=desk)
    assert not TOTPDevice.objects.filter(user=desk).exists()
    assert change.kind == AccountChange.Kind.TWO_FACTOR_RESET
    assert (change.by, change.account) == (manager, desk)
    assert desk_client.get("/")["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "account",
    [
        {"role": Role.DERMATOLOGIST},
        {"role": Role.PATIENT},
        {"role": Role.MANAGER, "is_superuser": True},
    ],
    ids=["dermatologist", "patient", "superuser"],
)
def test_a_manager_may_not_reset_a_clinician_patient_or_superuser(account):
    manager, other = UserFactory(role=Role.MANAGER), enrolled(**account)
    with pytest.raises(PermissionDenied):
        two_factor_reset(by=manager, account=other)
    assert TOTPDevice.objects.filter(user=other).exists()
    assert not AccountChange.objects.exists()


def test_nobody_resets_their_own():
    manager = enrolled(role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        two_factor_reset(by=manager, account=manager)
    assert TOTPDevice.objects.filter(user=manager).exists()


def test_a_superuser_resets_a_dermatologist():
    superuser = UserFactory(is_superuser=True, is_staff=True)
    derm = enrolled(role=Role.DERMATOLOGIST)
    two_factor_reset(by=superuser, account=derm)
    assert not TOTPDevice.objects.filter(user=derm).exists()
    assert AccountChange.objects.get().kind == AccountChange.Kind.TWO_FACTOR_RESET


def test_the_admin_action_refuses_a_forced_reset_of_a_dermatologist():
    manager = UserFactory(role=Role.MANAGER, is_staff=True)
    derm, desk = enrolled(role=Role.DERMATOLOGIST), enrolled(role=Role.FRONT_DESK)
    client = Client()
    client.force_login(manager)
    response = client.post(
        reverse("admin:clinic_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [derm.pk, desk.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Not reset" in response.text
    assert TOTPDevice.objects.filter(user=derm).exists()
    assert not TOTPDevice.objects.filter(user=desk).exists()
    assert list(AccountChange.objects.values_list("account", flat=True)) == [desk.pk]
