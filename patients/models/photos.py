"""Clinical photos, kept outside any public path."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from clinic.lib.vocabulary import Area
from patients.models.assessments import Assessment
from patients.models.registry import Patient


class PhotoView(models.TextChoices):
    FRONT = "front", "Front"
    LEFT_45 = "left_45", "Left 45°"
    RIGHT_45 = "right_45", "Right 45°"
    # docs/clinical-rules.md §Photos: "left and right profile (90°)".
    LEFT_PROFILE = "left_90", "Left profile (90°)"
    RIGHT_PROFILE = "right_90", "Right profile (90°)"
    CLOSE_UP = "close_up", "Area close-up"


@deconstructible(path="patients.models.PhotoStorage")
class PhotoStorage(FileSystemStorage):
    """Clinical photos live outside any public path; only views that check access read them.

    It takes no arguments, so migrations record this class rather than one machine's MEDIA_ROOT.
    """

    def __init__(self):
        super().__init__(location=settings.MEDIA_ROOT / "photos", base_url=None)


photo_storage = PhotoStorage()


def _photo_name(instance, filename):
    return f"{instance.patient_id}/{uuid.uuid4().hex}.jpg"


def _thumb_name(instance, filename):
    return f"{instance.patient_id}/thumbs/{uuid.uuid4().hex}.jpg"


class Photo(models.Model):
    """A clinical photo in a standard view, stripped of location and other metadata."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="photos")
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    view = models.CharField(max_length=10, choices=PhotoView.choices)
    area = models.CharField(max_length=12, choices=Area.choices)
    image = models.ImageField(storage=photo_storage, upload_to=_photo_name)
    thumbnail = models.ImageField(storage=photo_storage, upload_to=_thumb_name)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    taken_on = models.DateField(default=timezone.localdate)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "view", "pk"]

    def __str__(self):
        area = self.get_area_display().lower()
        return f"{self.get_view_display()} of {area}, {self.taken_on:%d %b %Y}"
