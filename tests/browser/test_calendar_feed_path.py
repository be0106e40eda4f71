"""A practitioner makes a private calendar feed, sees their appointments in it, and turns it off.

each practitioner has a private iCalendar feed URL (a secret token, revocable) that
calendar apps subscribe to.
"""

import datetime as dt
import urllib.error
import urllib.request

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.conftest import check_a11y, log_in
from tests.factories import PatientFactory, StaffProfileFactory
from tests.treatments.messaging.factories import AppointmentFactory, clinic


def test_practitioner_subscribes_to_their_feed_then_turns_it_off(page):
    clinic()
    staff = StaffProfileFactory(
        user__email="amelia@example.test", user__first_name="Amelia", user__last_name="Hart"
    )
    starts_at = (timezone.now() + dt.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    AppointmentFactory(practitioner=staff, patient=patient, starts_at=starts_at)

    log_in(page, staff.user.email)
    page.get_by_role("link", name="Calendar feed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar feed")
    check_a11y(page)

    page.get_by_role("button", name="Make my feed address").click()
    expect(page.get_by_role("status").first).to_contain_text("Your new feed address is ready")
    address = page.get_by_label("Feed address").input_value()
    expect(page.get_by_role("link", name="Subscribe in your calendar app")).to_have_attribute(
        "href", "webcal://" + address.split("://", 1)[1]
    )
    check_a11y(page)

    # What a calendar app gets: no browser, no login.
    with urllib.request.urlopen(address, timeout=10) as feed:  # noqa: S310 (the live server)
        assert feed.status == 200
        body = feed.read()
    (event,) = Calendar.from_ical(body).events
    # The clinic keeps names out of feeds: the record number says enough.
    assert event["SUMMARY"] == f"Microneedling with exosomes (patient {patient.pk})"
    assert event.start == timezone.localtime(starts_at)

    page.get_by_role("button", name="Turn the feed off").click()
    expect(page.get_by_role("status").first).to_contain_text("Your feed is turned off")
    expect(page.get_by_role("button", name="Make my feed address")).to_be_visible()
    check_a11y(page)
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(address, timeout=10)  # noqa: S310
    assert gone.value.code == 404
