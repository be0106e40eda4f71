import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from clinic.models import Role, User
from tests.factories import PatientFactory, UserFactory


@pytest.fixture
def desk_client(client_for):
    return client_for(Role.FRONT_DESK)


def _invite(client, patient, capture):
    with capture(execute=True):
        return client.post(reverse("patients:portal_invite", args=[patient.pk]), follow=True)


def test_invited_patient_sets_a_password_once_and_lands_on_the_portal(
    desk_client, django_capture_on_commit_callbacks
):
    patient = PatientFactory(first_name="Olivia", email="olivia@example.test")
    response = _invite(desk_client, patient, django_capture_on_commit_callbacks)
    assert "invitation to the portal is on its way" in response.text
    patient.refresh_from_db()
    assert patient.user.role == Role.PATIENT
    assert not patient.user.has_usable_password()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/welcome/\S+/)", mail.outbox[0].body).group(1)

    visitor = Client()
    form_url = visitor.get(link, follow=True).redirect_chain[-1][0]
    response = visitor.post(
        form_url,
        {"new_password1": "my own long passphrase", "new_password2": "my own long passphrase"},
    )
    assert response.status_code == 302
    assert visitor.get(link, follow=True).context["validlink"] is False  # works once
    visitor.post(
        reverse("login"), {"username": "olivia@example.test", "password": "my own long passphrase"}
    )
    home = visitor.get(reverse("home"))
    assert "Welcome, Olivia" in home.text


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda: PatientFactory(email=""), "Add the patient&#x27;s email address first"),
        (
            lambda: PatientFactory(email=UserFactory(email="taken@example.test").email),
            "Another account already uses taken@example.test",
        ),
        (
            lambda: PatientFactory(user=UserFactory(role=Role.PATIENT)),
            "already uses the portal",
        ),
    ],
    ids=["no-email", "email-taken", "already-active"],
)
def test_invitation_refused_with_a_reason(
    desk_client, setup, message, django_capture_on_commit_callbacks
):
    patient = setup()
    users_before = User.objects.count()
    response = _invite(desk_client, patient, django_capture_on_commit_callbacks)
    assert message in response.text
    assert mail.outbox == []
    assert User.objects.count() == users_before


def test_resending_keeps_one_account(desk_client, django_capture_on_commit_callbacks):
    patient = PatientFactory(email="olivia@example.test")
    _invite(desk_client, patient, django_capture_on_commit_callbacks)
    _invite(desk_client, patient, django_capture_on_commit_callbacks)
    assert User.objects.filter(email="olivia@example.test").count() == 1
    assert len(mail.outbox) == 2


def test_education_page_tells_the_myths_and_facts(client_for):
    response = client_for(Role.PATIENT).get(reverse("patients:education"))
    assert "Myth: exosomes are stem-cell therapy" in response.text
    assert "never injected" in response.text


def test_invitation_link_uses_the_configured_site_not_the_request_host(
    desk_client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://clinic.example.org"
    patient = PatientFactory(email="olivia@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        desk_client.post(
            reverse("patients:portal_invite", args=[patient.pk]), HTTP_HOST="localhost"
        )
    assert "https://clinic.example.org/welcome/" in mail.outbox[0].body
    assert "localhost" not in mail.outbox[0].body
