"""A new visitor books a first consultation at /book/, on a 390 px phone and on a desktop: they
choose a time, give their details, read the code from the email and confirm it; then the front
desk sees the bookings as "New, check identity" on its home and confirms one as a new patient.
Each page passes the accessibility check (and fits the phone)."""

import re

from django.core import mail
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.browser.test_patient_phone_path import _fits, phone  # noqa: F401
from tests.factories import PatientFactory, RoomFactory, UserFactory
from tests.treatments.scheduling.factories import AppointmentTypeFactory, open_clinic, practitioner
from treatments.models import Appointment, IdentityCheck, OnlineBooking


def _clinic():
    clinic = open_clinic()
    clinic.online_booking = True
    clinic.phone = "020 7946 0000"
    clinic.save()
    hart = practitioner()
    practitioner(first_name="Rohan", last_name="Mehta")
    RoomFactory(name="Consultation 1", kind="consultation", routes=[])
    AppointmentTypeFactory()
    return clinic, hart


def _latest_code(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to and "code" in m.subject)
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def _fill_details(page, *, first, last, email, mobile):
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Date of birth").fill("1990-04-02")
    page.get_by_label("Mobile phone").fill(mobile)
    page.get_by_label("Email").fill(email)


def test_a_visitor_books_on_a_phone(phone):  # noqa: F811
    _clinic()
    phone.goto("/book/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Book a first consultation")
    _fits(phone)
    check_a11y(phone)
    if not phone.locator('input[name="slot"]').count():
        phone.get_by_role("link", name="Later week").click()
    phone.locator('input[name="slot"] + label').first.click()
    _fill_details(
        phone, first="Grace", last="Okafor", email="grace@example.com", mobile="07911 123456"
    )
    phone.get_by_role("button", name="Send me a code").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Enter your code")
    _fits(phone)
    check_a11y(phone)
    phone.get_by_label("Code from the email").fill(_latest_code("grace@example.com"))
    phone.get_by_role("button", name="Book this time").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your consultation is booked")
    expect(phone.get_by_text(re.compile(r"Booked: .* with Dr "))).to_be_visible()
    _fits(phone)
    check_a11y(phone)
    booking = OnlineBooking.objects.get()
    assert booking.appointment.patient.full_name == "Grace Okafor"
    assert str(booking.patient.mobile) == "+447911123456"


def test_a_visitor_books_on_a_desktop_and_the_desk_checks_identity(page):
    _clinic()
    PatientFactory(first_name="Nia", last_name="Brown", email="nia.brown@example.com")
    desk = UserFactory(role=Role.FRONT_DESK, first_name="Dana", last_name="Desk")

    page.goto("/book/")
    check_a11y(page)
    page.get_by_label("Practitioner").select_option(label="Dr Amelia Hart")
    page.get_by_role("button", name="Show times").click()
    _fill_details(
        page, first="Nia", last="Brown", email="nia.brown@example.com", mobile="+44 7911 123458"
    )
    # The later week's times replace this week's in place (htmx): what was typed stays.
    first_week = page.get_by_text(re.compile(r"^Week from ")).inner_text()
    page.get_by_role("link", name="Later week").click()
    expect(page.get_by_text(re.compile(r"^Week from "))).not_to_have_text(first_week)
    expect(page.get_by_label("First name")).to_have_value("Nia")
    assert "week=" in page.url
    check_a11y(page)
    labels = page.locator('input[name="slot"] + label')
    assert all("Dr Amelia Hart" in text for text in labels.all_inner_texts())
    # Nothing chosen: the message is at the times, and the details typed are kept.
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_text("Choose one of the times offered.")).to_be_visible()
    check_a11y(page)
    expect(page.get_by_label("First name")).to_have_value("Nia")
    page.locator('input[name="slot"] + label').first.click()
    page.get_by_role("button", name="Send me a code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    code = _latest_code("nia.brown@example.com")
    page.get_by_label("Code from the email").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text(re.compile("That code is not right.*4 tries left"))).to_be_visible()
    check_a11y(page)
    assert not Appointment.objects.exists()
    page.get_by_label("Code from the email").fill(code)
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your consultation is booked")
    check_a11y(page)
    booking = OnlineBooking.objects.get()
    assert booking.likely_existing  # the clinic knows a Nia Brown with that email

    page.context.clear_cookies()
    log_in(page, desk.email)
    expect(page.get_by_role("heading", name="Booked online: check identity")).to_be_visible()
    expect(page.get_by_text("New, check identity")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Check identity of Nia Brown").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check identity: booked online")
    check_a11y(page)
    page.get_by_label("A new patient").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Nia Brown is confirmed as a new patient.")).to_be_visible()
    expect(page.get_by_text("No online booking is waiting for an identity check.")).to_be_visible()
    check_a11y(page)
    booking.refresh_from_db()
    assert booking.identity == IdentityCheck.NEW and booking.checked_by == desk
