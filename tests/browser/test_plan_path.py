"""A dermatologist plans a course from an assessment, watching the recommendation as they choose.

The path: Fitzpatrick V with melasma on the face -> microneedling ranked first; a product
not made for needling blocks it (htmx refresh); the right product, microneedling at 1.0 mm,
4 sessions 6 weeks apart -> saved as planned.
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


def test_dermatologist_plans_microneedling_from_an_assessment(page):
    derm = UserFactory(role=Role.DERMATOLOGIST, email="amelia@example.test")
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    ScreenFactory(patient=patient, author=derm)
    ConsentFactory(patient=patient)
    assessment = AssessmentFactory(
        patient=patient, author=derm, fitzpatrick=5, skin_type="combination"
    )
    AssessmentConcernFactory(assessment=assessment, concern="melasma", severity=3, areas=["face"])
    serum = ProductFactory(name="Rose serum", routes=["topical", "transdermal", "microneedling"])
    LotFactory(product=serum, lot_number="RV-2401")
    cream = ProductFactory(name="Barrier cream", form="cream", routes=["topical"])

    log_in(page, derm.email)
    page.goto(f"/treatments/assessments/{assessment.pk}/plans/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("New treatment plan")
    panel = page.locator("#recommendation")
    expect(panel.locator("ol > li").first).to_contain_text("1. Microneedling")
    expect(panel).to_contain_text("Melasma (3): deeper delivery needed")
    expect(panel).to_contain_text("face 0.5-1.5 mm")
    check_a11y(page)

    # A topical-only product: the panel refreshes and microneedling is blocked, its button off.
    page.get_by_label("Product").select_option(value=str(cream.pk))
    expect(panel).to_contain_text("Checked with Barrier cream")
    expect(panel).to_contain_text("Barrier cream is not made for this route")
    expect(page.get_by_label("Microneedling (blocked)")).to_be_disabled()
    check_a11y(page)

    # The serum made for microneedling: ranked first again, with its usable lot.
    page.get_by_label("Product").select_option(value=str(serum.pk))
    expect(panel).to_contain_text("Usable lots in stock: RV-2401")
    microneedling = page.get_by_label("Microneedling (suitable, ranked 1)")
    expect(microneedling).to_be_enabled()
    microneedling.check()
    depth = page.get_by_label("Needle depth, face (mm)")
    expect(depth).to_be_visible()
    depth.fill("1.0")
    page.get_by_label("Number of sessions").fill("4")
    page.get_by_label("Interval between sessions (days)").fill("42")
    page.get_by_label("Clinical notes").click()  # leave the interval: its change refreshes
    expect(panel).to_contain_text("4 sessions, every 42 days (6 weeks)")
    check_a11y(page)

    page.get_by_role("button", name="Save as planned").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Treatment plan: Microneedling")
    expect(page.locator("main")).to_contain_text("Planned")
    expect(page.locator("main")).to_contain_text("Face: 1.0 mm")
    expect(page.get_by_role("status").first).to_contain_text("Plan saved as planned.")
    check_a11y(page)
