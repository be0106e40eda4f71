"""Guided capture: one photo per save, from the camera or a file, through the same processing
and photo consent as the upload; the previous photo of each view is offered as the ghost."""

import pytest
from django.urls import reverse

from patients.models import Photo
from tests.factories import AssessmentFactory
from tests.patients.assessments.helpers import (
    give_photo_consent,
    image_bytes,
    jpeg_with_gps,
    make_photo,
    upload,
)

pytestmark = pytest.mark.django_db


def _url(assessment):
    return reverse("patients:photo_capture", args=[assessment.patient_id, assessment.pk])


def test_a_captured_photo_is_saved_stripped_and_the_page_comes_back_for_the_next(client, derm):
    assessment = AssessmentFactory()
    give_photo_consent(assessment.patient)
    client.force_login(derm)
    response = client.post(
        _url(assessment),
        {"view": "left_45", "area": "face", "image": upload(jpeg_with_gps(), name="c.jpg")},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{_url(assessment)}?view=left_45"
    photo = Photo.objects.get()
    assert (photo.view, photo.assessment, photo.uploaded_by) == ("left_45", assessment, derm)
    with photo.image.open("rb") as stored:
        assert b"GPS" not in stored.read()


def test_without_photo_consent_nothing_is_saved(client, derm):
    assessment = AssessmentFactory()
    client.force_login(derm)
    page = client.get(_url(assessment)).text
    assert "no valid photo consent" in page and "data-capture-form" not in page
    response = client.post(
        _url(assessment), {"view": "front", "area": "face", "image": upload(image_bytes())}
    )
    assert response.status_code == 200
    assert "no valid photo consent" in response.text or "photo consent" in response.text
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"view": "profile_up", "area": "face"}, "Select a valid choice."),
        ({"view": "front", "area": "face", "image": None}, "Take the photo with the camera"),
    ],
)
def test_a_forced_value_or_no_photo_is_refused(client, derm, data, message):
    assessment = AssessmentFactory()
    give_photo_consent(assessment.patient)
    client.force_login(derm)
    if "image" not in data:
        data["image"] = upload(image_bytes())
    elif data["image"] is None:
        del data["image"]
    response = client.post(_url(assessment), data)
    assert response.status_code == 200
    assert message in response.text
    assert not Photo.objects.exists()


def test_the_latest_photo_of_each_view_is_the_ghost(client, derm):
    first = make_photo(view="front")
    assessment = first.assessment
    latest = make_photo(assessment=assessment, view="front")
    side = make_photo(assessment=assessment, view="left_45")
    client.force_login(derm)
    page = client.get(_url(assessment)).text
    assert f'data-src="{reverse("patients:photo", args=[latest.pk])}"' in page
    assert f'data-src="{reverse("patients:photo", args=[side.pk])}"' in page
    assert f'data-src="{reverse("patients:photo", args=[first.pk])}"' not in page
    assert "<script>" not in page  # CSP: the script is a file
