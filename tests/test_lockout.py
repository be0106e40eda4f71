"""Login lockout cannot be walked around: by the email's spelling, or by spraying accounts."""

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import Role
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def _log_in(client, username, password="wrong guess"):  # noqa: S107
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def lock1(db):
    return UserFactory(email="lock1@demo.clinic", role=Role.DERMATOLOGIST)


def test_twelve_guesses_over_three_spellings_lock_the_account(client, lock1):
    spellings = ["lock1@demo.clinic", "LOCK1@demo.clinic", " Lock1@Demo.Clinic "]
    for guess in range(12):
        _log_in(client, spellings[guess % 3])
    response = _log_in(client, "lock1@demo.clinic", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "spelling", ["Lock1@Demo.Clinic", " lock1@demo.clinic ", "LOCK1@DEMO.CLINIC"]
)
def test_five_failures_in_any_spelling_lock_every_spelling(client, lock1, spelling):
    for _ in range(5):
        _log_in(client, spelling)
    for other in ("lock1@demo.clinic", spelling):
        assert _log_in(client, other, PASSWORD).status_code == 429


def test_a_failure_in_one_spelling_is_forgotten_after_logging_in_in_another(client, lock1):
    for _ in range(4):
        _log_in(client, "LOCK1@demo.clinic")
    assert _log_in(client, " lock1@demo.clinic", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _log_in(client, "lock1@demo.clinic")
    assert _log_in(client, "Lock1@demo.clinic", PASSWORD).status_code == 302


def test_spraying_one_guess_at_many_accounts_locks_the_address(client, db, settings):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    people = [UserFactory(email=f"staff{n}@demo.clinic") for n in range(limit + 1)]
    for person in people[: limit - 1]:
        assert _log_in(client, person.email).status_code == 200  # a wrong password, not locked
    assert _log_in(client, people[limit - 1].email).status_code == 429  # the limit is reached
    # Another account from that address is refused even with its right password...
    assert _log_in(client, people[-1].email, PASSWORD).status_code == 429
    # ...while the same account from another address still logs in.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert _log_in(elsewhere, people[-1].email, PASSWORD).status_code == 302


def test_a_few_failures_from_one_address_lock_nobody_else(client, db, settings):
    people = [UserFactory(email=f"staff{n}@demo.clinic") for n in range(3)]
    for person in people:
        _log_in(client, person.email)
    assert len(people) < settings.AXES_ADDRESS_FAILURE_LIMIT
    assert _log_in(client, people[0].email, PASSWORD).status_code == 302
