"""An htmx request that must sign in first moves the whole page to the sign-in step.

Without this, htmx follows the redirect itself and swaps the login form into the fragment.
Each path that sends a person to sign in is covered: no session at all, a session ended by the
idle or the absolute limit, and a session that has not yet passed the second step.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.access import role_required
from clinic.middleware import HtmxLoginRedirectMiddleware
from clinic.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINUTE = 60
PAGE = "http://testserver/patients/?q=smith"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": PAGE}
FRAGMENT = "/patients/"


def assert_whole_page_goes_to(response, step: str):
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse(step) + "?next=%2Fpatients%2F%3Fq%3Dsmith"
    assert b"<form" not in response.content


def test_an_anonymous_htmx_request_sends_the_page_to_login():
    assert_whole_page_goes_to(Client().get(FRAGMENT, **HTMX), "login")


def test_a_page_guarded_by_its_role_check_sends_the_page_to_login_too():
    # role_required's own redirect (a view that opts out of the site-wide login check).
    view = role_required(Role.DERMATOLOGIST)(lambda request: None)
    request = RequestFactory().get(FRAGMENT, **HTMX)
    request.user = AnonymousUser()
    handler = HtmxMiddleware(HtmxLoginRedirectMiddleware(view))
    assert_whole_page_goes_to(handler(request), "login")


def test_an_idle_session_sends_the_page_to_login(limits, frozen):
    client = Client()
    client.force_login(UserFactory(role=Role.FRONT_DESK))
    frozen.shift(31 * MINUTE)
    assert_whole_page_goes_to(client.get(FRAGMENT, **HTMX), "login")
    # And the session is over.
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_a_session_past_its_twelve_hours_sends_the_page_to_login(limits, frozen):
    client = Client()
    client.force_login(UserFactory(role=Role.DERMATOLOGIST))
    for _ in range(12 * 4):
        frozen.shift(15 * MINUTE)
        response = client.get(FRAGMENT, **HTMX)
    assert_whole_page_goes_to(response, "login")


def test_a_session_before_its_second_step_sends_the_page_to_the_code():
    user = UserFactory(role=Role.DERMATOLOGIST)
    TOTPDevice.objects.create(user=user, name="App", key="00" * 20, confirmed=True)
    client = Client()
    client.force_login(user, second_factor=False)
    assert_whole_page_goes_to(client.get(FRAGMENT, **HTMX), "two_factor_verify")


def test_a_session_that_must_enrol_sends_the_page_to_enrolment():
    client = Client()
    client.force_login(UserFactory(role=Role.MANAGER), second_factor=False)
    assert_whole_page_goes_to(client.get(FRAGMENT, **HTMX), "two_factor_setup")


def test_without_htmx_the_redirect_is_an_ordinary_one():
    response = Client().get(FRAGMENT)
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/patients/"


def test_an_htmx_redirect_elsewhere_is_left_to_htmx():
    client = Client()
    client.force_login(UserFactory(role=Role.FRONT_DESK))
    # A redirect that is not to a sign-in step (here CommonMiddleware adding the slash).
    response = client.get("/patients", **HTMX)  # CommonMiddleware's slash redirect
    assert response.status_code == 301
    assert "HX-Redirect" not in response


def test_a_page_from_another_site_is_not_used_as_next():
    response = Client().get(
        FRAGMENT, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/x"
    )
    assert response["HX-Redirect"] == reverse("login") + "?next=%2Fpatients%2F"
