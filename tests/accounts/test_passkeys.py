"""Passkeys (django-otp-webauthn) as a second factor: offered on the pages, and never a way
around a factor the account already has."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_setup_page_offers_a_passkey_with_scripts_from_the_site_only():
    client = Client()
    client.force_login(UserFactory(role=Role.DERMATOLOGIST), second_factor=False)
    page = client.get(reverse("two_factor_setup")).text
    assert 'id="passkey-register-button"' in page
    assert 'src="/static/django_otp_webauthn/otp_webauthn_register.js"' in page
    # The configuration is a JSON data block, not a script the policy would have to allow.
    assert '<script id="otp_webauthn_config" type="application/json">' in page


def test_a_passkey_cannot_be_added_before_the_factor_the_account_has():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    TOTPDevice.objects.create(user=derm, name="Authenticator app", confirmed=True)
    client = Client()
    client.force_login(derm, second_factor=False)
    response = client.post(
        reverse("otp_webauthn:credential-registration-begin"), content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))


def test_a_passkey_never_logs_anyone_in_without_the_password():
    response = Client().post(
        reverse("otp_webauthn:credential-authentication-begin"), content_type="application/json"
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
