"""Left and right profile (90°) are standard views: captured, uploaded and compared like the
others (docs/clinical-rules.md §Photos: "left and right profile (90°)")."""

import pytest
from django.urls import reverse

from patients.models import Photo, PhotoView
from tests.factories import AssessmentFactory
from tests.patients.assessments.helpers import (
    give_photo_consent,
    jpeg_with_gps,
    make_photo,
    upload,
)

pytestmark = pytest.mark.django_db


def test_the_standard_views_run_front_45_profile_close_up():
    assert PhotoView.values == ["front", "left_45", "right_45", "left_90", "right_90", "close_up"]


@pytest.mark.parametrize("view", ["left_90", "right_90"])
def test_a_profile_is_captured_and_saved(client, derm, view):
    assessment = AssessmentFactory()
    give_photo_consent(assessment.patient)
    client.force_login(derm)
    url = reverse("patients:photo_capture", args=[assessment.patient_id, assessment.pk])
    page = client.get(url).text
    assert f'value="{view}"' in page  # offered in the view picker

    response = client.post(
        url, {"view": view, "area": "face", "image": upload(jpeg_with_gps(), name="p.jpg")}
    )

    assert response.status_code == 302
    assert Photo.objects.get().view == view


def test_the_upload_has_a_row_for_each_profile(client, derm):
    assessment = AssessmentFactory()
    give_photo_consent(assessment.patient)
    client.force_login(derm)
    url = reverse("patients:photo_upload", args=[assessment.patient_id, assessment.pk])
    data = {}
    for number, view in enumerate(PhotoView.values, start=1):
        data |= {f"photo{number}-view": view, f"photo{number}-area": "face"}
    data["photo4-image"] = upload(jpeg_with_gps(), name="left.jpg")
    data["photo5-image"] = upload(jpeg_with_gps(), name="right.jpg")

    response = client.post(url, data)

    assert response.status_code == 302
    assert sorted(Photo.objects.values_list("view", flat=True)) == ["left_90", "right_90"]


def test_two_left_profiles_compare_and_a_profile_does_not_compare_with_a_45(client, derm):
    assessment = AssessmentFactory()
    give_photo_consent(assessment.patient)
    first = make_photo(assessment=assessment, view="left_90")
    second = make_photo(assessment=assessment, view="left_90")
    other = make_photo(assessment=assessment, view="left_45")
    client.force_login(derm)
    url = reverse("treatments:photo_compare", args=[assessment.patient_id])

    same = client.get(url, {"before": first.pk, "after": second.pk})
    mixed = client.get(url, {"before": first.pk, "after": other.pk})

    assert same.status_code == 200
    assert "data-compare-slider" in same.text
    assert "Left profile" in same.text
    assert "Choose two photos of the same view and area." in mixed.text
