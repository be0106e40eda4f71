"""Pages and htmx fragments arrive compressed in a real browser, and still work.

The front desk opens the calendar and steps to the next day (an htmx swap): Chromium asks for
brotli, gets it for the page and for the fragment, and shows both. The two-factor setup page, with
its unmasked key, comes uncompressed.
"""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import AppointmentFactory, PatientFactory, RoomFactory, UserFactory
from tests.treatments.calendar.factories import open_clinic, practitioner


def test_the_calendar_and_its_swaps_arrive_compressed_and_show(page, live_server):
    clinic = open_clinic()
    hart = practitioner("Amelia", "Hart")
    today = timezone.localdate(timezone.now(), clinic.zone)
    tomorrow = today + dt.timedelta(days=1)
    AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        practitioner=hart,
        room=RoomFactory(name="Treatment room A", routes=["topical"]),
        starts_at=dt.datetime.combine(tomorrow, dt.time(10), tzinfo=clinic.zone),
    )
    desk = UserFactory(role=Role.FRONT_DESK)
    log_in(page, desk.email)

    with page.expect_response(re.compile(r"/treatments/calendar/day/")) as opened:
        page.get_by_role("link", name="Calendar", exact=True).click()
    assert opened.value.headers.get("content-encoding") == "br"
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    check_a11y(page)

    with page.expect_response(re.compile(r"date=" + tomorrow.isoformat())) as swapped:
        page.get_by_role("link", name="Next day").click()
    assert swapped.value.request.headers.get("hx-request") == "true"
    assert swapped.value.headers.get("content-encoding") == "br"
    expect(page.locator("#calendar")).to_contain_text("Olivia Bennett")
    check_a11y(page)


def test_the_two_factor_setup_page_arrives_uncompressed(page, live_server):
    derm = UserFactory(role=Role.DERMATOLOGIST)
    log_in(page, derm.email, second_factor=False)
    response = page.goto("/accounts/two-factor/")
    assert response.status == 200
    assert response.headers.get("content-encoding") is None
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page)
