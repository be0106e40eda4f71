"""The front desk's booking path, in a browser.

For a patient with a planned microneedling plan (4 sessions, 42 days apart) and treatment consent:
preview and book the whole course in one step, open a session and move it by choosing a new free
time, cancel another appointment less than 24 hours ahead (marked late), try a conflicting typed
booking and read the clear refusal, then see the course on the day calendar. The accessibility
check runs on every page.

The test clinic is open round the clock, so that "in a few hours" is always bookable, whatever the
time the test runs.
"""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import PatientFactory, RoomFactory, UserFactory
from tests.treatments.scheduling.factories import (
    AppointmentTypeFactory,
    microneedling_type,
    open_clinic,
    practitioner,
    ready_plan,
)
from treatments.models import Appointment, AppointmentStatus
from treatments.services import scheduling

ALL_DAY = {"starts": dt.time(0), "ends": dt.time(23, 45)}


def test_front_desk_books_moves_and_cancels(page):
    clinic = open_clinic(opens=dt.time(0), closes=dt.time(23, 45))
    tz = clinic.zone
    hart = practitioner(**ALL_DAY)
    RoomFactory(name="Treatment room A", kind="procedure", routes=["microneedling"])
    consult_room = RoomFactory(name="Consultation 1", kind="consultation", routes=[])
    consultation = AppointmentTypeFactory()
    microneedling_type()
    plan = ready_plan()
    patient = plan.patient
    desk = UserFactory(role=Role.FRONT_DESK)

    # Another patient's consultation a few hours from now: it will be cancelled late.
    other = PatientFactory(first_name="Grace", last_name="Whitfield")
    now = timezone.now()
    found, _ = scheduling.find_free_slots(
        clinic=clinic,
        patient=other,
        appointment_type=consultation,
        start_date=timezone.localdate(now, tz),
        end_date=timezone.localdate(now, tz) + dt.timedelta(days=1),
        practitioner=hart,
        now=now + dt.timedelta(hours=3),
        limit=1,
    )
    soon = scheduling.appointment_book(
        patient=other,
        appointment_type=consultation,
        practitioner=hart,
        room=consult_room,
        starts_at=found[0].start,
        by=desk,
        clinic=clinic,
    )

    log_in(page, desk.email)

    # The course preview: four sessions, six weeks apart, with one practitioner.
    page.goto(f"/treatments/plans/{plan.pk}/book-course/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book the course")
    for number in range(1, 5):
        expect(page.get_by_role("heading", name=f"Session {number} of 4")).to_be_visible()
    expect(page.locator("main")).to_contain_text("with Dr Amelia Hart in Treatment room A")
    check_a11y(page)
    page.get_by_role("button", name="Book 4 sessions").click()

    expect(page.get_by_role("status").first).to_contain_text("4 sessions booked.")
    sessions = list(Appointment.objects.filter(plan=plan).order_by("starts_at"))
    assert len(sessions) == 4
    expect(page.get_by_role("heading", level=1)).to_have_text("Microneedling with exosomes")
    check_a11y(page)

    # Open the last session and move it a day later, choosing a free time.
    last = sessions[-1]
    last_local = timezone.localtime(last.starts_at, tz)
    page.get_by_role(
        "link", name=re.compile(f"{last_local:%a} {last_local.day} {last_local:%b}")
    ).click()
    expect(page).to_have_url(re.compile(f"/appointments/{last.pk}/$"))
    check_a11y(page)
    page.get_by_role("link", name="Move", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move an appointment")
    check_a11y(page)
    next_day = last_local.date() + dt.timedelta(days=1)
    page.get_by_label("From", exact=True).fill(next_day.isoformat())
    page.get_by_label("To", exact=True).fill(next_day.isoformat())
    page.get_by_role("button", name="Find free times").click()
    slots = page.locator("#slots")
    expect(slots).to_contain_text(f"{next_day:%A} {next_day.day} {next_day:%B %Y}")
    check_a11y(page)
    slots.get_by_role("link", name=re.compile(r"^10:00 · Dr Amelia Hart")).click()
    expect(page.get_by_role("heading", name="Confirm the new time")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"Moved to {next_day:%a} {next_day.day} {next_day:%b %Y}, 10:00"
    )
    last.refresh_from_db()
    assert timezone.localtime(last.starts_at, tz) == dt.datetime.combine(
        next_day, dt.time(10), tzinfo=tz
    )
    check_a11y(page)

    # Cancel the consultation a few hours away: the page says it will be late, and it is.
    page.goto(f"/treatments/appointments/{soon.pk}/")
    check_a11y(page)
    page.get_by_role("link", name="Cancel", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("This is a late cancellation")
    check_a11y(page)
    page.get_by_label("Reason for cancelling").fill("Called to say she is unwell.")
    page.get_by_role("button", name="Cancel the appointment").click()
    expect(page.get_by_role("status").first).to_contain_text("It was a late cancellation.")
    expect(page.locator("main")).to_contain_text("Late cancellation")
    soon.refresh_from_db()
    assert soon.status == AppointmentStatus.CANCELLED and soon.late_cancellation
    check_a11y(page)

    # A typed booking on top of the first session, with the same practitioner: refused, clearly.
    first = timezone.localtime(sessions[0].starts_at, tz)
    page.goto(f"/treatments/patients/{patient.pk}/book/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    check_a11y(page)
    page.get_by_label("Appointment type").select_option(label=consultation.name)
    page.get_by_role("button", name="Find free times").click()
    typed = page.locator("form[aria-labelledby=typed-heading]")
    expect(typed).to_be_visible()
    check_a11y(page)
    typed.get_by_label("Date and time").fill(f"{first:%Y-%m-%dT%H:%M}")
    typed.get_by_label("Practitioner").select_option(label="Dr Amelia Hart")
    typed.get_by_label("Room").select_option(label="Consultation 1")
    typed.get_by_role("button", name="Book this time").click()
    expect(page.locator("main")).to_contain_text(
        "Dr Amelia Hart is already booked or away at that time."
    )
    assert Appointment.objects.filter(patient=patient).count() == 4
    check_a11y(page)

    # The day calendar shows the booked session.
    page.goto(f"/treatments/calendar/day/?date={first.date().isoformat()}")
    expect(page.locator("#calendar")).to_contain_text(patient.full_name)
    check_a11y(page)
