"""A dermatologist marks a concern on the face chart and records a session zone by zone, marking
the zones with the keyboard only (Tab to a zone, Space to toggle it); the accessibility check runs
on each page.

docs/clinical-rules.md §Treated zones > Zones: a marked zone adds its area; each treated zone has
its amount and needle depth, each depth within its area's range.
"""

from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import expect

from clinic.models import Role
from patients.models import AssessmentConcern
from tests.browser.conftest import check_a11y, log_in
from tests.factories import ConsentFactory, LotFactory, PatientFactory, ProductFactory, UserFactory
from tests.treatments.sessions.factories import checked_in_appointment, planned_plan
from treatments.models import TreatmentSession

_FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el) return "";
  return (el.getAttribute("aria-label") || el.textContent || "").trim();
}"""


def tab_to(page, name: str, *, limit: int = 400) -> None:
    """Press Tab until the focused element is called ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(_FOCUSED_NAME) == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_zones_are_marked_with_the_keyboard_on_the_assessment_and_the_session(page):
    derm = UserFactory(role=Role.DERMATOLOGIST, email="amelia@example.test")
    patient = PatientFactory()
    log_in(page, derm.email)

    # The assessment: melasma on both cheeks, marked on the chart from the keyboard.
    page.goto(reverse("patients:assessment_new", args=[patient.pk]))
    page.get_by_role("group", name="Fitzpatrick phototype").get_by_label("V", exact=True).check()
    page.get_by_label("Skin type").select_option("combination")
    page.get_by_label("Melasma severity").select_option("3")
    page.get_by_label("Melasma severity").focus()
    tab_to(page, "Zones of melasma")
    page.keyboard.press("Enter")  # opens the chart
    chart = page.get_by_role("group", name="Melasma zones: face chart")
    expect(chart).to_be_visible()
    check_a11y(page)
    tab_to(page, "Cheek, right")
    page.keyboard.press("Space")
    tab_to(page, "Cheek, left")
    page.keyboard.press("Enter")
    expect(chart.get_by_role("button", name="Cheek, left")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(chart.get_by_role("button", name="Cheek, right")).to_have_attribute(
        "aria-pressed", "true"
    )
    # The checkbox list (the table equivalent) says the same.
    expect(page.get_by_role("checkbox", name="Cheek, left").first).to_be_checked()
    tab_to(page, "Cheek, left")  # and toggled off and on again
    page.keyboard.press("Space")
    expect(chart.get_by_role("button", name="Cheek, left")).to_have_attribute(
        "aria-pressed", "false"
    )
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save the assessment").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skin assessment of ")
    expect(
        page.get_by_role("img", name="Zones marked on the concerns: Cheek, left, Cheek, right")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Cheek, left, Cheek, right")).to_be_visible()
    check_a11y(page)
    melasma = AssessmentConcern.objects.get(concern="melasma")
    assert (melasma.areas, melasma.zones) == (["face"], ["cheek_left", "cheek_right"])

    # The session: a microneedling plan on the face and around the eyes.
    product = ProductFactory(name="Rose serum")
    plan = planned_plan(
        product=product,
        patient=patient,
        areas=["face", "periorbital"],
        depths={"face": "1.0", "periorbital": "0.3"},
    )
    ConsentFactory(patient=plan.patient)
    lot = LotFactory(product=product, lot_number="RV-2401", quantity_remaining=Decimal(8))
    appointment = checked_in_appointment(plan=plan)
    page.goto(reverse("treatments:course", args=[plan.pk]))
    page.get_by_role("button", name="Record session 1").click()
    page.get_by_role("button", name="Record the day's screen").click()
    page.get_by_label("Gentle cleansing done: the skin is prepared").check()
    page.get_by_role("button", name="Confirm the preparation").click()
    expect(page.get_by_role("status").first).to_contain_text("Skin preparation recorded.")
    check_a11y(page)

    page.get_by_role("combobox", name="Lot").select_option(value=str(lot.pk))
    page.get_by_label("Device").fill("Dermapen 4, 16-needle cartridge")
    page.get_by_role("combobox", name="Lot").focus()
    chart = page.get_by_role("group", name="Treated zones: face chart")
    for zone in ("Forehead", "Cheek, left", "Periorbital, left"):
        tab_to(page, zone)
        page.keyboard.press("Space")
        expect(chart.get_by_role("button", name=zone)).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("checkbox", name="Periorbital, left")).to_be_checked()
    # A zone of the neck is drawn but not offered: the plan does not treat the neck.
    expect(chart.get_by_role("button", name="Neck, front")).to_have_count(0)
    page.get_by_label("Amount on the forehead").fill("0.3")
    page.get_by_label("Needle depth on the forehead (mm)").fill("1.0")
    page.get_by_label("Amount on the cheek, left").fill("0.3")
    page.get_by_label("Needle depth on the cheek, left (mm)").fill("1.25")
    page.get_by_label("Amount on the periorbital, left").fill("0.1")
    page.get_by_label("Needle depth on the periorbital, left (mm)").fill("0.75")
    page.get_by_role("button", name="Record the application").click()
    # Refused next to the field: the eyes' range, whatever the face's.
    error = page.locator("#id_application_zone_periorbital_left_depth_error")
    expect(error).to_contain_text(
        "0.75 mm is outside the range allowed for the periorbital, left (periorbital: 0.25–0.5 mm)."
    )
    check_a11y(page)
    assert TreatmentSession.objects.get(appointment=appointment).zones == []
    page.get_by_label("Needle depth on the periorbital, left (mm)").fill("0.25")
    page.get_by_role("button", name="Record the application").click()
    expect(page.get_by_role("status").first).to_contain_text("The application is recorded.")
    expect(
        page.get_by_role("img", name="Treated zones: Forehead, Cheek, left, Periorbital, left")
    ).to_be_visible()
    check_a11y(page)

    page.get_by_label("Mild redness").check()
    page.get_by_label("Sun protection applied (broad-spectrum SPF 30+)").check()
    page.get_by_role("button", name="Complete the session").click()
    expect(page.get_by_role("status").first).to_contain_text("The session is completed and locked.")
    expect(page.get_by_role("row", name="Cheek, left 0.3 1.25 mm")).to_be_visible()
    check_a11y(page)

    session = TreatmentSession.objects.get(appointment=appointment)
    assert session.amount == Decimal("0.7")
    assert session.depths == {"face": "1.25", "periorbital": "0.25"}
    assert [z["zone"] for z in session.zones] == ["forehead", "cheek_left", "periorbital_left"]
