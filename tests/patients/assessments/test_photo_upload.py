"""Uploading an assessment's photos: patients:photo_upload."""

import time

import pytest
from django.urls import reverse
from PIL import Image

from clinic.models import Role
from patients.models import Photo, photo_storage
from tests.factories import AssessmentFactory, PatientFactory
from tests.patients.assessments.helpers import (
    give_photo_consent,
    image_bytes,
    jpeg_with_gps,
    upload,
)
from tests.patients.assessments.test_photo_processing import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment():
    assessment = AssessmentFactory()
    give_photo_consent(assessment.patient)
    return assessment


@pytest.fixture
def derm_client(client, derm):
    client.force_login(derm)
    return client


def url(assessment):
    return reverse("patients:photo_upload", args=[assessment.patient_id, assessment.pk])


def stored_files(patient_id) -> set[str]:
    files = set()
    for folder in (f"{patient_id}", f"{patient_id}/thumbs"):
        if photo_storage.exists(folder):
            files |= {f"{folder}/{name}" for name in photo_storage.listdir(folder)[1]}
    return files


def row(number, file, *, view="front", area="face"):
    return {f"photo{number}-view": view, f"photo{number}-area": area, f"photo{number}-image": file}


def empty_rows(*numbers):
    data = {}
    for number in numbers:
        data.update({f"photo{number}-view": "close_up", f"photo{number}-area": "face"})
    return data


def test_the_form_offers_the_standard_views(derm_client, assessment):
    response = derm_client.get(url(assessment))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in html
    for number in range(1, 7):
        assert f"Photo {number}" in html
    # docs/clinical-rules.md §Photos: front, left and right 45°, left and right profile, close-up.
    assert [r["view"].value() for r in response.context["upload"]] == [
        "front",
        "left_45",
        "right_45",
        "left_90",
        "right_90",
        "close_up",
    ]


def test_dermatologist_uploads_two_photos_at_once(derm_client, derm, assessment):
    data = {
        **row(1, upload(image_bytes("PNG"))),
        **row(2, upload(jpeg_with_gps(), name="left.jpg"), view="left_45"),
        **empty_rows(3, 4),
    }
    response = derm_client.post(url(assessment), data)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "patients:assessment_detail", args=[assessment.patient_id, assessment.pk]
    )
    photos = list(Photo.objects.order_by("pk"))
    assert [(p.view, p.area) for p in photos] == [("front", "face"), ("left_45", "face")]
    for photo in photos:
        assert photo.patient == assessment.patient
        assert photo.assessment == assessment
        assert photo.uploaded_by == derm
        assert photo_storage.exists(photo.image.name)
        assert photo_storage.exists(photo.thumbnail.name)


def test_the_stored_file_has_no_exif_at_all(derm_client, assessment):
    derm_client.post(url(assessment), {**row(1, upload(jpeg_with_gps(), name="gps.jpg"))})
    photo = Photo.objects.get()
    with photo_storage.open(photo.image.name) as handle, Image.open(handle) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info


def test_photos_are_stored_outside_the_static_files(assessment, settings):
    assert str(photo_storage.location).startswith(str(settings.MEDIA_ROOT))
    assert photo_storage.base_url is None or not photo_storage.base_url.startswith(
        settings.STATIC_URL
    )


def test_a_pdf_renamed_jpg_is_refused_at_its_field(derm_client, assessment):
    fake = upload(PDF, name="photo.jpg", content_type="image/jpeg")
    response = derm_client.post(url(assessment), row(1, fake))
    assert response.status_code == 200
    first = response.context["upload"].rows[0]
    assert first.errors["image"] == ["This file is not an image (JPEG, PNG or WebP)."]
    assert "This file is not an image (JPEG, PNG or WebP)." in response.content.decode()
    assert not Photo.objects.exists()


def test_a_50_mb_image_is_refused_at_its_field(derm_client, assessment):
    # A real PNG padded to 50 MB: the size is refused before anything is decoded.
    padded = image_bytes("PNG") + b"\0" * (50 * 1024 * 1024 - len(image_bytes("PNG")))
    started = time.monotonic()
    response = derm_client.post(url(assessment), row(1, upload(padded)))
    assert time.monotonic() - started < 30
    assert response.status_code == 200
    assert response.context["upload"].rows[0].errors["image"] == [
        "This image is 50.0 MB; the limit is 15 MB."
    ]
    assert not Photo.objects.exists()


def test_one_bad_file_means_none_are_saved(derm_client, assessment):
    data = {
        **row(1, upload(image_bytes("PNG"))),
        **row(2, upload(PDF, name="x.jpg"), view="left_45"),
    }
    response = derm_client.post(url(assessment), data)
    assert response.status_code == 200
    assert "photo2-image" in response.content.decode()
    assert response.context["upload"].rows[1].errors["image"]
    assert not Photo.objects.exists()


def test_submitting_no_file_asks_for_one(derm_client, assessment):
    response = derm_client.post(url(assessment), empty_rows(1, 2, 3, 4))
    assert response.context["upload"].rows[0].errors["image"] == [
        "Choose at least one image file to upload."
    ]
    assert not Photo.objects.exists()


def test_an_unknown_view_is_refused(derm_client, assessment):
    response = derm_client.post(url(assessment), row(1, upload(image_bytes()), view="top_down"))
    assert "view" in response.context["upload"].rows[0].errors
    assert not Photo.objects.exists()


def test_without_photo_consent_the_upload_is_refused(derm_client):
    assessment = AssessmentFactory()  # no photo consent
    page = derm_client.get(url(assessment)).content.decode()
    assert "no valid photo consent" in page
    assert 'type="file"' not in page
    response = derm_client.post(url(assessment), row(1, upload(image_bytes())))
    assert response.status_code == 200
    assert "no valid photo consent" in response.content.decode()
    assert reverse("patients:detail", args=[assessment.patient_id]) in response.content.decode()
    assert not Photo.objects.exists()


def test_a_revoked_photo_consent_does_not_count(derm_client):
    assessment = AssessmentFactory()
    consent = give_photo_consent(assessment.patient)
    consent.revoked_at = consent.signed_at
    consent.save()
    derm_client.post(url(assessment), row(1, upload(image_bytes())))
    assert not Photo.objects.exists()


def test_treatment_consent_is_not_photo_consent(derm_client):
    from tests.factories import ConsentFactory

    assessment = AssessmentFactory()
    ConsentFactory(patient=assessment.patient)  # treatment consent
    derm_client.post(url(assessment), row(1, upload(image_bytes())))
    assert not Photo.objects.exists()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_cannot_upload(client_for, assessment, role):
    client = client_for(role)
    assert client.get(url(assessment)).status_code == 403
    assert client.post(url(assessment), row(1, upload(image_bytes()))).status_code == 403
    assert not Photo.objects.exists()


def test_assessment_of_another_patient_is_404(derm_client, assessment):
    other = PatientFactory()
    response = derm_client.get(reverse("patients:photo_upload", args=[other.pk, assessment.pk]))
    assert response.status_code == 404


def test_put_is_405(derm_client, assessment):
    assert derm_client.put(url(assessment)).status_code == 405


def test_a_file_that_fails_to_decode_leaves_no_photo_and_no_file_behind(derm_client, assessment):
    # A truncated JPEG passes the quick check and fails only when its pixels are decoded,
    # after the first row's photo was already stored.
    whole = image_bytes("JPEG", size=(400, 300))
    data = {
        **row(1, upload(image_bytes("PNG"))),
        **row(2, upload(whole[: len(whole) // 2], name="cut.jpg"), view="left_45"),
    }
    before = stored_files(assessment.patient_id)

    response = derm_client.post(url(assessment), data)

    assert response.status_code == 200
    assert response.context["upload"].rows[1].errors["image"] == [
        "This file is not an image (JPEG, PNG or WebP)."
    ]
    assert not Photo.objects.exists()
    assert stored_files(assessment.patient_id) == before
