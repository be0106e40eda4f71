"""Playwright on Debian's chromium, with an accessibility check for every page a test visits.

`playwright install` cannot download here, so the browser is /usr/bin/chromium. When it
is missing the browser tests fail under CI (CI=true) and are skipped on a laptop, with
the command that installs it.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by
# the test itself (creating records) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # A camera that always answers (a test pattern), allowed without a prompt: guided capture.
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
PASSWORD = "correct horse battery staple"

def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # The live server needs committed data, so these tests flush the database; the
            # serialized rollback puts back what the migrations wrote (the role groups).
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser(django_db_setup, django_db_blocker):
    if not CHROMIUM.exists():
        message = "Debian's chromium is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # What the serialized rollback restores is kept on each connection object. Playwright's
    # event loop gives the test thread new connection objects, so hand them the same contents.
    with django_db_blocker.unblock():
        serialized = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    # A Content Security Policy violation or a script error shows up as a console error.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _expected_errors[id(page)] = []
    yield page
    context.close()
    expected = _expected_errors.pop(id(page))
    unexpected = [e for e in errors if not any(part in e for part in expected)]
    assert not unexpected, f"browser console errors: {unexpected}"


_expected_errors: dict[int, list[str]] = {}


def expect_console_error(page, part: str) -> None:
    """Say that a console error containing ``part`` is what the test means to cause (a 403)."""
    _expected_errors[id(page)].append(part)


_axe = Axe()


def check_a11y(page) -> None:
    """Run axe-core on the current page; fail on any violation, naming each."""
    results = _axe.run(page)
    if results.violations_count:
        pytest.fail(f"Accessibility violations on {page.url}:\n{results.generate_report()}")


def authenticator_secret(email: str) -> str | None:
    """The base32 secret of the account's authenticator app, giving one (the demo
    dermatologist's secret) to an account that must have a second factor and has none yet."""
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.demo import DEMO_TOTP_SECRETS
    from clinic.models import User
    from clinic.twofactor import two_factor_required

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        if not two_factor_required(user):
            return None
        device = TOTPDevice.objects.create(
            user=user,
            name="Authenticator app",
            key=base64.b32decode(DEMO_TOTP_SECRETS["derm@demo.clinic"]).hex(),
            confirmed=True,
        )
    # django-otp takes each code once: a second login within the same 30 seconds may reuse it.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return base64.b32encode(device.bin_key).decode()


def log_in(page, email: str, password: str = PASSWORD, *, second_factor: bool = True) -> None:
    """Log in through the pages: the password, then (for whoever needs it) the authenticator
    code. ``second_factor=False`` stops after the password."""
    from tests.helpers import totp_code

    secret = authenticator_secret(email) if second_factor else None
    page.goto("/accounts/login/")
    check_a11y(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if secret and "/accounts/two-factor/verify/" in page.url:
        check_a11y(page)
        page.get_by_label("Code").fill(totp_code(secret))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
