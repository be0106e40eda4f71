"""Each demo role logs in through the real login page and lands on its own home."""

import pytest
from django.core.management import call_command

from clinic.demo import DEMO_PASSWORD
from tests.browser.conftest import check_a11y, log_in

HOMES = [
    ("derm@demo.clinic", "Good day, Amelia"),
    ("desk@demo.clinic", "Today's schedule"),
    ("patient@demo.clinic", "Welcome, Olivia"),
    ("manager@demo.clinic", "Clinic overview"),
]


@pytest.fixture
def demo_clinic(page, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    settings.DEBUG = False


@pytest.mark.parametrize(("email", "heading"), HOMES, ids=[e for e, _ in HOMES])
def test_demo_role_logs_in_and_lands_on_its_home(page, demo_clinic, email, heading):
    log_in(page, email, DEMO_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    check_a11y(page)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


def test_wrong_password_is_explained_on_the_page(page, demo_clinic):
    log_in(page, "derm@demo.clinic", "not the password")
    assert page.get_by_text("Please enter a correct email address and password").is_visible()
    check_a11y(page)
