"""A dermatologist sets up an authenticator app on first login, keeps the recovery codes, and
from then on reaches no page without a code; a recovery code works once."""

import re

from clinic.models import Role
from tests.browser.conftest import authenticator_secret, check_a11y, log_in
from tests.factories import UserFactory
from tests.helpers import totp_code


def _log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


def test_a_dermatologist_enrols_and_then_cannot_get_past_the_code(page):
    derm = UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart")
    log_in(page, derm.email, second_factor=False)

    # First login: the set-up page, and no other page until it is done.
    assert "/accounts/two-factor/" in page.url
    check_a11y(page)
    page.goto("/patients/")
    assert re.search(r"/accounts/two-factor/\?next=%2Fpatients%2F$", page.url)
    secret = page.locator(".totp-secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(totp_code(secret))
    page.get_by_role("button", name="Set up the app").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    assert codes.count() == 10
    check_a11y(page)
    recovery = codes.first.inner_text().strip()
    page.get_by_role("link", name="I have kept them: continue").click()
    assert page.get_by_role("heading", name="Patients").is_visible()
    _log_out(page)

    # The password alone reaches nothing.
    log_in(page, derm.email, second_factor=False)
    assert "/accounts/two-factor/verify/" in page.url
    check_a11y(page)
    for path in ["/", "/patients/", "/clinic/account-changes/", "/accounts/two-factor/"]:
        page.goto(path)
        assert "/accounts/two-factor/verify/" in page.url, path
    assert page.get_by_role("link", name="Patients").count() == 0
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("That code is not right").is_visible()
    check_a11y(page)

    # A recovery code works, once.
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.get_by_text("Recovery code used: 9 left").is_visible()
    check_a11y(page)
    _log_out(page)
    log_in(page, derm.email, second_factor=False)
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("That code is not right").is_visible()

    # The app's code still lets them in (the helper lets a code of these 30 seconds count again).
    assert authenticator_secret(derm.email) == secret
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Good day, Amelia"
