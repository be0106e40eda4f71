"""The intake before a consultation, walked in the browser: the patient fills it and signs
consent on a 390 px phone and on a desktop; the dermatologist confirms it and it is a screen; the
desk hands the tablet over for in-clinic signing and takes it back with the staff password."""

import pytest
from playwright.sync_api import expect

from clinic.lib.intake import REQUIRED
from clinic.models import Role
from patients.models import Consent, Screen
from tests.browser.conftest import PASSWORD, check_a11y, log_in
from tests.factories import ConsentTextFactory, PatientFactory, UserFactory
from tests.treatments.intake.factories import consultation, submitted_intake
from tests.treatments.portal.factories import portal_patient
from treatments.models import Intake, IntakeStatus

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _device(browser, live_server, viewport):
    phone = viewport == PHONE
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def _fits(page, viewport) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_patient_fills_the_intake_and_signs_consent(browser, live_server, viewport):
    ConsentTextFactory(kind="treatment", title="Treatment consent", body="I agree to treatment.")
    user, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    appointment = consultation(olivia)
    context, page, errors = _device(browser, live_server, viewport)
    try:
        log_in(page, user.email)
        page.get_by_role("link", name="Answer the questions before your visit").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Before your visit")
        _fits(page, viewport)
        check_a11y(page)

        # Half-way, saved for later.
        page.locator("input[name=keloid_history][value=no]").check()
        page.get_by_label("What do you hope to achieve?").fill("Softer acne scars")
        page.get_by_role("button", name="Save and finish later").click()
        expect(page.get_by_text("Your answers are saved")).to_be_visible()
        assert Intake.objects.get().status == IntakeStatus.IN_PROGRESS

        # Sending with a question unanswered says so next to it.
        page.get_by_role("button", name="Send to the clinic").click()
        expect(page.get_by_text("Answer yes or no.").first).to_be_visible()
        check_a11y(page)
        for name in sorted(REQUIRED):
            page.locator(f"input[name={name}][value=no]").check()
        page.get_by_label("Any other allergies?").fill("Plasters")
        page.get_by_role("button", name="Send to the clinic").click()
        expect(page.get_by_text("Thank you: your answers are with the clinic")).to_be_visible()
        _fits(page, viewport)
        check_a11y(page)
        intake = Intake.objects.get()
        assert (intake.status, intake.goals) == (IntakeStatus.SUBMITTED, "Softer acne scars")

        page.get_by_role("link", name="Read and sign the treatment consent").click()
        expect(page.get_by_text("I agree to treatment.")).to_be_visible()
        _fits(page, viewport)
        check_a11y(page)
        page.get_by_label("Your full name").fill("Liv Smith")
        page.get_by_label("I have read this consent and I agree to it").check()
        page.get_by_role("button", name="Sign").click()
        expect(page.get_by_text("not the name the clinic has for you")).to_be_visible()
        check_a11y(page)
        page.get_by_label("Your full name").fill("Olivia Bennett")
        page.get_by_label("I have read this consent and I agree to it").check()
        page.get_by_role("button", name="Sign").click()
        expect(page.get_by_text("your treatment consent is signed")).to_be_visible()
        _fits(page, viewport)
        check_a11y(page)
        consent = Consent.objects.get()
        assert consent.channel == "portal" and consent.user_agent
        assert appointment.patient_id == consent.patient_id
    finally:
        context.close()
    assert not errors, f"browser console errors: {errors}"


def test_the_dermatologist_confirms_the_intake_and_it_is_a_screen(page):
    intake = submitted_intake(keloid_history=True, goals="Fewer acne scars")
    derm = UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart")
    log_in(page, derm.email)
    check_a11y(page)
    section = page.get_by_role("region", name="Intakes to confirm")
    section.get_by_role("link", name=f"Review the intake of {intake.patient.full_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Intake before the consultation")
    expect(page.get_by_text("Fewer acne scars")).to_be_visible()
    expect(page.get_by_role("heading", name="What these answers would block")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Note for the screen (optional)").fill("Went through it by phone.")
    page.get_by_role("button", name="Confirm as a screen").click()
    expect(page.get_by_text("Patient-reported, confirmed by")).to_be_visible()
    check_a11y(page)
    screen = Screen.objects.get()
    assert screen.is_patient_reported and screen.author == derm and screen.keloid_history


def test_the_desk_hands_the_tablet_over_and_takes_it_back(page):
    ConsentTextFactory(kind="treatment", title="Treatment consent", body="I agree to treatment.")
    patient = PatientFactory(first_name="Noah", last_name="Williams")
    desk = UserFactory(role=Role.FRONT_DESK)
    log_in(page, desk.email)
    page.goto(f"/patients/{patient.pk}/")
    check_a11y(page)
    page.get_by_role("link", name="Hand the tablet over to sign the treatment consent").click()
    expect(page.get_by_text("I agree to treatment.")).to_be_visible()
    expect(page.get_by_role("link", name="Patients", exact=True)).to_have_count(0)
    check_a11y(page)
    # The patient cannot wander off: any other page leads back to the hand-over screen.
    page.goto("/patients/")
    expect(page.get_by_role("heading", name="Hand the tablet back")).to_be_visible()
    page.get_by_role("link", name="Read and sign the treatment consent").click()
    page.get_by_label("Patient's full name, typed by the patient").fill("Someone Else")
    page.get_by_label("I have read this consent and I agree to it").check()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_text("not the name on the patient")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Williams")
    check_a11y(page)
    page.get_by_label("Patient's full name, typed by the patient").fill("Noah Williams")
    page.get_by_label("I have read this consent and I agree to it").check()
    page.get_by_role("button", name="Sign").click()
    expect(page.get_by_text("You have signed the current version")).to_be_visible()
    check_a11y(page)
    page.get_by_label("Staff: your password, to take the tablet back").fill("not it")
    page.get_by_role("button", name="Take the tablet back").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    page.get_by_label("Staff: your password, to take the tablet back").fill(PASSWORD)
    page.get_by_role("button", name="Take the tablet back").click()
    expect(page.get_by_text("The tablet is yours again.")).to_be_visible()
    expect(page.get_by_role("link", name="Patients", exact=True)).to_be_visible()
    check_a11y(page)
    assert Consent.objects.get().channel == "in_clinic"
