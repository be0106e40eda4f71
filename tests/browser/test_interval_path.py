"""The plan's interval on the front desk's path, in a browser (docs/clinical-rules.md §Treatment
plan: a session sooner than the interval is a dermatologist's decision).

For a patient with a microneedling plan (4 sessions, 42 days apart) whose first two sessions are
booked: the desk searches for the next session and is offered no day inside the interval, types a
time two weeks after session 2 and is refused with session 2 named, asks a dermatologist to
approve it, then opens the move page of session 2 and is offered no time inside the interval
either. The accessibility check runs on every page.
"""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import RoomFactory, UserFactory
from tests.treatments.scheduling.factories import (
    microneedling_type,
    open_clinic,
    practitioner,
    ready_plan,
)
from treatments.models import Appointment, WorklistItem
from treatments.services import scheduling

ALL_DAY = {"starts": dt.time(0), "ends": dt.time(23, 45)}


def _day(value: dt.date) -> str:
    """'Monday 27 July 2026', as the free times are headed."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def test_the_desk_keeps_to_the_plans_interval(page):
    clinic = open_clinic(opens=dt.time(0), closes=dt.time(23, 45))
    tz = clinic.zone
    hart = practitioner(**ALL_DAY)
    room = RoomFactory(name="Treatment room A", kind="procedure", routes=["microneedling"])
    kind = microneedling_type()
    plan = ready_plan()
    desk = UserFactory(role=Role.FRONT_DESK)

    first_day = timezone.localdate(timezone.now(), tz) + dt.timedelta(days=2)
    second_day = first_day + dt.timedelta(days=42)
    booked = [
        scheduling.appointment_book(
            patient=plan.patient,
            appointment_type=kind,
            practitioner=hart,
            room=room,
            # 10:00 local on each day, whatever the clocks do in between.
            starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=tz),
            plan=plan,
            by=desk,
            clinic=clinic,
        )
        for day in (first_day, second_day)
    ]
    second = booked[1]

    log_in(page, desk.email)

    # The booking page from the chart's link: the plan's next session. No day of the two weeks
    # searched is at least 42 days from session 1 or 2, so none is offered, and the page says why.
    page.goto(f"/treatments/patients/{plan.patient.pk}/book/?plan={plan.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    slots = page.locator("#slots")
    expect(slots).to_contain_text("No free time in these days")
    expect(slots).to_contain_text("Days less than the plan's interval (42 days (6 weeks))")
    check_a11y(page)

    # A typed time two weeks after session 2: refused, with session 2 named.
    wanted = second_day + dt.timedelta(days=14)
    typed = page.locator("form[aria-labelledby=typed-heading]")
    typed.get_by_label("Date and time").fill(f"{wanted:%Y-%m-%d}T10:00")
    typed.get_by_label("Practitioner").select_option(label="Dr Amelia Hart")
    typed.get_by_label("Room").select_option(label="Treatment room A")
    typed.get_by_role("button", name="Book this time").click()
    clash = (
        f"Session 2 on {second_day:%a} {second_day.day} {second_day:%b} 10:00 is 14 days before; "
        "the plan's interval is 42 days."
    )
    expect(page.locator("main")).to_contain_text(clash)
    expect(page.locator("main")).to_contain_text("a dermatologist's decision")
    expect(page.get_by_label("Why this session is needed sooner")).to_have_count(0)
    assert Appointment.objects.filter(plan=plan).count() == 2
    check_a11y(page)

    # The desk asks a dermatologist: a worklist item on the plan's dermatologist's worklist.
    page.get_by_role("button", name="Ask a dermatologist to approve").click()
    expect(page.get_by_role("status").first).to_contain_text(f"Asked {plan.author} to approve it")
    worklist_item = WorklistItem.objects.get()
    assert worklist_item.assigned_to == plan.author and clash in worklist_item.title
    assert Appointment.objects.filter(plan=plan).count() == 2
    check_a11y(page)

    # Moving session 2: the page searches around its own day and offers nothing sooner than 42
    # days after session 1.
    page.goto(f"/treatments/appointments/{second.pk}/move/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Move an appointment")
    slots = page.locator("#slots")
    expect(slots).to_contain_text(_day(second_day))
    days = slots.locator("h3").all_inner_texts()
    offered = [day for day in days if day]
    inside = [_day(second_day - dt.timedelta(days=n)) for n in range(1, 8)]
    assert not set(offered) & set(inside), offered
    expect(slots).to_contain_text("Days less than the plan's interval")
    check_a11y(page)

    # A search inside the interval alone finds nothing at all.
    page.get_by_label("From", exact=True).fill((second_day - dt.timedelta(days=7)).isoformat())
    page.get_by_label("To", exact=True).fill((second_day - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Find free times").click()
    expect(slots).to_contain_text("No free time in these days")
    check_a11y(page)
    second.refresh_from_db()
    assert timezone.localtime(second.starts_at, tz).date() == second_day
