"""A dermatologist records a skin assessment with a MASI score, then adds two photos."""

import re

from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import ConsentFactory, ConsentTextFactory, PatientFactory, UserFactory

MASI_INPUTS = [
    # region, area involved, darkness, homogeneity
    ("Forehead", "2", "2", "2"),
    ("Right malar", "3", "3", "2"),
    ("Left malar", "3", "2", "2"),
    ("Chin", "1", "1", "1"),
]


def test_dermatologist_records_an_assessment_with_masi_and_two_photos(page, tmp_path):
    derm = UserFactory(role=Role.DERMATOLOGIST)
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    ConsentFactory(patient=patient, text=ConsentTextFactory(kind="photo"))
    front, side = tmp_path / "front.png", tmp_path / "left.jpg"
    Image.new("RGB", (640, 480), (190, 140, 120)).save(front)
    Image.new("RGB", (480, 640), (170, 120, 100)).save(side)

    log_in(page, derm.email)
    page.goto(reverse("patients:assessment_new", args=[patient.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("New skin assessment")
    check_a11y(page)

    page.get_by_role("group", name="Fitzpatrick phototype").get_by_label("V", exact=True).check()
    page.get_by_label("Skin type").select_option("combination")
    page.get_by_label("Melasma severity").select_option("3")
    page.get_by_role("group", name="Melasma areas").get_by_label("Face").check()
    page.get_by_label("Goals, in the patient's words").fill("Fade the patches on my cheeks.")

    total = page.locator("#masi-total")
    expect(total).to_have_text("not scored")
    for region, area, darkness, homogeneity in MASI_INPUTS:
        group = page.get_by_role("group", name=region)
        group.get_by_label("Area involved").select_option(area)
        group.get_by_label("Darkness").select_option(darkness)
        group.get_by_label("Homogeneity").select_option(homogeneity)
        if region == "Forehead":
            expect(total).to_contain_text("incomplete")
    # 0.3x2x(2+2) + 0.3x3x(3+2) + 0.3x3x(2+2) + 0.1x1x(1+1) = 10.7, worked out as it is typed.
    expect(total).to_have_text("10.7 of 48")
    check_a11y(page)

    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Skin assessment of "))
    expect(page.get_by_text("10.7 of 48")).to_be_visible()
    expect(page.get_by_role("cell", name="3 – moderate")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Add photos").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add photos")
    check_a11y(page)
    page.get_by_role("group", name="Photo 1").get_by_label("Image file").set_input_files(front)
    second = page.get_by_role("group", name="Photo 2")
    expect(second.get_by_label("View")).to_have_value("left_45")
    second.get_by_label("Image file").set_input_files(side)
    page.get_by_role("button", name="Upload the photos").click()

    expect(page.get_by_text("2 photos added.")).to_be_visible()
    thumbnails = page.get_by_role("img", name=re.compile(r"view of face, \d+ \w+ \d{4}$"))
    expect(thumbnails).to_have_count(2)
    expect(page.get_by_role("img", name=re.compile(r"^Front view of face"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Left 45° view of face"))).to_be_visible()
    for index in range(2):
        # Wait for the file to arrive and decode (a busy machine can be slower than the check).
        loaded = thumbnails.nth(index).evaluate("img => img.decode().then(() => img.naturalWidth)")
        assert 0 < loaded <= 320
    check_a11y(page)
