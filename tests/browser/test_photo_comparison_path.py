"""A dermatologist compares a course's before and after photos (side by side and with the
slider); the patient sees the same pair in the portal on a 390 px phone, with accessibility
checked on every page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clinic.models import Role
from patients.models import Photo
from tests.browser.conftest import check_a11y, log_in
from tests.browser.test_patient_phone_path import PHONE, _fits, phone  # noqa: F401 - fixture
from tests.factories import UserFactory
from tests.patients.assessments.helpers import make_photo
from tests.treatments.followups.factories import course_plan, recorded_follow_up
from tests.treatments.sessions.factories import patient_with_login


def _pair():
    plan = course_plan()
    before = make_photo(assessment=plan.assessment)
    after = make_photo(assessment=plan.assessment)
    Photo.objects.filter(pk=before.pk).update(taken_on=timezone.localdate() - dt.timedelta(days=90))
    Photo.objects.filter(pk=after.pk).update(assessment=None)
    today = timezone.localdate()
    recorded_follow_up(plan, reviewed_on=today, scores={"melasma": 1}, photos=[after])
    return plan, before, after


def test_the_dermatologist_compares_with_the_slider(page):
    derm = UserFactory(role=Role.DERMATOLOGIST, email="amelia@example.test")
    plan, before, after = _pair()
    log_in(page, derm.email)
    page.goto(reverse("treatments:photo_compare", args=[plan.patient_id]))
    expect(page.get_by_role("heading", name="Front of the face")).to_be_visible()
    slider = page.get_by_label("Slide between before")
    expect(slider).to_be_visible()  # the script showed it
    slider.fill("20")
    clip = page.locator(".compare-after").evaluate("img => img.style.clipPath")
    assert clip == "inset(0px 80% 0px 0px)"
    check_a11y(page)

    # Two different photos chosen the other way round still read before, then after.
    page.locator("#id_before").select_option(str(after.pk))
    page.locator("#id_after").select_option(str(before.pk))
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("figcaption").first).to_contain_text("Before: Assessment")
    check_a11y(page)


def test_the_patient_sees_their_pair_on_a_phone(phone):  # noqa: F811 - the fixture
    plan, _, _ = _pair()
    user, _ = patient_with_login(plan.patient)
    log_in(phone, user.email)
    phone.goto(reverse("treatments:portal_compare"))
    expect(phone.get_by_role("heading", name="Front of the face")).to_be_visible()
    expect(phone.locator("figcaption").last).to_contain_text("Follow-up")
    _fits(phone)
    check_a11y(phone)
