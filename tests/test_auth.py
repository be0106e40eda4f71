import re

import pytest
from django.core import mail
from django.urls import reverse

from clinic.models import Role
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(db):
    return UserFactory(email="amelia@example.test", role=Role.DERMATOLOGIST)


def test_login_with_email_in_any_case(client, person):
    response = client.post(
        reverse("login"), {"username": "Amelia@Example.TEST", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_a_message_and_stays_anonymous(client, person):
    response = client.post(reverse("login"), {"username": person.email, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.text
    assert "_auth_user_id" not in client.session


def test_login_locks_after_five_failures(client, person):
    for _ in range(5):
        client.post(reverse("login"), {"username": person.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": person.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.text
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client, person):
    client.force_login(person)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_end_to_end(client, person):
    response = client.post(reverse("password_reset"), {"email": person.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a new long passphrase 42")


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_rejects_wrong_old_password(client, person):
    client.force_login(person)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "x9 long enough pw",
            "new_password2": "x9 long enough pw",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.text
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
