"""A dermatologist records the follow-up that completes a course, then sees the progress.

The path: a microneedling course in treatment (assessment: melasma 3 with a front photo,
photo consent, one completed session) -> the follow-up re-scores melasma to 1, adds a front
photo and completes the course -> the chart's progress panel draws the trend and shows the two
front photos side by side -> the course page says the course is completed.
"""

import datetime as dt
import io

from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from clinic.models import Role
from tests.browser.conftest import check_a11y, log_in
from tests.factories import (
    AssessmentConcernFactory,
    AssessmentFactory,
    ConsentFactory,
    PatientFactory,
    PlanFactory,
    ScreenFactory,
    UserFactory,
)
from tests.treatments.followups.factories import (
    done_sessions,
    photo,
    photo_consent,
    visit,
)
from treatments.models import PlanState


def _jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 150), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def test_dermatologist_records_a_follow_up_and_sees_progress(page):
    derm = UserFactory(role=Role.DERMATOLOGIST, email="amelia@example.test")
    patient = PatientFactory(first_name="Olivia", last_name="Bennett")
    ScreenFactory(patient=patient, author=derm)
    ConsentFactory(patient=patient)
    photo_consent(patient)
    assessed_on = timezone.localdate() - dt.timedelta(days=90)
    assessment = AssessmentFactory(
        patient=patient, author=derm, fitzpatrick=5, skin_type="combination",
        assessed_on=assessed_on,
    )  # fmt: skip
    AssessmentConcernFactory(assessment=assessment, concern="melasma", severity=3, areas=["face"])
    before = photo(patient, assessment=assessment, view="front", taken_on=assessed_on)
    plan = PlanFactory(
        assessment=assessment, patient=patient, author=derm, sessions=1,
        state=PlanState.IN_TREATMENT,
    )  # fmt: skip
    done_sessions(plan, count=1, first=timezone.now() - dt.timedelta(days=30))

    log_in(page, derm.email)
    # Every session is done: the course waits on her, from her home.
    courses = page.get_by_role("region", name="Courses waiting on you")
    expect(courses).to_contain_text("All 1 sessions are done: the follow-up review is due.")
    check_a11y(page)
    courses.get_by_role("link", name="Record the follow-up for Olivia Bennett").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up review")
    check_a11y(page)
    # Nothing chosen: each missing answer is said at its field, and nothing is saved.
    page.get_by_role("button", name="Record the follow-up").click()
    expect(page.locator("main")).to_contain_text("Nothing was saved")
    expect(page.locator("main")).to_contain_text("Re-score Melasma: 0 (none) to 4 (severe).")
    expect(page.locator("main")).to_contain_text("Choose a decision")
    check_a11y(page)

    page.get_by_label("GAIS, your rating").select_option(label="Much improved")
    page.get_by_label("GAIS, the patient's rating").select_option(label="Improved")
    page.get_by_label("Patient satisfaction (1-5)").fill("5")
    page.get_by_label("Melasma now").select_option(label="1 – minimal")
    page.get_by_label("Side effects since the last visit").fill("Mild redness for a day.")
    page.get_by_label("Front view of the face").set_input_files(
        {"name": "front.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((200, 160, 140))}
    )
    page.get_by_label("Complete the course").check()
    page.get_by_role("button", name="Record the follow-up").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Follow-up of")
    expect(page.get_by_role("status").first).to_contain_text(
        "Follow-up recorded. The plan is now completed."
    )
    expect(page.locator("main")).to_contain_text("Better by 2 points")
    check_a11y(page)

    page.goto(f"/patients/{patient.pk}/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Progress", exact=True))
    chart = panel.get_by_role("img", name="Melasma: 3 on")
    expect(chart).to_be_visible()
    expect(chart).to_have_attribute(
        "aria-label",
        "Melasma: 3 on " + _short(assessed_on) + ", 1 on " + _short(timezone.localdate()),
    )
    pair = panel.locator(".before-after")
    expect(pair.get_by_role("img")).to_have_count(2)
    expect(pair.locator("img").first).to_have_attribute(
        "src", f"/patients/photos/{before.pk}/thumb/"
    )
    expect(pair).to_contain_text("Before: ")
    expect(pair).to_contain_text("After: ")
    # Both thumbnails really load (they are served only to dermatologists).
    for image in pair.locator("img").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    check_a11y(page)

    panel.get_by_role("link", name="the course at a glance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Course at a glance")
    expect(page.locator("main")).to_contain_text("The course was completed on")
    expect(page.locator("main")).to_contain_text("much improved (GAIS); complete the course")
    check_a11y(page)


def _short(day: dt.date) -> str:
    """The aria-label's dates: '1 Sep', with the year when the readings span two."""
    today = timezone.localdate()
    spans = day.year != today.year
    return f"{day.day} {day:%b}" + (f" {day.year}" if spans else "")


def test_the_desk_books_from_the_course_and_the_patient_reads_it(page):
    user = UserFactory(role=Role.PATIENT, email="olivia@example.test")
    patient = PatientFactory(first_name="Olivia", last_name="Bennett", user=user)
    desk = UserFactory(role=Role.FRONT_DESK, email="desk@example.test")
    plan = PlanFactory(
        assessment=AssessmentFactory(patient=patient), patient=patient, sessions=4,
        state=PlanState.PLANNED, notes="Clinical note the desk must not see.",
    )  # fmt: skip
    AssessmentConcernFactory(assessment=plan.assessment, concern="melasma", severity=3)
    starts = (timezone.now() + dt.timedelta(days=9)).replace(minute=0, second=0, microsecond=0)
    visit(plan, starts_at=starts)

    log_in(page, desk.email)
    courses = page.get_by_role("region", name="Courses to book")
    expect(courses).to_contain_text("1 of 4")
    expect(
        courses.get_by_role("link", name="Book the remaining 3 sessions for Olivia Bennett")
    ).to_have_attribute("href", f"/treatments/plans/{plan.pk}/book-course/")
    check_a11y(page)
    courses.get_by_role("link", name="Course of Olivia Bennett").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Course at a glance")
    expect(page.get_by_role("link", name="Book the remaining 3 sessions")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Clinical note")
    check_a11y(page)
    page.get_by_role("button", name="Log out").click()

    log_in(page, user.email)
    mine = page.get_by_role("region", name="Your treatment course")
    check_a11y(page)
    mine.get_by_role("link", name="See your course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your treatment course")
    local = timezone.localtime(starts)
    expect(page.locator("main")).to_contain_text(
        f"Your next session is on {local:%A} {local.day} {local:%B}"
    )
    check_a11y(page)
