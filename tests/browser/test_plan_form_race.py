"""The plan page never replaces what the dermatologist is typing.

Changing the areas, the product or the route refreshes the recommendation (htmx). The refresh is
held here until the dermatologist has typed, as a slow network would hold it: what they typed
must still be there when the answer arrives, and be what is saved.
"""

from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import (
    AssessmentConcernFactory,
    AssessmentFactory,
    ConsentFactory,
    LotFactory,
    PatientFactory,
    ProductFactory,
    ScreenFactory,
    UserFactory,
)
from treatments.models import TreatmentPlan

RECOMMENDATION = "**/plans/recommendation/"


def _assessment():
    derm = UserFactory(role=Role.DERMATOLOGIST, email="amelia@example.test")
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    ScreenFactory(patient=patient, author=derm)
    ConsentFactory(patient=patient)
    assessment = AssessmentFactory(
        patient=patient, author=derm, fitzpatrick=5, skin_type="combination"
    )
    AssessmentConcernFactory(assessment=assessment, concern="melasma", severity=3, areas=["face"])
    return derm, assessment


class HeldRefreshes:
    """Holds each recommendation request until released, as a slow network would."""

    def __init__(self, page):
        self.page = page
        self.held = []
        page.route(RECOMMENDATION, lambda route: self.held.append(route))

    def wait_for_one(self):
        for _ in range(200):
            if self.held:
                return
            self.page.wait_for_timeout(25)
        raise AssertionError("no recommendation request was sent")

    def release(self):
        while self.held:
            self.held.pop(0).continue_()


def test_a_depth_typed_while_the_refresh_is_on_its_way_is_the_depth_saved(page):
    derm, assessment = _assessment()
    serum = ProductFactory(name="Rose serum", routes=["topical", "microneedling"])
    LotFactory(product=serum, lot_number="RV-2401")
    log_in(page, derm.email)
    page.goto(f"/treatments/assessments/{assessment.pk}/plans/new/")
    panel = page.locator("#recommendation")
    expect(page.get_by_label("Microneedling (suitable, ranked 1)")).to_be_checked()
    page.get_by_label("Product").select_option(value=str(serum.pk))
    expect(panel).to_contain_text("Usable lots in stock: RV-2401")
    face = page.get_by_label("Needle depth, face (mm)")
    face.fill("0.5")

    refreshes = HeldRefreshes(page)
    page.get_by_label("Neck", exact=True).check()  # the areas change: a refresh goes out
    refreshes.wait_for_one()
    # While it is on its way, the dermatologist corrects the face depth and writes a reason.
    face.fill("1.5")
    page.get_by_label("Justification").fill("Neck added at the patient's request.")
    refreshes.release()
    expect(panel).to_contain_text("neck 0.25-0.5 mm")  # the answer has arrived and is shown

    expect(face).to_have_value("1.5")
    expect(page.get_by_label("Justification")).to_have_value("Neck added at the patient's request.")
    neck = page.get_by_label("Needle depth, neck (mm)")
    expect(neck).to_be_visible()
    neck.fill("0.5")
    check_a11y(page)
    page.get_by_role("button", name="Save as planned").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treatment plan: Microneedling")
    expect(page.locator("main")).to_contain_text("Face: 1.5 mm; Neck: 0.5 mm")
    check_a11y(page)
    plan = TreatmentPlan.objects.get()
    assert plan.depths == {"face": "1.5", "neck": "0.5"}
    assert plan.justification == "Neck added at the patient's request."


def test_laser_settings_typed_while_the_product_refresh_is_on_its_way_are_kept(page):
    derm, assessment = _assessment()
    serum = ProductFactory(name="Rose serum")
    LotFactory(product=serum)
    log_in(page, derm.email)
    page.goto(f"/treatments/assessments/{assessment.pk}/plans/new/")
    panel = page.locator("#recommendation")
    page.get_by_label("Laser-assisted infusion", exact=False).check()
    settings = page.get_by_label("Laser settings and notes")
    expect(settings).to_be_visible()
    expect(page.get_by_label("Needle depth, face (mm)")).to_be_hidden()

    refreshes = HeldRefreshes(page)
    page.get_by_label("Product").select_option(value=str(serum.pk))
    refreshes.wait_for_one()
    settings.fill("1550 nm fractional, 10 mJ, 2 passes")
    refreshes.release()
    expect(panel).to_contain_text("Checked with Rose serum")
    expect(settings).to_have_value("1550 nm fractional, 10 mJ, 2 passes")
    check_a11y(page)


def test_a_route_blocked_by_the_product_cannot_stay_chosen_and_the_page_says_so(page):
    derm, assessment = _assessment()
    cream = ProductFactory(name="Barrier cream", form="cream", routes=["topical"])
    log_in(page, derm.email)
    page.goto(f"/treatments/assessments/{assessment.pk}/plans/new/")
    expect(page.get_by_label("Microneedling (suitable, ranked 1)")).to_be_checked()
    page.get_by_label("Needle depth, face (mm)").fill("1.0")
    page.get_by_label("Product").select_option(value=str(cream.pk))
    blocked = page.get_by_label("Microneedling (blocked)")
    expect(blocked).to_be_disabled()
    expect(blocked).not_to_be_checked()
    expect(page.locator("#recommendation-status")).to_contain_text(
        "Microneedling is blocked for these choices, so it is no longer chosen."
    )
    expect(page.get_by_label("Needle depth, face (mm)")).to_be_hidden()
    check_a11y(page)


def test_a_late_answer_for_earlier_choices_never_unchooses_the_route(page):
    derm, assessment = _assessment()
    cream = ProductFactory(name="Barrier cream", form="cream", routes=["topical"])
    serum = ProductFactory(name="Rose serum")
    log_in(page, derm.email)
    page.goto(f"/treatments/assessments/{assessment.pk}/plans/new/")
    panel = page.locator("#recommendation")
    microneedling = page.get_by_label("Microneedling (suitable, ranked 1)")
    expect(microneedling).to_be_checked()

    refreshes = HeldRefreshes(page)
    page.get_by_label("Product").select_option(value=str(cream.pk))  # would block needling
    refreshes.wait_for_one()
    page.get_by_label("Product").select_option(value=str(serum.pk))  # changed their mind
    refreshes.release()  # the answer for the cream arrives late
    expect(panel).to_contain_text("Checked with Barrier cream")
    expect(page.locator('input[name="route"][value="microneedling"]')).to_be_checked()
    refreshes.wait_for_one()  # the serum's request went out after it
    refreshes.release()
    expect(panel).to_contain_text("Checked with Rose serum")
    expect(microneedling).to_be_checked()
    expect(microneedling).to_be_enabled()
    check_a11y(page)
