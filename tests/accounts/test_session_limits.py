"""Logged out after 30 idle minutes, staff after 12 hours whatever they do; the staff cookie
ends with the browser; the page's clock can ask the time left and keep the session alive."""

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINUTE = 60


def signed_in(role) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role))
    return client


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK, Role.PATIENT])
def test_thirty_idle_minutes_log_out(role, limits, frozen):
    client = signed_in(role)
    frozen.shift(29 * MINUTE)
    assert client.get("/").status_code == 200
    frozen.shift(29 * MINUTE)  # idle counts from the last request, not from logging in
    assert client.get("/").status_code == 200
    frozen.shift(30 * MINUTE + 1)
    response = client.get("/patients/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/patients/"
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_the_idle_limit_is_a_setting(limits, frozen):
    limits.STAFF_IDLE_MINUTES = 5
    client = signed_in(Role.DERMATOLOGIST)
    frozen.shift(5 * MINUTE + 1)
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_staff_are_logged_out_twelve_hours_after_logging_in_however_busy(limits, frozen):
    client = signed_in(Role.DERMATOLOGIST)
    for _ in range(12 * 4 - 1):
        frozen.shift(15 * MINUTE)
        assert client.get("/").status_code == 200
    frozen.shift(15 * MINUTE)
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_a_busy_patient_stays_logged_in_past_twelve_hours(limits, frozen):
    client = signed_in(Role.PATIENT)
    for _ in range(13 * 4):
        frozen.shift(15 * MINUTE)
        assert client.get("/").status_code == 200


def test_a_staff_cookie_ends_with_the_browser_and_a_patients_does_not():
    assert signed_in(Role.FRONT_DESK).session.get_expire_at_browser_close()
    assert not signed_in(Role.PATIENT).session.get_expire_at_browser_close()


def test_asking_the_time_left_does_not_keep_the_session_alive(limits, frozen):
    client = signed_in(Role.DERMATOLOGIST)
    frozen.shift(20 * MINUTE)
    status = client.get(reverse("session_status")).json()
    assert status == {"seconds_left": 10 * MINUTE, "extendable": True}
    frozen.shift(10 * MINUTE + 1)
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_stay_logged_in_keeps_the_session_alive(limits, frozen):
    client = signed_in(Role.DERMATOLOGIST)
    frozen.shift(29 * MINUTE)
    status = client.post(reverse("session_status")).json()
    assert status == {"seconds_left": 30 * MINUTE, "extendable": True}
    frozen.shift(29 * MINUTE)
    assert client.get("/").status_code == 200


def test_near_the_twelve_hours_the_clock_says_it_cannot_be_extended(limits, frozen):
    client = signed_in(Role.DERMATOLOGIST)
    for _ in range(47):
        frozen.shift(15 * MINUTE)
        client.post(reverse("session_status"))
    frozen.shift(14 * MINUTE)
    status = client.post(reverse("session_status")).json()
    assert status == {"seconds_left": MINUTE, "extendable": False}
