"""In a browser: the front desk registers and finds a patient; the dermatologist screens
and records consent, and the chart shows it all in order."""

import datetime as dt
import re

from clinic.models import Role
from patients.models import Consent, Patient, Screen
from tests.browser.conftest import PASSWORD, check_a11y, expect_console_error, log_in
from tests.factories import AssessmentFactory, ConsentTextFactory, PatientFactory, UserFactory


def test_front_desk_registers_finds_and_sees_the_desk_view(page):
    UserFactory(email="desk@example.test", role=Role.FRONT_DESK)
    PatientFactory(first_name="Olivia", last_name="Bennett", date_of_birth=dt.date(1988, 4, 12))
    log_in(page, "desk@example.test")

    page.get_by_role("link", name="Patients").click()
    check_a11y(page)
    page.get_by_role("link", name="Register a patient").click()
    check_a11y(page)
    page.get_by_label("First name").fill("Olivia")
    page.get_by_label("Last name").fill("Bennett")
    page.get_by_label("Date of birth").fill("1988-04-12")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Mobile phone").fill("07400 123456")
    page.get_by_role("button", name="Register").click()

    # Same name and birth date: the desk is shown the existing record first.
    assert page.get_by_text("This may be a patient we already have").is_visible()
    check_a11y(page)
    page.get_by_label("None of these is the same person").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/patients/*/")
    assert page.get_by_text("Olivia Bennett is registered.").is_visible()
    check_a11y(page)

    page.get_by_role("link", name="Patients").click()
    page.get_by_label("Find a patient").fill("07400 123456")
    page.get_by_role("button", name="Search").click()
    check_a11y(page)
    rows = page.get_by_role("row")
    assert rows.count() == 2  # the header and the one patient with that mobile
    rows.nth(1).get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Olivia Bennett"
    assert page.get_by_text("Contraindications").count() == 0
    check_a11y(page)

    patient = Patient.objects.get(mobile="+447400123456")
    expect_console_error(page, "403 (Forbidden)")
    response = page.goto(f"/patients/{patient.pk}/screens/new/")
    assert response.status == 403
    check_a11y(page)


def test_dermatologist_screens_takes_consent_and_reads_the_chart_in_order(page):
    UserFactory(email="derm@example.test", role=Role.DERMATOLOGIST)
    ConsentTextFactory(kind="treatment", body="I agree to exosome treatment.")
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    AssessmentFactory(patient=patient)
    log_in(page, "derm@example.test")

    page.goto(f"/patients/{patient.pk}/")
    assert page.get_by_text("No contraindication screen yet").is_visible()
    check_a11y(page)

    page.get_by_role("link", name="New screen").first.click()
    check_a11y(page)
    page.get_by_role("group", name="Active skin infection").get_by_label("Face").check()
    page.get_by_label("Takes an anticoagulant").check()
    page.get_by_role("button", name="Save the screen").click()
    page.wait_for_url("**/screens/*/")
    check_a11y(page)
    microneedling = page.get_by_role("row", name=re.compile(r"^Microneedling"))
    assert "Blocked" in microneedling.inner_text()
    assert "Open" in page.get_by_role("row", name=re.compile(r"^Topical")).inner_text()

    page.get_by_role("link", name="Back to the chart").click()
    assert page.get_by_text("anticoagulant", exact=False).first.is_visible()
    page.get_by_role("link", name="Hand the tablet over to sign the treatment consent").click()
    check_a11y(page)
    page.get_by_label("Patient's full name").fill("Olivia Bennett")
    page.get_by_label("I have read this consent").check()
    page.get_by_role("button", name="Sign").click()
    page.wait_for_url("**/patients/handover/")
    check_a11y(page)
    page.get_by_label("Staff: your password, to take the tablet back").fill(PASSWORD)
    page.get_by_role("button", name="Take the tablet back").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    check_a11y(page)

    kinds = page.locator("#timeline-heading + ol .badge").all_inner_texts()
    assert kinds == ["Consent", "Screen", "Assessment"]
    assert Screen.objects.filter(patient=patient).count() == 1
    assert Consent.objects.get(patient=patient).witnessed_by.email == "derm@example.test"
