"""On a 390 px phone, a patient with a planned course books their next session, never offered a
time inside the plan's interval, and cancels an appointment outside the notice window; each page
passes the accessibility check and fits the screen."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.browser.test_patient_phone_path import _fits, phone  # noqa: F401
from tests.factories import RoomFactory, UserFactory, melasma_v
from tests.treatments.portal.factories import portal_patient
from tests.treatments.scheduling.factories import (
    ALL_ROUTES,
    AppointmentTypeFactory,
    microneedling_type,
    open_clinic,
    practitioner,
    ready_plan,
)
from treatments.models import Appointment, AppointmentStatus
from treatments.services import scheduling


def _clinic():
    clinic = open_clinic()
    hart = practitioner()
    room = RoomFactory(name="Treatment room A", kind="procedure", routes=ALL_ROUTES)
    consult = RoomFactory(name="Consultation 1", kind="consultation", routes=[])
    return clinic, hart, room, consult


def _offered_days(page) -> list[dt.date]:
    values = page.locator('input[name="slot"]').evaluate_all("els => els.map(e => e.value)")
    return [dt.datetime.fromisoformat(v.split("|")[0]).date() for v in values]


def test_a_patient_books_their_next_session_and_cancels_on_a_phone(phone):  # noqa: F811
    clinic, hart, _room, consult = _clinic()
    user, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    plan = ready_plan(assessment=melasma_v(patient=olivia))
    microneedling_type()
    consultation = AppointmentTypeFactory()
    visit = scheduling.appointment_book(
        patient=olivia,
        appointment_type=consultation,
        practitioner=hart,
        room=consult,
        starts_at=timezone.localtime(timezone.now(), clinic.zone).replace(
            hour=11, minute=0, second=0, microsecond=0
        )
        + dt.timedelta(days=4),
        by=UserFactory(role=Role.FRONT_DESK),
        clinic=clinic,
    )

    log_in(phone, user.email)
    phone.get_by_role("button", name="Show navigation").click()
    phone.get_by_role("link", name="Book a session", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Book a session")
    _fits(phone)
    check_a11y(phone)

    phone.get_by_role("link", name="Choose a time for session 1").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Choose a time for your next session"
    )
    _fits(phone)
    check_a11y(phone)
    phone.locator('input[name="slot"] + label').first.click()
    phone.get_by_role("button", name="Book this time").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My appointments")
    expect(phone.get_by_text(re.compile(r"Booked: session 1 on"))).to_be_visible()
    _fits(phone)
    check_a11y(phone)
    first = Appointment.objects.get(plan=plan)
    first_day = timezone.localtime(first.starts_at, clinic.zone).date()

    # The next session: no day inside the plan's 42-day interval is offered, in any week.
    phone.goto("/treatments/portal/book/")
    phone.get_by_role("link", name="Choose a time for session 2").click()
    days = _offered_days(phone)
    assert days and min(days) >= first_day + dt.timedelta(days=plan.interval_days)
    phone.goto(f"/treatments/portal/plans/{plan.pk}/book/?week={first_day.isoformat()}")
    assert min(_offered_days(phone)) >= first_day + dt.timedelta(days=plan.interval_days)
    _fits(phone)
    check_a11y(phone)

    # The consultation four days ahead is outside the 24-hour window: cancelled directly.
    phone.goto("/treatments/portal/appointments/")
    phone.get_by_role("link", name=re.compile(r"^Cancel the appointment on")).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Cancel an appointment")
    _fits(phone)
    check_a11y(phone)
    phone.get_by_label("Why are you cancelling?").fill("I am away that week.")
    phone.get_by_role("button", name="Cancel this appointment").click()
    expect(phone.get_by_text(re.compile(r"^Cancelled: your appointment"))).to_be_visible()
    check_a11y(phone)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CANCELLED
    assert not visit.late_cancellation
