"""Serving photo files: patients:photo and patients:photo_thumb, to dermatologists only."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clinic.models import Role
from tests.patients.assessments.helpers import make_photo

pytestmark = pytest.mark.django_db

NAMES = ["patients:photo", "patients:photo_thumb"]


@pytest.fixture
def photo():
    return make_photo()


@pytest.mark.parametrize("name", NAMES)
def test_dermatologist_gets_the_jpeg_privately(client_for, photo, name):
    response = client_for(Role.DERMATOLOGIST).get(reverse(name, args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).format == "JPEG"


def test_the_thumbnail_is_the_small_one(client_for):
    photo = make_photo()
    client = client_for(Role.DERMATOLOGIST)
    full = b"".join(client.get(reverse("patients:photo", args=[photo.pk])).streaming_content)
    thumb = b"".join(client.get(reverse("patients:photo_thumb", args=[photo.pk])).streaming_content)
    assert Image.open(io.BytesIO(full)).size == (photo.width, photo.height)
    assert max(Image.open(io.BytesIO(thumb)).size) <= 320


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    ("role", "status"), [(Role.FRONT_DESK, 403), (Role.MANAGER, 403), (Role.PATIENT, 404)]
)
def test_no_one_else_gets_the_file(client_for, photo, name, role, status):
    # Another patient's photo answers as one that does not exist.
    response = client_for(role).get(reverse(name, args=[photo.pk]))
    assert response.status_code == status
    assert not getattr(response, "streaming", False)


def test_the_patient_in_the_photo_gets_it_only_while_photo_consent_stands(
    client, photo, make_user
):
    user = make_user(role=Role.PATIENT)
    photo.patient.user = user
    photo.patient.save()
    client.force_login(user)
    assert client.get(reverse("patients:photo", args=[photo.pk])).status_code == 200
    photo.patient.consents.update(revoked_at=timezone.now())
    assert client.get(reverse("patients:photo", args=[photo.pk])).status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_unknown_photo_is_404(client_for, name):
    assert client_for(Role.DERMATOLOGIST).get(reverse(name, args=[999_999])).status_code == 404


def test_a_photo_whose_file_is_gone_is_404_not_500(client_for, photo):
    photo.image.storage.delete(photo.image.name)
    response = client_for(Role.DERMATOLOGIST).get(reverse("patients:photo", args=[photo.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", NAMES)
def test_post_is_405(client_for, photo, name):
    assert client_for(Role.DERMATOLOGIST).post(reverse(name, args=[photo.pk])).status_code == 405
