import base64

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.demo import DEMO_PASSWORD, DEMO_TOTP_SECRETS
from clinic.models import ClinicSettings, Role, Room, User
from tests.helpers import totp_code

DEMO_LOGINS = {
    "derm@demo.clinic": Role.DERMATOLOGIST,
    "desk@demo.clinic": Role.FRONT_DESK,
    "manager@demo.clinic": Role.MANAGER,
    "patient@demo.clinic": Role.PATIENT,
}


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()
    # Production never gets a published authenticator secret either.
    assert not TOTPDevice.objects.exists()


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_logins_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Room.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Room.objects.count()) == counts
    out = capsys.readouterr().out
    for email, role in DEMO_LOGINS.items():
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
        assert email in out
    assert ClinicSettings.load().opening_hours.count() == 7


@pytest.mark.django_db
@pytest.mark.parametrize("email", sorted(DEMO_LOGINS))
def test_demo_login_reaches_home(settings, email):
    settings.DEBUG = True
    call_command("seed_demo")
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": email, "password": DEMO_PASSWORD}, follow=True
    )
    if email in DEMO_TOTP_SECRETS:
        # Staff give the code their published secret makes, as `oathtool --totp -b` would.
        assert response.redirect_chain[-1][0].startswith(reverse("two_factor_verify"))
        response = client.post(
            response.redirect_chain[-1][0],
            {"code": totp_code(DEMO_TOTP_SECRETS[email])},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200


@pytest.mark.django_db
def test_seed_demo_prints_each_staff_secret_and_keeps_it(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    for email, secret in DEMO_TOTP_SECRETS.items():
        assert secret in out
        device = TOTPDevice.objects.get(user__email=email)
        assert base64.b32encode(device.bin_key).decode() == secret
    assert not TOTPDevice.objects.filter(user__email="patient@demo.clinic").exists()
