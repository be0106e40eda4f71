"""The patient's pages on a 390 px phone: nothing runs off the side, and the clinic's number is a
link that dials it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import ClinicSettings
from tests.browser.conftest import check_a11y, log_in
from tests.treatments.portal.factories import completed_session, portal_patient, skin_report

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_the_skin_report_fits_a_phone_and_the_number_dials(phone):
    ClinicSettings.objects.update_or_create(pk=1, defaults={"phone": "020 7946 0000"})
    user, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    session = completed_session(patient=olivia, ended_at=timezone.now() - dt.timedelta(days=1))
    skin_report(session, anything_else="A little tight around the nose, otherwise fine.")

    log_in(phone, user.email)
    _fits(phone)
    check_a11y(phone)
    phone.get_by_role("button", name="Show navigation").click()
    phone.get_by_role("link", name="My treatments", exact=True).click()
    _fits(phone)
    check_a11y(phone)
    phone.get_by_role("link", name="How is your skin?").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("How is your skin?")
    expect(phone.get_by_role("heading", name="What you told us after this session")).to_be_visible()
    _fits(phone)
    check_a11y(phone)
    dial = phone.locator("main").get_by_role("link", name="020 7946 0000").first
    expect(dial).to_have_attribute("href", "tel:+442079460000")
