"""Two-factor login: who must prove a second factor, the second step, enrolment, lockout."""

import base64

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import ClinicSettings, Role
from tests.factories import UserFactory
from tests.helpers import totp_code

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=user, name="Authenticator app", key=base64.b32decode(SECRET).hex(), confirmed=True
    )


def after_password(user) -> Client:
    client = Client()
    client.force_login(user, second_factor=False)
    return client


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.MANAGER, Role.FRONT_DESK])
def test_staff_without_a_factor_must_enrol_before_any_page(role):
    client = after_password(UserFactory(role=role))
    for path in ["/", reverse("patients:list"), "/admin/", reverse("account_changes")]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("two_factor_setup") + "?next=" + path.replace(
            "/", "%2F"
        )


def test_a_superuser_without_a_role_must_enrol_too():
    client = after_password(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_setup"))


def test_front_desk_goes_straight_in_when_the_clinic_turns_the_requirement_off():
    clinic = ClinicSettings.load()
    clinic.require_two_factor_front_desk = False
    clinic.save()
    client = after_password(UserFactory(role=Role.FRONT_DESK))
    assert client.get("/").status_code == 200


def test_a_patient_needs_no_second_factor_unless_they_turned_it_on():
    patient = UserFactory(role=Role.PATIENT)
    assert after_password(patient).get("/").status_code == 200
    with_app(patient)
    response = after_password(patient).get("/")
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_an_enrolled_dermatologist_gives_the_code_and_reaches_the_page():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    with_app(derm)
    client = after_password(derm)
    response = client.get(reverse("patients:list"))
    assert response["Location"] == reverse("two_factor_verify") + "?next=%2Fpatients%2F"
    # Neither the other pages nor the set-up page (a new factor) are open before the code.
    assert client.get(reverse("two_factor_setup"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    response = client.post(
        reverse("two_factor_verify"), {"code": totp_code(SECRET), "next": "/patients/"}
    )
    assert response["Location"] == "/patients/"
    assert client.get(reverse("patients:list")).status_code == 200


def test_a_wrong_code_is_refused_next_to_the_field():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    with_app(derm)
    client = after_password(derm)
    response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get("/")["Location"].startswith(reverse("two_factor_verify"))


def test_the_next_address_never_leads_off_the_site():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    with_app(derm)
    client = after_password(derm)
    response = client.post(
        reverse("two_factor_verify"), {"code": totp_code(SECRET), "next": "https://evil.test/"}
    )
    assert response["Location"] == "/"


def test_a_recovery_code_works_once():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    with_app(derm)
    device = StaticDevice.objects.create(user=derm, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=device, token="abcd2345")
    client = after_password(derm)
    response = client.post(reverse("two_factor_verify"), {"code": "ABCD 2345"})
    assert response["Location"] == "/"
    assert not StaticToken.objects.filter(token="abcd2345").exists()
    again = after_password(derm)
    response = again.post(reverse("two_factor_verify"), {"code": "abcd2345"})
    assert response.status_code == 200
    assert "That code is not right" in response.text


def test_five_wrong_codes_lock_the_second_step_for_an_hour(settings, frozen):
    settings.TWO_FACTOR_FAILURE_LIMIT = 5
    derm = UserFactory(role=Role.DERMATOLOGIST)
    with_app(derm)
    client = after_password(derm)
    for _ in range(4):
        frozen.shift(60)  # past django-otp's own growing delay between tries
        assert client.post(reverse("two_factor_verify"), {"code": "000000"}).status_code == 200
    frozen.shift(60)
    response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.text
    # Logged out; and a new password login does not reopen the step, even with the right code.
    assert client.get("/")["Location"].startswith(reverse("login"))
    fresh = after_password(derm)
    frozen.shift(60)
    response = fresh.post(reverse("two_factor_verify"), {"code": totp_code(SECRET)})
    assert response.status_code == 429
    frozen.shift(3601)
    later = after_password(derm)
    response = later.post(reverse("two_factor_verify"), {"code": totp_code(SECRET)})
    assert response["Location"] == "/"


def test_enrolment_confirms_the_app_and_shows_ten_recovery_codes_once():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    client = after_password(derm)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    pending = TOTPDevice.objects.get(user=derm, confirmed=False)
    secret = base64.b32encode(pending.bin_key).decode()
    assert secret in page.text
    refused = client.post(reverse("two_factor_setup"), {"action": "app", "code": "123"})
    assert "That code is not right" in refused.text
    assert not TOTPDevice.objects.filter(user=derm, confirmed=True).exists()
    response = client.post(
        reverse("two_factor_setup"), {"action": "app", "code": totp_code(secret)}
    )
    assert TOTPDevice.objects.filter(user=derm, confirmed=True).count() == 1
    codes = list(StaticToken.objects.filter(device__user=derm).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in response.text for code in codes)
    assert not any(code in client.get(reverse("two_factor_setup")).text for code in codes)
    assert client.get(reverse("patients:list")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones():
    derm = UserFactory(role=Role.DERMATOLOGIST)
    client = Client()
    client.force_login(derm)
    client.get(reverse("two_factor_setup"))  # the first codes come with the first factor
    old = set(StaticToken.objects.values_list("token", flat=True))
    response = client.post(reverse("two_factor_setup"), {"action": "codes"})
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not old & new
    assert all(code in response.text for code in new)


def test_a_patient_may_turn_it_on():
    patient = UserFactory(role=Role.PATIENT)
    client = Client()
    client.force_login(patient)
    page = client.get(reverse("two_factor_setup"))
    assert "It is up to you" in page.text
    secret = base64.b32encode(TOTPDevice.objects.get(user=patient).bin_key).decode()
    client.post(reverse("two_factor_setup"), {"action": "app", "code": totp_code(secret)})
    assert TOTPDevice.objects.filter(user=patient, confirmed=True).exists()
    assert after_password(patient).get("/")["Location"].startswith(reverse("two_factor_verify"))


def test_recovery_codes_are_not_made_for_an_account_without_a_factor():
    patient = UserFactory(role=Role.PATIENT)
    client = Client()
    client.force_login(patient)
    response = client.post(reverse("two_factor_setup"), {"action": "codes"})
    assert response.status_code == 200
    assert not StaticDevice.objects.exists()


def test_a_forced_code_for_a_pending_app_of_someone_else_changes_nothing():
    derm, other = UserFactory(role=Role.DERMATOLOGIST), UserFactory(role=Role.DERMATOLOGIST)
    client = after_password(derm)
    client.get(reverse("two_factor_setup"))
    theirs = TOTPDevice.objects.create(user=other, name="Authenticator app", confirmed=False)
    secret = base64.b32encode(theirs.bin_key).decode()
    response = client.post(
        reverse("two_factor_setup"), {"action": "app", "code": totp_code(secret)}
    )
    assert "That code is not right" in response.text
    theirs.refresh_from_db()
    assert not theirs.confirmed
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
