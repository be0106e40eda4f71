"""The hand-over screen: the clinic's tablet in the patient's hands to sign consent, without the
staff navigation; leaving needs the staff member's password (patients.handover)."""

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import Role
from patients.models import Consent
from tests.factories import ConsentTextFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factory's


@pytest.fixture
def patient():
    return PatientFactory(first_name="Olivia", last_name="Bennett")


@pytest.fixture
def desk():
    user = UserFactory(role=Role.FRONT_DESK, first_name="Sam", last_name="Desk")
    client = Client(REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="ClinicTablet/1.0")
    client.force_login(user)
    client.user = user
    return client


def _sign_url(patient, kind="treatment"):
    return reverse("patients:consent_sign", args=[patient.pk, kind])


def test_opening_the_consent_page_hands_the_tablet_over_without_staff_navigation(desk, patient):
    ConsentTextFactory(kind="treatment")
    page = desk.get(_sign_url(patient))
    assert page.status_code == 200
    assert 'aria-label="Main"' in page.text
    assert 'href="/patients/"' not in page.text  # no staff navigation
    assert "Bennett" not in page.text  # nothing of the record beyond the text to sign
    # Every other page leads back to the hand-over screen.
    for url in (
        reverse("patients:list"),
        reverse("home"),
        reverse("patients:detail", args=[patient.pk]),
    ):
        response = desk.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("patients:handover")
    other = PatientFactory()
    assert desk.get(_sign_url(other))["Location"] == reverse("patients:handover")


def test_the_patient_signs_in_clinic_witnessed_with_the_evidence_kept(desk, patient):
    text = ConsentTextFactory(kind="treatment")
    desk.get(_sign_url(patient))
    response = desk.post(
        _sign_url(patient), {"signed_name": "Olivia Bennett", "agreed": "on", "text_version": "1"}
    )
    assert response["Location"] == reverse("patients:handover")
    consent = Consent.objects.get()
    assert consent.channel == "in_clinic" and consent.witnessed_by == desk.user
    assert consent.text_sha256 == text.content_sha256
    assert (consent.signed_from_ip, consent.user_agent) == ("198.51.100.4", "ClinicTablet/1.0")
    screen = desk.get(reverse("patients:handover"))
    assert "You have signed the current version" in screen.text


def test_a_wrong_name_is_refused_without_showing_the_registered_one(desk, patient):
    ConsentTextFactory(kind="treatment")
    response = desk.post(
        _sign_url(patient), {"signed_name": "Liv B", "agreed": "on", "text_version": "1"}
    )
    assert response.status_code == 200
    assert "not the name on the patient" in response.text
    assert "Bennett" not in response.text
    assert not Consent.objects.exists()


def test_the_staff_password_takes_the_tablet_back(desk, patient):
    desk.get(_sign_url(patient))
    wrong = desk.post(reverse("patients:handover"), {"password": "guess"})
    assert wrong.status_code == 200 and "not your password" in wrong.text
    assert desk.get(reverse("patients:list")).status_code == 302
    right = desk.post(reverse("patients:handover"), {"password": PASSWORD})
    assert right["Location"] == reverse("patients:detail", args=[patient.pk])
    assert desk.get(reverse("patients:list")).status_code == 200


def test_wrong_passwords_are_throttled_like_logging_in(desk, patient, settings):
    settings.AXES_FAILURE_LIMIT = 3
    desk.get(_sign_url(patient))
    for _ in range(3):
        desk.post(reverse("patients:handover"), {"password": "guess"})
    refused = desk.post(reverse("patients:handover"), {"password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many wrong passwords" in refused.text
    assert desk.get(reverse("patients:list")).status_code == 302  # still locked


def test_logging_out_ends_the_hand_over(desk, patient):
    desk.get(_sign_url(patient))
    assert desk.post(reverse("logout")).status_code == 302
    assert desk.get(reverse("patients:list")).status_code == 302  # to log in, not the screen
    assert "login" in desk.get(reverse("patients:list"))["Location"]


def test_the_screen_without_a_hand_over_goes_home(desk):
    assert desk.get(reverse("patients:handover"))["Location"] == reverse("home")


def test_patients_and_anonymous_visitors_cannot_open_it(client_for):
    assert client_for(Role.PATIENT).get(reverse("patients:handover")).status_code == 403
    assert "login" in Client().get(reverse("patients:handover"))["Location"]
