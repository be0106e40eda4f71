import pytest
from django.urls import reverse

from clinic.models import Role
from patients.models import Consent
from tests.factories import ConsentTextFactory, PatientFactory


@pytest.fixture
def patient(db):
    return PatientFactory(first_name="Olivia", last_name="Bennett")


def test_patient_signs_the_current_text_witnessed_by_staff(client_for, patient):
    ConsentTextFactory(kind="treatment")
    current = ConsentTextFactory(kind="treatment", body="Version two wording.")
    client = client_for(Role.FRONT_DESK)
    page = client.get(reverse("patients:consent_sign", args=[patient.pk, "treatment"]))
    assert "Version two wording." in page.text
    response = client.post(
        reverse("patients:consent_sign", args=[patient.pk, "treatment"]),
        {"signed_name": "  olivia   BENNETT ", "agreed": "on", "text_version": "2"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.text == current
    assert current.version == 2
    assert consent.witnessed_by.role == Role.FRONT_DESK
    assert consent.kind == "treatment"
    assert consent.channel == "in_clinic"
    assert consent.text_version == 2
    assert consent.text_sha256 == current.content_sha256
    assert consent.signed_from_ip == "127.0.0.1"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"signed_name": "Someone Else", "agreed": "on", "text_version": "1"},
            "signed_name",
            "not the name on the patient's record",
        ),
        ({"signed_name": "Olivia Bennett", "text_version": "1"}, "agreed", "must tick the box"),
    ],
)
def test_signature_must_be_the_patients_name_and_ticked(client_for, patient, data, field, message):
    ConsentTextFactory(kind="photo")
    response = client_for(Role.DERMATOLOGIST).post(
        reverse("patients:consent_sign", args=[patient.pk, "photo"]), data
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "Bennett" not in response.context["form"].errors[field][0]
    assert not Consent.objects.exists()


def test_without_a_published_text_nothing_can_be_signed(client_for, patient):
    client = client_for(Role.FRONT_DESK)
    response = client.post(
        reverse("patients:consent_sign", args=[patient.pk, "photo"]),
        {"signed_name": "Olivia Bennett", "agreed": "on"},
    )
    assert response.status_code == 200
    assert "has not published" in response.text
    assert not Consent.objects.exists()


def test_unknown_consent_kind_is_404(client_for, patient):
    response = client_for(Role.FRONT_DESK).get(
        reverse("patients:consent_sign", args=[patient.pk, "marketing"])
    )
    assert response.status_code == 404


def test_manager_publishes_new_versions_and_cannot_edit_old_ones(client_for):
    client = client_for(Role.MANAGER)
    data = {
        "kind": "photo",
        "title": "Photo consent",
        "body": "Photos for your record.",
        "published_at_0": "2026-11-01",
        "published_at_1": "09:00",
    }
    assert client.post(reverse("admin:patients_consenttext_add"), data).status_code == 302
    assert client.post(reverse("admin:patients_consenttext_add"), data).status_code == 302
    from patients.models import ConsentText

    first, second = ConsentText.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    client.post(
        reverse("admin:patients_consenttext_change", args=[first.pk]), {**data, "body": "Changed"}
    )
    first.refresh_from_db()
    assert first.body == "Photos for your record."


def test_a_text_published_while_the_patient_reads_must_be_read_first(client_for, patient):
    ConsentTextFactory(kind="treatment", body="Version one.")
    client = client_for(Role.FRONT_DESK)
    shown = client.get(reverse("patients:consent_sign", args=[patient.pk, "treatment"]))
    assert shown.context["form"]["text_version"].initial == 1
    ConsentTextFactory(kind="treatment", body="Version two.")  # the manager publishes meanwhile
    response = client.post(
        reverse("patients:consent_sign", args=[patient.pk, "treatment"]),
        {"signed_name": "Olivia Bennett", "agreed": "on", "text_version": "1"},
    )
    assert response.status_code == 200
    assert "The consent text has changed" in response.text
    assert "Version two." in response.text
    assert not Consent.objects.exists()
