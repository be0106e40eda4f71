"""Emails anyone can make the clinic send are limited: password resets and portal invitations."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role, ThrottleEvent
from tests.factories import PatientFactory, UserFactory

DONE_PAGE = "If an account uses that address, a link to choose a new password is on its way."


@pytest.fixture
def person(db):
    return UserFactory(email="amelia@example.test", role=Role.DERMATOLOGIST)


def _reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_ten_resets_in_a_row_send_three_emails_and_say_the_same_each_time(client, person):
    pages = [_reset(client, "amelia@example.test") for _ in range(10)]
    assert len(mail.outbox) == 3
    for page in pages:
        assert page.status_code == 200
        assert DONE_PAGE in page.text


def test_the_limit_counts_the_account_not_the_spelling(client, person):
    for spelling in ["amelia@example.test", "AMELIA@example.test", "Amelia@Example.Test"] * 2:
        _reset(client, spelling)
    assert len(mail.outbox) == 3


def test_resets_are_allowed_again_an_hour_later(client, person):
    for _ in range(4):
        _reset(client, person.email)
    assert len(mail.outbox) == 3
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        _reset(client, person.email)
    assert len(mail.outbox) == 4


def test_one_address_asking_for_many_accounts_is_capped(client, db, settings):
    people = [UserFactory(email=f"staff{n}@example.test") for n in range(15)]
    for someone in people:
        page = _reset(client, someone.email)
        assert DONE_PAGE in page.text
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS
    # Another address still gets its own email for an account that was not reached.
    _reset(Client(REMOTE_ADDR="203.0.113.9"), people[-1].email)
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAILS_PER_ADDRESS + 1


def test_an_unknown_address_is_counted_nowhere_and_told_the_same(client, db):
    page = _reset(client, "nobody@example.test")
    assert DONE_PAGE in page.text
    assert mail.outbox == []
    assert not ThrottleEvent.objects.exists()


def _invite(client, patient, capture):
    with capture(execute=True):
        return client.post(reverse("patients:portal_invite", args=[patient.pk]), follow=True)


def test_a_patient_is_sent_at_most_three_invitations_an_hour(
    client_for, django_capture_on_commit_callbacks
):
    desk = client_for(Role.FRONT_DESK)
    patient = PatientFactory(email="olivia@example.test")
    pages = [_invite(desk, patient, django_capture_on_commit_callbacks) for _ in range(5)]
    assert len(mail.outbox) == 3
    assert "invitation to the portal is on its way" in pages[2].text
    assert "3 invitations already went to olivia@example.test in the last hour" in pages[3].text
    assert "is on its way" not in pages[4].text


def test_a_refused_invitation_is_not_counted(client_for, django_capture_on_commit_callbacks):
    desk = client_for(Role.FRONT_DESK)
    archived = PatientFactory(email="olivia@example.test", archived_at=timezone.now())
    _invite(desk, archived, django_capture_on_commit_callbacks)
    assert not ThrottleEvent.objects.exists()
