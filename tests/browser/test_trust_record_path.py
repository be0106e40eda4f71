"""A patient reads and downloads their own record on a phone; a dermatologist sees who opened a
chart; the manager reads the access report."""

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.browser.test_patient_phone_path import _fits, phone  # noqa: F401  (the phone fixture)
from tests.factories import UserFactory
from tests.interop.factories import full_record
from tests.treatments.sessions.factories import patient_with_login

pytestmark = pytest.mark.browser


def test_a_patient_reads_and_downloads_their_record_on_a_phone(phone, tmp_path):  # noqa: F811
    session = full_record()
    user, patient = patient_with_login(session.patient)
    log_in(phone, user.email)
    phone.get_by_role("button", name="Show navigation").click()
    phone.get_by_role("link", name="My record", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My record")
    expect(phone.get_by_text(session.lot.lot_number).first).to_be_visible()
    # Their own photo loads: the photo access helper lets the patient in to their own.
    thumb = phone.locator("section[aria-labelledby=rec-photos] img").first
    thumb.scroll_into_view_if_needed()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000
    )
    _fits(phone)
    check_a11y(phone)

    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download my record (FHIR file)").click()
    saved = tmp_path / "record.json"
    download.value.save_as(saved)
    bundle = Bundle.model_validate(json.loads(saved.read_text()))
    kinds = {entry.resource.get_resource_type() for entry in bundle.entry}
    assert {"Patient", "Procedure", "Observation", "Media", "Medication"} <= kinds

    phone.get_by_role("link", name="Printable page").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Record of {patient.full_name}")
    _fits(phone)
    check_a11y(phone)


def test_a_dermatologist_sees_who_opened_a_chart_and_the_manager_the_report(page, browser):
    session = full_record()
    patient = session.patient
    colleague = UserFactory(role=Role.DERMATOLOGIST, first_name="Rohan", last_name="Mehta")
    log_in(page, colleague.email)
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out")).click()

    log_in(page, session.clinician.email)
    page.goto(f"/patients/{patient.pk}/")
    panel = page.get_by_role("region", name="Who has opened this record")
    expect(panel).to_contain_text("Rohan Mehta")
    expect(panel).to_contain_text("Chart")
    check_a11y(page)

    manager = UserFactory(role=Role.MANAGER)
    context = browser.new_context(base_url=page.url.split("/patients")[0])
    other = context.new_page()
    log_in(other, manager.email)
    other.get_by_role("link", name="Open the access report").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Access report")
    other.get_by_label("Patient number").fill(str(patient.pk))
    other.get_by_role("button", name="Show").click()
    expect(other.locator("tbody")).to_contain_text("Rohan Mehta")
    check_a11y(other)
    with other.expect_download() as download:
        other.get_by_role("link", name="Download as CSV").click()
    assert "Rohan Mehta" in download.value.path().read_text()
    context.close()
