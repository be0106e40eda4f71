"""A dermatologist takes a standard photo with the camera (Chromium's fake camera), lined up
with the previous photo of the view shown as a ghost, retakes it, saves it; the photo is then
compared with the earlier one. Accessibility is checked on each page."""

from django.urls import reverse
from playwright.sync_api import expect

from clinic.models import Role
from patients.models import Photo
from tests.browser.conftest import check_a11y, log_in
from tests.factories import UserFactory
from tests.patients.assessments.helpers import make_photo


def test_capture_with_the_ghost_then_compare(page):
    derm = UserFactory(role=Role.DERMATOLOGIST, email="amelia@example.test")
    earlier = make_photo(view="front")
    assessment = earlier.assessment
    log_in(page, derm.email)
    page.goto(reverse("patients:assessment_detail", args=[assessment.patient_id, assessment.pk]))
    page.get_by_role("link", name="Take photos with the camera").click()
    check_a11y(page)

    page.get_by_role("button", name="Start the camera").click()
    status = page.get_by_role("status").filter(has_text="Line up")
    expect(status).to_contain_text(f"Line up with the photo of {earlier.taken_on:%-d %b %Y}")
    ghost = page.locator("[data-capture-ghost]")
    expect(ghost).to_be_visible()
    page.get_by_label("Previous photo's opacity").fill("70")
    assert ghost.evaluate("img => img.style.opacity") == "0.7"
    # Another view has no earlier photo: no ghost.
    page.get_by_label("View").select_option("left_45")
    expect(ghost).to_be_hidden()
    page.get_by_label("View").select_option("front")
    expect(ghost).to_be_visible()
    check_a11y(page)

    page.get_by_role("button", name="Take the photo").click()
    expect(page.locator("[data-capture-review]")).to_be_visible()
    page.get_by_role("button", name="Retake").click()
    expect(page.locator("[data-capture-video]")).to_be_visible()
    page.get_by_role("button", name="Take the photo").click()
    expect(page.get_by_role("status").filter(has_text="Photo taken")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Save the photo").click()

    expect(page.get_by_role("status").first).to_contain_text("Photo saved: Front.")
    check_a11y(page)
    taken = Photo.objects.exclude(pk=earlier.pk).get()
    assert (taken.view, taken.assessment_id) == ("front", assessment.pk)
    assert taken.width > 0

    page.goto(
        reverse("treatments:photo_compare", args=[assessment.patient_id])
        + f"?before={earlier.pk}&after={taken.pk}"
    )
    expect(page.get_by_role("heading", name="Front of the face")).to_be_visible()
    check_a11y(page)
