"""What the front desk types while an htmx swap is on its way is still there when it lands.

Each swap's answer is held back (``page.route``) while the desk types, then let go: the booking
page's "time already agreed" survives a search of the free times (and books what that search
asked for), and a date typed into the calendar survives a "Next day" landing, while an untouched
date field follows the calendar.
"""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import AssessmentFactory, PatientFactory, RoomFactory, UserFactory
from tests.treatments.calendar import factories as calendar_factories
from tests.treatments.scheduling.factories import (
    AppointmentTypeFactory,
    open_clinic,
    practitioner,
    review_type,
)
from treatments.models import Appointment

ALL_DAY = {"starts": dt.time(0), "ends": dt.time(23, 45)}


def _hold(page, pattern: re.Pattern) -> list:
    """Hold back the next request matching ``pattern``; the list gets its route."""
    held: list = []

    def handler(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(pattern, handler)
    return held


def _wait_until_held(page, held: list) -> None:
    for _ in range(200):
        if held:
            return
        page.wait_for_timeout(25)
    raise AssertionError("the swap's request never left")


def test_a_time_being_typed_survives_a_search_landing(page):
    clinic = open_clinic(opens=dt.time(0), closes=dt.time(23, 45))
    practitioner(**ALL_DAY)
    RoomFactory(name="Consultation 1", kind="consultation", routes=[])
    consultation = AppointmentTypeFactory()
    review = review_type()
    patient = PatientFactory()
    # Seen before (assessed), so a follow-up review is a type the desk may book for them.
    AssessmentFactory(patient=patient)
    desk = UserFactory(role=Role.FRONT_DESK)
    in_a_week = timezone.localdate(timezone.now(), clinic.zone) + dt.timedelta(days=7)

    log_in(page, desk.email)
    page.goto(f"/treatments/patients/{patient.pk}/book/")
    page.get_by_label("Appointment type").select_option(label=consultation.name)
    page.get_by_role("button", name="Find free times").click()
    typed = page.locator("form[aria-labelledby=typed-heading]")
    expect(typed).to_be_visible()
    check_a11y(page)

    # A second search, for a review a week on: held while the desk types the agreed time.
    held = _hold(page, re.compile(r"/book/slots/\?"))
    page.get_by_label("Appointment type").select_option(label=review.name)
    page.get_by_label("From", exact=True).fill(in_a_week.isoformat())
    page.get_by_label("To", exact=True).fill(in_a_week.isoformat())
    page.get_by_role("button", name="Find free times").click()
    _wait_until_held(page, held)
    agreed = f"{in_a_week:%Y-%m-%d}T10:00"
    typed.get_by_label("Date and time").fill(agreed)
    typed.get_by_label("Practitioner").select_option(label="Dr Amelia Hart")
    typed.get_by_label("Room").select_option(label="Consultation 1")
    held[0].continue_()

    slots = page.locator("#slots")
    expect(slots).to_contain_text(f"Free times: {review.name}")
    expect(slots).to_contain_text(f"{in_a_week:%A} {in_a_week.day} {in_a_week:%B %Y}")
    expect(typed.get_by_label("Date and time")).to_have_value(agreed)
    expect(typed.get_by_label("Room")).to_have_value(re.compile(r"\d+"))
    check_a11y(page)

    # The typed time books what the search that landed asked for: a review.
    typed.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Booked: {review.name}")
    booked = Appointment.objects.get(patient=patient)
    assert booked.appointment_type == review
    assert timezone.localtime(booked.starts_at, clinic.zone).time() == dt.time(10)


def test_a_date_being_typed_survives_the_next_day_landing(page):
    clinic = calendar_factories.open_clinic(opens=dt.time(6), closes=dt.time(22))
    calendar_factories.practitioner("Amelia", "Hart", starts=dt.time(6), ends=dt.time(22))
    desk = UserFactory(role=Role.FRONT_DESK)
    today = timezone.localdate(timezone.now(), clinic.zone)
    tomorrow, after = today + dt.timedelta(days=1), today + dt.timedelta(days=2)
    wanted = today + dt.timedelta(days=30)

    log_in(page, desk.email)
    page.goto("/treatments/calendar/day/")
    grid = page.locator("#calendar")
    date = page.get_by_label("Go to date")
    expect(date).to_have_value(today.isoformat())

    held = _hold(page, re.compile(r"/calendar/day/\?date="))
    page.get_by_role("link", name="Next day").click()
    _wait_until_held(page, held)
    date.fill(wanted.isoformat())
    held[0].continue_()

    heading = grid.get_by_role("heading", level=2)
    expect(heading).to_contain_text(f"{tomorrow:%A} {tomorrow.day} {tomorrow:%B %Y}")
    expect(date).to_have_value(wanted.isoformat())  # what the desk typed, not the day shown
    check_a11y(page)

    # Untouched, the field follows the calendar; and what was typed is what "Show" shows.
    page.unroute(re.compile(r"/calendar/day/\?date="))
    page.get_by_role("link", name="Next day").click()
    expect(heading).to_contain_text(f"{after:%A} {after.day} {after:%B %Y}")
    expect(date).to_have_value(after.isoformat())
    date.fill(wanted.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(heading).to_contain_text(f"{wanted:%A} {wanted.day} {wanted:%B %Y}")
    expect(date).to_have_value(wanted.isoformat())
    check_a11y(page)
