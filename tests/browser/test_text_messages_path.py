"""A patient chooses text only in the portal (on a phone); their booking confirmation text is
refused by Twilio (a fake one on 127.0.0.1, driven by the real client); the desk finds it on the
failed list with Twilio's reason and sends it again, once."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import UserFactory
from tests.treatments.messaging.factories import AppointmentFactory, clinic
from tests.treatments.portal.factories import portal_patient
from tests.treatments.sms import fake_twilio
from treatments.models import MessageStatus, OutboundMessage
from treatments.services import messaging

UNREACHABLE = (400, 21612, "The 'To' phone number {to} is not currently reachable via SMS.")


@pytest.fixture
def twilio():
    fake = fake_twilio.FakeTwilio().start()
    with override_settings(
        SMS_BACKEND="twilio",
        TWILIO_ACCOUNT_SID=fake_twilio.ACCOUNT_SID,
        TWILIO_AUTH_TOKEN=fake_twilio.AUTH_TOKEN,
        TWILIO_FROM_NUMBER=fake_twilio.FROM_NUMBER,
        TWILIO_API_URL=fake.url,
        SMS_QUIET_HOURS="",  # the live server runs on the real clock, at any hour
    ):
        yield fake
    fake.stop()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_text_only_then_the_desk_resends_a_failed_text(phone, page, twilio):
    clinic(name="Exoclinic Demo Clinic")
    user, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    desk = UserFactory(role=Role.FRONT_DESK)

    log_in(phone, user.email)
    phone.goto("/treatments/portal/contact/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("How we contact you")
    check_a11y(phone)
    phone.get_by_role("group", name="Appointment reminders").get_by_label("Text only").check()
    phone.get_by_role("group", name="Everything else").get_by_label("Text only").check()
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("we will contact you as you chose")).to_be_visible()
    check_a11y(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    twilio.script.append(UNREACHABLE)
    appointment = AppointmentFactory(patient=olivia)
    messaging.appointment_changed(appointment.pk, "booked")  # the test backend sends at once
    text = OutboundMessage.objects.get(kind="confirmation")
    assert (text.channel, text.status) == ("sms", MessageStatus.FAILED)
    assert not OutboundMessage.objects.filter(channel="email").exists()

    log_in(page, desk.email)
    page.get_by_role("link", name="Failed messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Failed messages")
    row = page.get_by_role("row").filter(has_text="Olivia Bennett")
    expect(row).to_contain_text("not currently reachable via SMS. (Twilio error 21612)")
    check_a11y(page)
    row.get_by_role("link", name="Olivia Bennett").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages: Olivia Bennett")
    check_a11y(page)
    page.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("The text is being sent again.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Booking confirmation")).to_contain_text("Sent")
    check_a11y(page)

    assert len(twilio.accepted) == 1
    assert twilio.accepted[0]["to"] == olivia.mobile.as_e164
    text.refresh_from_db()
    assert text.status == MessageStatus.SENT
