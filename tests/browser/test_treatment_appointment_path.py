"""A checked-in treatment appointment, as the front desk and the dermatologist see it.

A treatment appointment is completed only by completing its treatment session record: the front
desk opens the checked-in microneedling appointment and finds no "Mark as completed" (nor the way
into the clinical record); the dermatologist opens the same page and follows "Record the session"
to the session record. The accessibility check runs on every page.
"""

from django.urls import reverse
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import UserFactory
from tests.treatments.sessions.factories import checked_in_appointment
from treatments.models import AppointmentStatus, TreatmentSession


def test_the_desk_cannot_complete_a_treatment_and_the_dermatologist_records_it(page):
    desk = UserFactory(role=Role.FRONT_DESK, email="desk@example.test")
    derm = UserFactory(role=Role.DERMATOLOGIST, email="derm@example.test")
    appointment = checked_in_appointment()
    detail = reverse("treatments:appointment_detail", args=[appointment.pk])

    log_in(page, desk.email)
    page.goto(detail)
    expect(page.get_by_role("heading", level=1)).to_have_text(appointment.appointment_type.name)
    main = page.locator("main")
    expect(main).to_contain_text("Checked in")
    expect(main).to_contain_text(
        "This treatment appointment is completed when the dermatologist completes its session "
        "record."
    )
    expect(page.get_by_role("button", name="Mark as completed")).to_have_count(0)
    expect(page.get_by_role("button", name="Record the session")).to_have_count(0)
    expect(page.get_by_role("link", name="Cancel")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Log out").click()

    log_in(page, derm.email)
    page.goto(detail)
    expect(page.get_by_role("button", name="Mark as completed")).to_have_count(0)
    check_a11y(page)
    page.get_by_role("button", name="Record the session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Treatment session: Microneedling")
    check_a11y(page)
    session = TreatmentSession.objects.get(appointment=appointment)
    assert page.url.endswith(reverse("treatments:session_detail", args=[session.pk]))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN  # the record completes it, later

    # Back on the appointment: the open record is one click away.
    page.goto(detail)
    page.get_by_role("button", name="Continue the session record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treatment session: Microneedling")
