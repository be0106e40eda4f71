"""Time off over a booked appointment, end to end.

The clinic manager adds a day of time off for Dr Hart in the admin, over an appointment already
booked with her: it is saved, and the admin names the appointment that now needs moving. The
front desk then finds it on its home page, under "needs moving", follows the calendar to that
day and sees the appointment flagged in words beside Dr Hart's "Away".
"""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role, TimeOff
from tests.browser.conftest import check_a11y, log_in
from tests.factories import AppointmentFactory, PatientFactory, RoomFactory, UserFactory
from tests.treatments.calendar.factories import open_clinic, practitioner


def test_time_off_over_a_booked_appointment_flags_it_to_move(page, browser, live_server):
    clinic = open_clinic(opens=dt.time(8), closes=dt.time(20))
    tz = clinic.zone
    hart = practitioner("Amelia", "Hart", starts=dt.time(8), ends=dt.time(20))
    practitioner("Rohan", "Mehta", starts=dt.time(8), ends=dt.time(20))
    day = timezone.localdate(timezone.now(), tz) + dt.timedelta(days=3)
    olivia = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        practitioner=hart,
        room=RoomFactory(name="Treatment room A"),
        starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=tz),
    )
    manager = UserFactory(role=Role.MANAGER)
    desk = UserFactory(role=Role.FRONT_DESK)

    # The manager adds the time off on Dr Hart's staff page. (The admin is Django's own: it
    # asks for a favicon the site does not have, so it gets a context without the console check.)
    admin = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        manager_page = admin.new_page()
        manager_page.set_default_timeout(10_000)
        log_in(manager_page, manager.email)
        manager_page.goto(f"/admin/clinic/staffprofile/{hart.pk}/change/")
        manager_page.get_by_text("Add another Time off").click()
        row = manager_page.locator("tr.dynamic-time_off").last
        row.locator("input[name$='-starts_at_0']").fill(day.isoformat())
        row.locator("input[name$='-starts_at_1']").fill("08:00")
        row.locator("input[name$='-ends_at_0']").fill(day.isoformat())
        row.locator("input[name$='-ends_at_1']").fill("20:00")
        manager_page.get_by_role("button", name="Save", exact=True).click()
        warning = manager_page.locator(".messagelist .warning")
        expect(warning).to_contain_text("covers 1 booked appointment, which now needs moving")
        expect(warning).to_contain_text(f"{day:%a %d %b %Y} 10:00, Olivia Bennett")
    finally:
        admin.close()
    assert TimeOff.objects.filter(staff=hart).count() == 1

    # The front desk sees it on the home page, and on the calendar of that day.
    log_in(page, desk.email)
    schedule = page.get_by_role("region", name="Appointments today")
    expect(schedule).to_contain_text("1 appointment needs moving")
    check_a11y(page)
    schedule.get_by_role("link", name=re.compile("Olivia Bennett")).click()
    expect(page).to_have_url(re.compile(rf"/treatments/appointments/{olivia.pk}/$"))

    page.goto(f"/treatments/calendar/day/?date={day.isoformat()}")
    grid = page.locator("#calendar")
    block = grid.get_by_role("link", name=re.compile("Olivia Bennett"))
    expect(block).to_contain_text("Needs moving")
    expect(block.locator(".cal-flag")).to_be_visible()
    expect(grid.locator("td.cal-away")).to_have_text("Away")
    check_a11y(page)

    page.get_by_role("link", name="Week", exact=True).click()
    expect(page).to_have_url(re.compile(r"/calendar/week/"))
    # Everyone's week: a compact cell, the flag in words before the name.
    expect(grid.get_by_role("cell", name=re.compile("Olivia Bennett"))).to_contain_text(
        "Needs moving"
    )
    check_a11y(page)
