"""The patient signs treatment and photo consent in the portal, against the current text, with
the evidence kept (patients.models.consents)."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import Role
from patients.models import Consent
from tests.factories import ConsentFactory, ConsentTextFactory, PatientFactory
from tests.treatments.portal.factories import portal_patient

pytestmark = pytest.mark.django_db

SIGN = "patients:portal_consent_sign"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"


@pytest.fixture
def olivia():
    return portal_patient(first_name="Olivia", last_name="Bennett")


@pytest.fixture
def client(olivia):
    client = Client(HTTP_USER_AGENT=PHONE, REMOTE_ADDR="203.0.113.7")
    client.force_login(olivia[0])
    return client


def _sign(client, kind="treatment", **data):
    return client.post(
        reverse(SIGN, args=[kind]),
        {"signed_name": "olivia  bennett", "agreed": "on", "text_version": "1", **data},
    )


def test_patient_signs_the_current_text_and_the_evidence_is_kept(client, olivia):
    text = ConsentTextFactory(kind="photo", title="Photo consent", body="Photos of your skin.")
    page = client.get(reverse(SIGN, args=["photo"]))
    assert "Photos of your skin." in page.text
    response = _sign(client, "photo")
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.patient == olivia[1]
    assert (consent.kind, consent.channel, consent.text_version) == ("photo", "portal", 1)
    assert (
        consent.text_sha256 == hashlib.sha256(b"Photo consent\n\nPhotos of your skin.").hexdigest()
    )
    assert consent.text_sha256 == text.content_sha256
    assert consent.signed_name == "olivia bennett"
    assert consent.signed_from_ip == "203.0.113.7"
    assert consent.user_agent == PHONE
    assert consent.witnessed_by is None
    assert consent.signed_at is not None


def test_a_wrong_name_is_refused_without_showing_the_registered_one(client):
    ConsentTextFactory(kind="treatment")
    response = _sign(client, signed_name="Liv Smith")
    assert response.status_code == 200
    error = response.context["form"].errors["signed_name"][0]
    assert "not the name the clinic has for you" in error
    assert "Bennett" not in error
    assert not Consent.objects.exists()


def test_a_text_published_meanwhile_must_be_read_first(client):
    ConsentTextFactory(kind="treatment")
    ConsentTextFactory(kind="treatment", body="Newer wording.")
    response = _sign(client, text_version="1")
    assert "has changed" in str(response.context["form"].errors), response.context["form"].errors
    assert not Consent.objects.exists()


def test_a_forged_kind_is_404_and_nothing_is_signed(client):
    assert _sign(client, "marketing").status_code == 404
    assert not Consent.objects.exists()


def test_once_signed_the_page_says_so_and_a_second_post_changes_nothing(client, olivia):
    ConsentTextFactory(kind="treatment")
    _sign(client)
    page = client.get(reverse(SIGN, args=["treatment"]))
    assert "You signed this version" in page.text
    assert _sign(client).status_code == 200
    assert Consent.objects.count() == 1


def test_the_list_shows_only_the_patients_own_signatures(
    client, olivia, django_assert_max_num_queries
):
    text = ConsentTextFactory(kind="treatment")
    ConsentTextFactory(kind="photo")
    ConsentFactory(patient=PatientFactory(), text=text)  # someone else's
    page = client.get(reverse("patients:portal_consents"))
    assert "Not signed yet" in page.text
    ConsentFactory(patient=olivia[1], text=text)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("patients:portal_consents"))
    assert page.text.count("Not signed yet") == 1
    assert "in the clinic" in page.text


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST, Role.MANAGER])
def test_staff_do_not_sign_in_the_portal(client_for, role):
    ConsentTextFactory(kind="treatment")
    assert client_for(role).get(reverse(SIGN, args=["treatment"])).status_code == 403


def test_anonymous_is_sent_to_log_in():
    response = Client().get(reverse(SIGN, args=["treatment"]))
    assert response.status_code == 302 and "login" in response["Location"]
