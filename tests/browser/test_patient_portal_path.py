"""The portal path: the patient sees the upcoming appointment with its pre-visit
instructions and the aftercare of yesterday's session with exact times, checks in with severe
swelling and is told to call if it is urgent; the dermatologist then finds the item on her
worklist.
"""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import ClinicSettings, Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import UserFactory
from tests.treatments.portal.factories import (
    AppointmentFactory,
    completed_session,
    portal_patient,
    treatment_type,
)
from treatments.models import WorklistItem


def test_patient_checks_in_with_severe_swelling_and_the_dermatologist_gets_the_worklist_item(page):
    ClinicSettings.objects.update_or_create(pk=1, defaults={"phone": "020 7946 0000"})
    derm = UserFactory(
        role=Role.DERMATOLOGIST, email="amelia@example.test", first_name="Amelia", last_name="Hart"
    )
    user, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    session = completed_session(
        patient=olivia, clinician=derm, ended_at=timezone.now() - dt.timedelta(days=1)
    )
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    AppointmentFactory(
        patient=olivia,
        appointment_type=treatment_type("microneedling"),
        practitioner=session.appointment.practitioner,
        starts_at=starts,
    )
    when = f"{starts:%A} {starts.day} {starts:%B %Y}, 10:00"
    no_makeup = session.aftercare["instructions"][0]["text"]
    assert no_makeup.startswith("No makeup until")

    # The patient's home: the next appointment with pre-visit instructions, and the aftercare.
    log_in(page, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Olivia")
    upcoming = page.get_by_role("region", name="Your upcoming sessions")
    expect(upcoming).to_contain_text(when)
    expect(upcoming).to_contain_text("Stop retinoids (retinol, tretinoin, adapalene) 3-5 days")
    aftercare = page.get_by_role("region", name="Aftercare")
    expect(aftercare).to_contain_text(no_makeup)
    check_a11y(page)

    # All appointments, with the calendar file and the way to ask for a change.
    page.get_by_role("link", name="My appointments", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My appointments")
    expect(page.locator("main")).to_contain_text(when)
    expect(page.get_by_role("link", name="Ask to move or cancel")).to_be_visible()
    check_a11y(page)

    # The session's full aftercare page.
    page.get_by_role("link", name="My treatments", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My treatments")
    check_a11y(page)
    page.get_by_role("link", name="Aftercare for this session").click()
    expect(page.locator("main")).to_contain_text(no_makeup)
    check_a11y(page)

    # The skin report: severe swelling is beyond the expected.
    page.go_back()
    page.get_by_role("link", name="How is your skin?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How is your skin?")
    check_a11y(page)
    for group, answer in [
        ("Redness", "Mild"),
        ("Warmth or heat", "None"),
        ("Swelling", "Severe"),
        ("Itching", "None"),
        ("Tenderness", "Mild"),
    ]:
        page.get_by_role("group", name=group).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My treatments")
    message = page.get_by_role("status")
    expect(message).to_contain_text("we have let Dr Amelia Hart know")
    expect(message).to_contain_text("If it is urgent, call the clinic now on 020 7946 0000")
    check_a11y(page)
    worklist_item = WorklistItem.objects.get()
    assert worklist_item.assigned_to == derm

    # The dermatologist's home shows the worklist item, with the patient's chart one click away.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    log_in(page, derm.email)
    worklist_items = page.get_by_role("region", name="Worklist")
    expect(worklist_items).to_contain_text(
        "Olivia Bennett reports severe swelling 1 day after the microneedling session"
    )
    expect(worklist_items).to_contain_text("Severe swelling")
    expect(worklist_items.get_by_role("link", name="Olivia Bennett's chart")).to_be_visible()
    check_a11y(page)

    # Done without saying what was done: refused, with the message at the field.
    worklist_items.get_by_role("button", name="Done").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close a worklist item")
    outcome = page.get_by_label("What was done")
    expect(outcome).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".invalid-feedback")).to_contain_text(
        "Say what was done about this report before closing it."
    )
    check_a11y(page)

    # Done, with a note: it leaves the list.
    outcome.fill("Called Olivia: settling with cold packs.")
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("status")).to_contain_text("Done: Olivia Bennett reports")
    expect(page.get_by_role("region", name="Worklist")).to_contain_text(
        "Nothing is waiting for you."
    )
    check_a11y(page)


def test_patient_asks_to_move_and_the_desk_handles_it(page):
    user, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    desk = UserFactory(role=Role.FRONT_DESK, email="desk@example.test")
    AppointmentFactory(patient=olivia, starts_at=timezone.now() + dt.timedelta(days=4))
    finished = completed_session(patient=olivia)
    finished.plan.state = "follow_up"
    finished.plan.save()

    log_in(page, user.email)
    page.get_by_role("link", name="My appointments", exact=True).click()
    page.get_by_role("link", name="Ask to move or cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move or cancel an appointment")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("#id_kind_error, .invalid-feedback").first).to_contain_text(
        "Choose whether to move or to cancel the appointment."
    )
    check_a11y(page)
    page.get_by_label("Move it to another time").check()
    page.get_by_label("Message to the clinic").fill("Mornings suit me better.")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("status")).to_contain_text("Your request is with the clinic")
    expect(page.locator("main")).to_contain_text("You asked on")
    check_a11y(page)

    # The course's rating, now that it is at follow-up.
    page.get_by_role("link", name="My treatments", exact=True).click()
    page.get_by_role("link", name="Rate your results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate your results")
    page.get_by_label("Much improved", exact=True).check()
    page.get_by_label("4 – satisfied").check()
    check_a11y(page)
    page.get_by_role("button", name="Send my rating").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you for rating your results.")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")

    # The desk sees the request on their home and marks it handled.
    log_in(page, desk.email)
    requests = page.get_by_role("region", name="Requests from patients")
    expect(requests).to_contain_text("Olivia Bennett asks to move")
    check_a11y(page)
    requests.get_by_role("link", name="Handle requests from patients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requests from patients")
    expect(page.locator("main")).to_contain_text("Mornings suit me better.")
    check_a11y(page)
    page.get_by_label("What was done").fill("Moved to Tuesday 09:30 by phone.")
    page.get_by_role("button", name="Mark handled").click()
    expect(page.get_by_role("status")).to_contain_text("marked handled")
    expect(page.locator("main")).to_contain_text("No open requests from patients.")
    expect(page.locator("main")).to_contain_text("Moved to Tuesday 09:30 by phone.")
    check_a11y(page)
