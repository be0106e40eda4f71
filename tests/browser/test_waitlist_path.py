"""On a 390 px phone: a patient joins the waitlist; another patient cancels outside the notice
window; the waitlisted patient reads the offer's email from the outbox and takes the time, and a
second patient who accepts after her is told it has gone. The desk sees the waitlist and offers a
time by hand. Every page passes the accessibility check; the patients' pages fit the phone."""

import datetime as dt
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.browser.test_patient_phone_path import PHONE, _fits, phone  # noqa: F401
from tests.factories import AppointmentTypeFactory, RoomFactory, UserFactory
from tests.treatments.portal.factories import portal_patient
from tests.treatments.scheduling.factories import open_clinic, practitioner
from treatments.models import Appointment, AppointmentStatus, WaitlistEntry
from treatments.services import scheduling, waitlist


def _offer_link(email_address: str) -> str:
    """The offer's link, read from the email in the outbox."""
    [email] = [m for m in mail.outbox if m.to == [email_address] and "earlier time" in m.subject]
    url = re.search(r"https?://\S+/portal/waitlist/offers/\S+/", email.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def _portal(device, email: str) -> None:
    device.context.clear_cookies()
    log_in(device, email)


def test_a_freed_time_goes_to_the_waitlisted_patient_who_takes_it_first(
    phone, browser, live_server  # noqa: F811
):
    clinic = open_clinic()
    hart = practitioner()
    consult = RoomFactory(name="Consultation 1", kind="consultation", routes=[])
    consultation = AppointmentTypeFactory()
    desk = UserFactory(role=Role.FRONT_DESK)
    tz = clinic.zone
    day = timezone.localdate(timezone.now(), tz) + dt.timedelta(days=4)
    starts_at = dt.datetime.combine(day, dt.time(11), tzinfo=tz)
    canceller_user, canceller = portal_patient(first_name="Grace", last_name="Obi")
    visit = scheduling.appointment_book(
        patient=canceller, appointment_type=consultation, practitioner=hart, room=consult,
        starts_at=starts_at, by=desk, clinic=clinic,
    )
    olivia_user, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    late_user, late = portal_patient(first_name="Sam", last_name="Lee")

    # Olivia joins the waitlist on her phone.
    log_in(phone, olivia_user.email)
    phone.get_by_role("button", name="Show navigation").click()
    phone.get_by_role("link", name="Join the waitlist", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Join the waitlist")
    _fits(phone)
    check_a11y(phone)
    phone.get_by_label("What are you waiting for?").select_option(label=consultation.name)
    today = timezone.localdate(timezone.now(), tz)
    phone.get_by_label("First date that suits").fill(today.isoformat())
    phone.get_by_label("Last date that suits").fill((today + dt.timedelta(days=14)).isoformat())
    for name in ("Saturday", "Sunday"):
        phone.get_by_label(name).check()
    phone.get_by_role("button", name="Join the waitlist").click()
    expect(phone.get_by_text(re.compile(r"^You are on the waitlist for"))).to_be_visible()
    _fits(phone)
    check_a11y(phone)
    assert WaitlistEntry.objects.get(patient=olivia).weekdays == "0123456"
    # Sam joined later (the desk put him on).
    waitlist.waitlist_join(
        patient=late, appointment_type=consultation, earliest=today,
        latest=today + dt.timedelta(days=14), weekdays=set(range(7)), time_from=dt.time(9),
        time_to=dt.time(18), by=desk, clinic=clinic,
    )

    # Grace cancels four days ahead, outside the 24-hour window.
    _portal(phone, canceller_user.email)
    phone.goto("/treatments/portal/appointments/")
    phone.get_by_role("link", name=re.compile(r"^Cancel the appointment on")).first.click()
    phone.get_by_label("Why are you cancelling?").fill("I am away that week.")
    phone.get_by_role("button", name="Cancel this appointment").click()
    expect(phone.get_by_text(re.compile(r"^Cancelled: your appointment"))).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CANCELLED

    # Sam opens his offer on his own phone, but does not take it yet.
    sam = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    ).new_page()
    log_in(sam, late_user.email)
    sam.goto(_offer_link(late.email))
    expect(sam.get_by_role("button", name="Take this time")).to_be_visible()
    check_a11y(sam)

    # Olivia reads the offer's email and takes the time.
    link = _offer_link(olivia.email)
    _portal(phone, olivia_user.email)
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("A time from the waitlist")
    _fits(phone)
    check_a11y(phone)
    phone.get_by_role("button", name="Take this time").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My appointments")
    expect(phone.get_by_text(re.compile(r"^Booked: "))).to_be_visible()
    _fits(phone)
    check_a11y(phone)
    assert Appointment.objects.get(patient=olivia).starts_at == starts_at

    # Sam accepts after her: told it has gone.
    sam.get_by_role("button", name="Take this time").click()
    expect(sam.get_by_text(re.compile("someone else took this time first"))).to_be_visible()
    _fits(sam)
    check_a11y(sam)
    sam.context.close()
    assert not Appointment.objects.filter(patient=late).exists()


def test_the_desk_sees_the_waitlist_and_offers_a_time_by_hand(page):
    clinic = open_clinic()
    practitioner()
    RoomFactory(name="Consultation 1", kind="consultation", routes=[])
    consultation = AppointmentTypeFactory()
    desk = UserFactory(role=Role.FRONT_DESK)
    _, patient = portal_patient(first_name="Olivia", last_name="Bennett")
    today = timezone.localdate(timezone.now(), clinic.zone)

    log_in(page, desk.email)
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="Add to the waitlist").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add Olivia Bennett to the waitlist"
    )
    check_a11y(page)
    page.get_by_label("What are you waiting for?").select_option(label=consultation.name)
    page.get_by_label("First date that suits").fill(today.isoformat())
    page.get_by_label("Last date that suits").fill((today + dt.timedelta(days=14)).isoformat())
    for name in ("Saturday", "Sunday"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Add to the waitlist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Olivia Bennett on the waitlist")
    check_a11y(page)
    page.locator('input[name="slot"] + label').first.click()
    page.get_by_role("button", name="Offer this time").click()
    expect(page.get_by_text(re.compile(r"^Offered .* to Olivia Bennett"))).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Waitlist", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Waitlist")
    expect(page.get_by_text("Offered a time")).to_be_visible()
    check_a11y(page)
    assert _offer_link(patient.email)
