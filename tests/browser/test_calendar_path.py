"""The front desk finds their way around the calendar.

Today's appointments for two practitioners on the day view; the toggle to rooms, the next day and
back swap the calendar with htmx without reloading the page; the week view, whose compact
blocks the keyboard follows to the appointment; an appointment opens its page; a free quarter
hour leads to finding the patient and on to booking.
"""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import (
    AppointmentFactory,
    PatientFactory,
    RoomFactory,
    UserFactory,
    microneedling_type,
    review_type,
)
from tests.treatments.calendar.factories import open_clinic, practitioner


def test_front_desk_moves_around_the_calendar(page, live_server):
    clinic = open_clinic(opens=dt.time(6), closes=dt.time(22))
    tz = clinic.zone
    hart = practitioner("Amelia", "Hart", starts=dt.time(6), ends=dt.time(22))
    mehta = practitioner("Rohan", "Mehta", starts=dt.time(6), ends=dt.time(22))
    room_a = RoomFactory(name="Treatment room A", routes=["microneedling", "topical"])
    room_b = RoomFactory(name="Treatment room B", routes=["topical"])
    today = timezone.localdate(timezone.now(), tz)
    tomorrow = today + dt.timedelta(days=1)
    olivia = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        appointment_type=microneedling_type(),
        practitioner=hart,
        room=room_a,
        starts_at=dt.datetime.combine(today, dt.time(10), tzinfo=tz),
    )
    AppointmentFactory(
        patient=PatientFactory(first_name="Amara", last_name="Okafor"),
        appointment_type=review_type(),
        practitioner=mehta,
        room=room_b,
        starts_at=dt.datetime.combine(today, dt.time(11, 30), tzinfo=tz),
        status="checked_in",
    )
    PatientFactory(first_name="Grace", last_name="Whitfield")
    desk = UserFactory(role=Role.FRONT_DESK)

    log_in(page, desk.email)
    check_a11y(page)  # the home page, with today's schedule
    page.get_by_role("link", name="Calendar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    grid = page.locator("#calendar")
    expect(grid.get_by_role("columnheader", name="Dr Amelia Hart")).to_be_visible()
    expect(grid.get_by_role("columnheader", name="Dr Rohan Mehta")).to_be_visible()
    expect(grid).to_contain_text("10:00–11:15")
    expect(grid).to_contain_text("Olivia Bennett")
    expect(grid).to_contain_text("Microneedling with exosomes")
    expect(grid).to_contain_text("Amara Okafor")
    expect(grid).to_contain_text("Checked in")
    check_a11y(page)

    # From here on the page must not reload: htmx swaps the calendar only.
    page.evaluate("window.calendarMarker = 'still here'")

    page.get_by_role("link", name="By room").click()
    expect(page).to_have_url(re.compile(r"by=room"))
    expect(grid.get_by_role("columnheader", name="Treatment room A")).to_be_visible()
    expect(grid.get_by_role("columnheader", name="Treatment room B")).to_be_visible()
    expect(grid).to_contain_text("Dr Amelia Hart")  # who, in the room's block
    check_a11y(page)

    page.get_by_role("link", name="Next day").click()
    expect(page).to_have_url(re.compile(f"date={tomorrow.isoformat()}"))
    expect(grid.get_by_role("heading", level=2)).to_contain_text(f"{tomorrow:%A} {tomorrow.day}")
    expect(grid).not_to_contain_text("Olivia Bennett")
    expect(page).to_have_title(re.compile(f"^Calendar, {tomorrow:%A}"))
    check_a11y(page)

    page.get_by_role("link", name="Previous day").click()
    expect(page).to_have_url(re.compile(f"date={today.isoformat()}&by=room"))
    expect(grid).to_contain_text("Olivia Bennett")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    assert page.evaluate("window.calendarMarker") == "still here"

    page.get_by_role("link", name="Week", exact=True).click()
    expect(page).to_have_url(re.compile(r"/calendar/week/"))
    expect(grid.get_by_role("heading", level=2)).to_contain_text("Week of")
    expect(grid).to_contain_text("Olivia Bennett")
    assert page.evaluate("window.calendarMarker") == "still here"
    check_a11y(page)

    # Everyone's week names the patient in a compact cell, the name a short link that the
    # keyboard follows to the appointment (the week came in by an htmx swap of the day page).
    detail = f"/treatments/appointments/{olivia.pk}/"
    expect(grid.get_by_role("cell", name=re.compile("Olivia Bennett"))).to_be_visible()
    name = grid.get_by_role("link", name=re.compile("Olivia Bennett"))
    expect(name).to_have_attribute("href", f"../a/{olivia.pk}")
    name.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.locator("main")).to_contain_text("Olivia Bennett")
    page.goto(f"/treatments/calendar/week/?date={today.isoformat()}&by=room")
    page.get_by_role("link", name="Day", exact=True).click()
    expect(page).to_have_url(re.compile(r"/calendar/day/"))

    # An appointment opens its page.
    block = grid.get_by_role("link", name=re.compile("Olivia Bennett"))
    expect(block).to_have_attribute("href", detail)
    block.click()
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.locator("main")).to_contain_text("Olivia Bennett")
    check_a11y(page)

    # A free quarter hour tomorrow: find the patient, then on to the booking page.
    page.goto(f"/treatments/calendar/day/?date={tomorrow.isoformat()}")
    page.get_by_role("link", name="Book 10:00 with Dr Amelia Hart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{tomorrow.day}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("10:00")
    check_a11y(page)
    page.get_by_label("Find the patient").fill("whitfield")
    page.get_by_role("button", name="Find").click()
    book = page.get_by_role("link", name="Book for Grace Whitfield")
    expect(book).to_have_attribute(
        "href", re.compile(r"/book/\?at=.*&practitioner=" + str(hart.pk))
    )
    check_a11y(page)
    book.click()
    expect(page).to_have_url(re.compile(r"/patients/\d+/book/\?at="))
    check_a11y(page)

    # On a tablet (a touch screen: a coarse pointer) every free quarter hour is a 44 px target
    # and the grid scrolls sideways inside the page.
    tablet = page.context.browser.new_context(
        base_url=live_server.url, viewport={"width": 1024, "height": 768}, has_touch=True
    )
    try:
        touch = tablet.new_page()
        errors = []
        touch.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        log_in(touch, desk.email)
        touch.goto(f"/treatments/calendar/day/?date={tomorrow.isoformat()}")
        free = touch.get_by_role("link", name="Book 10:00 with Dr Amelia Hart")
        assert free.bounding_box()["height"] >= 44
        scroller = touch.locator(".cal-scroll")
        assert scroller.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        check_a11y(touch)
        assert not errors
    finally:
        tablet.close()
