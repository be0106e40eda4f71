"""A dermatologist adds a passkey and then logs in with it, in Chromium with its virtual
authenticator (DevTools' WebAuthn domain: a platform authenticator whose user is always present
and verified), so the real browser ceremony runs against the real server.

Passkeys are bound to a host name; browsers refuse an IP address. The live server is reached at
``localhost`` (pytest-django's default), and the passkey site and origin are set to that address
and its port for the test.
"""

from urllib.parse import urlsplit

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import UserFactory


@pytest.fixture
def passkey_site(settings, live_server):
    address = urlsplit(live_server.url)
    assert address.hostname == "localhost", "passkeys need a host name, not an IP address"
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return live_server.url


def _virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_dermatologist_adds_a_passkey_and_logs_in_with_it(page, passkey_site):
    derm = UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart")
    _virtual_authenticator(page)
    # Signed in with the authenticator app, they add a passkey on the two-factor page.
    log_in(page, derm.email)
    assert page.get_by_role("heading", level=1).inner_text() == "Good day, Amelia"
    page.goto("/accounts/two-factor/")
    check_a11y(page)
    page.get_by_role("button", name="Add a passkey").click()
    # The page reloads once the server has the new passkey, and lists it.
    listed = page.locator("section[aria-labelledby=passkeys-title] li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("added")
    assert WebAuthnCredential.objects.filter(user=derm).count() == 1
    check_a11y(page)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")

    # The password, then the passkey instead of a code.
    log_in(page, derm.email, second_factor=False)
    assert "/accounts/two-factor/verify/" in page.url
    check_a11y(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)
    assert page.get_by_role("heading", level=1).inner_text() == "Good day, Amelia"
    page.goto("/patients/")
    assert page.get_by_role("heading", name="Patients").is_visible()
