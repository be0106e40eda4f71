"""An idle staff session is warned a minute before, can stay without losing what was typed,
and is logged out when left."""

import datetime as dt

import time_machine
from django.utils import timezone

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import UserFactory


def test_an_idle_staff_session_is_warned_then_logged_out(page, settings):
    settings.STAFF_IDLE_MINUTES = 30
    desk = UserFactory(role=Role.FRONT_DESK)
    page.clock.install()
    log_in(page, desk.email)
    page.goto("/patients/")
    # The page asks the server how long the session has left, then sets its timers: wait for that
    # answer, or the fast-forward below can run before the timers exist.
    page.wait_for_load_state("networkidle")
    search = page.get_by_label("Find a patient")
    search.fill("Bennett, half-typed")

    # A minute before the 30 idle minutes, the warning; staying keeps the typing.
    page.clock.fast_forward("29:05")
    dialog = page.get_by_role("dialog", name="Still there?")
    dialog.wait_for()
    check_a11y(page)
    dialog.get_by_role("button", name="Stay logged in").click()
    assert not dialog.is_visible()
    assert search.input_value() == "Bennett, half-typed"

    # Left alone past the limit (on the server's clock too): logged out.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=31), tick=True):
        page.clock.fast_forward("31:00")
        page.wait_for_url("**/accounts/login/?next=/patients/**")
        assert page.get_by_text("You were logged out to keep patients' records safe.").is_visible()
        check_a11y(page)
