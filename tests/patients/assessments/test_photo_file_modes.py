"""Photos of faces are stored readable by the app's own user only."""

import stat
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile

from patients.models import photo_storage


def test_a_stored_photo_and_its_folder_are_the_apps_alone():
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    name = photo_storage.save("mode-check/photo.jpg", ContentFile(b"\xff\xd8 not really"))
    try:
        path = Path(photo_storage.path(name))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    finally:
        photo_storage.delete(name)
        Path(photo_storage.path("mode-check")).rmdir()
