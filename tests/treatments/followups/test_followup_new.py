"""The follow-up page (treatments:followup_new): dermatologists record GAIS, re-scores, photos
and the decision; bad input gets a message at its field and saves nothing.

Anonymous visitors and the other roles are covered by url_cases (login redirect, 403).
"""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from patients.models import Photo
from tests.factories import review_type
from tests.treatments.followups.factories import (
    course_plan,
    image,
    photo,
    photo_consent,
    rating,
    visit,
)
from treatments.models import AppointmentStatus, FollowUp, PlanState
from treatments.services import followups

pytestmark = pytest.mark.django_db


@pytest.fixture
def derm_client(client_for):
    return client_for(Role.DERMATOLOGIST)


def _url(plan, **query):
    url = reverse("treatments:followup_new", kwargs={"plan_pk": plan.pk})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _data(**overrides):
    data = {
        "reviewed_on": timezone.localdate().isoformat(),
        "gais_clinician": "2",
        "gais_patient": "",
        "satisfaction": "4",
        "side_effects": "",
        "notes": "",
        "score_melasma": "1",
        "score_hyperpigmentation": "1",
        "decision": "complete",
    }
    return data | overrides


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_the_form_has_a_rescore_for_each_concern_and_the_assessments_photo_views(derm_client):
    plan = course_plan()
    photo_consent(plan.patient)
    photo(plan.patient, assessment=plan.assessment, view="front")
    photo(plan.patient, assessment=plan.assessment, view="right_45")
    response = derm_client.get(_url(plan))
    assert response.status_code == 200
    page = _page(response)
    assert page.count("<h1") == 1
    assert "Melasma now" in page and "At the assessment: 3 – moderate." in page
    assert "Hyperpigmentation now" in page
    assert "Front view of the face" in page and "Right 45° view of the face" in page
    assert "Left 45° view of the face" not in page


def test_with_no_assessment_photos_the_standard_views_are_offered(derm_client):
    page = _page(derm_client.get(_url(course_plan())))
    for label in ("Front view", "Left 45° view", "Right 45° view", "Close-up"):
        assert f"{label} of the face" in page


def test_the_patients_own_rating_prefills_their_gais_and_satisfaction(derm_client):
    plan = course_plan()
    rating(plan, gais=3, satisfaction=2, comment="Better, slowly.")
    rating(plan, gais=1, satisfaction=5, comment="Much better!")
    form = derm_client.get(_url(plan)).context["form"]
    assert form.initial == {"gais_patient": 1, "satisfaction": 5}
    assert "Much better!" in _page(derm_client.get(_url(plan)))


def test_recording_completes_the_course_and_shows_the_follow_up(derm_client):
    plan = course_plan()
    response = derm_client.post(_url(plan), _data())
    follow_up = FollowUp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("treatments:followup_detail", args=[follow_up.pk])
    plan.refresh_from_db()
    assert plan.state == PlanState.COMPLETED
    assert dict(follow_up.scores.values_list("concern", "severity")) == {
        "melasma": 1,
        "hyperpigmentation": 1,
    }
    page = _page(derm_client.get(response["Location"]))
    assert "Follow-up recorded. The plan is now completed." in page


def test_a_score_of_9_is_refused_at_its_field_and_nothing_is_saved(derm_client):
    plan = course_plan()
    response = derm_client.post(_url(plan), _data(score_melasma="9"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "score_melasma": ["Severity is 0 (none) to 4 (severe)."]
    }
    assert "Severity is 0 (none) to 4 (severe)." in _page(response)
    assert not FollowUp.objects.exists()
    plan.refresh_from_db()
    assert plan.state == PlanState.IN_TREATMENT


SATISFACTION = "Satisfaction is 1 (very dissatisfied) to 5 (very satisfied)."
IN_TWO_DAYS = (timezone.localdate() + dt.timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"decision": ""}, "decision", followups.DECISION_ERROR),
        ({"satisfaction": "0"}, "satisfaction", SATISFACTION),
        ({"satisfaction": "6"}, "satisfaction", SATISFACTION),
        ({"gais_clinician": ""}, "gais_clinician", followups.GAIS_ERROR),
        (
            {"score_hyperpigmentation": ""},
            "score_hyperpigmentation",
            "Re-score Hyperpigmentation: 0 (none) to 4 (severe).",
        ),
        ({"reviewed_on": IN_TWO_DAYS}, "reviewed_on", "The review date cannot be in the future."),
    ],
)
def test_bad_input_is_refused_at_its_field(derm_client, overrides, field, message):
    plan = course_plan()
    response = derm_client.post(_url(plan), _data(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert not FollowUp.objects.exists()


def test_a_photo_without_photo_consent_is_refused_at_the_photo(derm_client):
    plan = course_plan()
    response = derm_client.post(_url(plan), _data(photo_front_face=image()))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "photo_front_face": [
            "This patient has no valid photo consent, so no photo can be added. Record the "
            "patient's photo consent on their chart first."
        ]
    }
    assert not FollowUp.objects.exists() and not Photo.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_at_the_photo(derm_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = course_plan()
    photo_consent(plan.patient)
    bad = SimpleUploadedFile("notes.jpg", b"plain text", content_type="image/jpeg")
    response = derm_client.post(_url(plan), _data(photo_front_face=bad))
    assert response.context["form"].errors == {
        "photo_front_face": ["This file is not an image (JPEG, PNG or WebP)."]
    }
    assert not FollowUp.objects.exists()


def test_photos_uploaded_with_consent_are_attached(derm_client):
    plan = course_plan()
    photo_consent(plan.patient)
    derm_client.post(_url(plan), _data(photo_front_face=image(), photo_close_up_face=image()))
    follow_up = FollowUp.objects.get()
    assert sorted(follow_up.photos.values_list("view", flat=True)) == ["close_up", "front"]


def test_adjust_keeps_the_plan_in_follow_up_and_goes_to_the_plan(derm_client):
    plan = course_plan()
    response = derm_client.post(_url(plan), _data(decision="adjust"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("treatments:plan_detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.state == PlanState.FOLLOW_UP
    assert "A plan can be edited only before its first session" in _page(response)


def test_a_plan_not_yet_in_treatment_shows_why_and_refuses(derm_client):
    plan = course_plan(state=PlanState.PLANNED)
    page = _page(derm_client.get(_url(plan)))
    assert "A follow-up is recorded once the course has started; this plan is planned." in page
    assert "Record the follow-up</button>" not in page
    response = derm_client.post(_url(plan), _data())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A follow-up is recorded once the course has started; this plan is planned."
    ]
    assert not FollowUp.objects.exists()


def test_a_follow_up_appointment_is_linked(derm_client):
    plan = course_plan()
    review = visit(
        plan,
        starts_at=timezone.now() - dt.timedelta(minutes=5),
        appointment_type=review_type(),
        status=AppointmentStatus.CHECKED_IN,
    )
    url = _url(plan, appointment=review.pk)
    assert "For the follow-up review appointment of" in _page(derm_client.get(url))
    derm_client.post(url, _data(decision="continue"))
    assert FollowUp.objects.get().appointment == review


@pytest.mark.parametrize("which", ["other patient", "treatment", "not a number", "missing"])
def test_an_appointment_that_is_not_this_patients_review_is_404(derm_client, which):
    plan = course_plan()
    soon = timezone.now() + dt.timedelta(days=1)
    pk = {
        "other patient": lambda: (
            visit(course_plan(), starts_at=soon, appointment_type=review_type()).pk
        ),
        "treatment": lambda: visit(plan, starts_at=soon).pk,
        "not a number": lambda: "abc",
        "missing": lambda: 999999,
    }[which]()
    assert derm_client.get(_url(plan, appointment=pk)).status_code == 404


def test_an_unknown_plan_is_404(derm_client):
    assert derm_client.get("/treatments/plans/999999/follow-ups/new/").status_code == 404


def test_other_methods_are_not_allowed(derm_client):
    assert derm_client.put(_url(course_plan())).status_code == 405


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT, Role.MANAGER])
def test_other_roles_cannot_record_one(client_for, role):
    plan = course_plan()
    assert client_for(role).post(_url(plan), _data()).status_code == 403
    assert not FollowUp.objects.exists()
