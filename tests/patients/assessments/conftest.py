import pytest

from patients.models import Photo


@pytest.fixture(autouse=True)
def _remove_photo_files(db):
    """Photo files outlive a test's rolled-back rows; remove those the test stored."""
    yield
    for photo in Photo.objects.all():
        photo.image.storage.delete(photo.image.name)
        photo.thumbnail.storage.delete(photo.thumbnail.name)
