"""Clinical photos: upload them to an assessment, and serve them to clinicians, and to the
patient whose photos they are while their photo consent stands (patients.access).

The files live outside any public path (patients.models.photo_storage); the only way to read
one is through these views, which fetch it through ``get_photo_for_user`` before a byte is sent
(another patient's photo answers 404).
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from audit.decorators import audited, model_patient
from audit.models import AccessKind
from clinic.access import CLINICIANS, PATIENTS, role_required
from clinic.forms import add_service_errors
from patients.access import (
    get_assessment_for_user,
    get_patient_for_user,
    get_photo_for_user,
    photos_for_user,
)
from patients.forms.photos import PhotoCaptureForm, PhotoUploadForm
from patients.models import ConsentKind, Photo
from patients.services import assessments as assessment_services

logger = logging.getLogger(__name__)


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def photo_upload(request, patient_pk, pk):
    patient = get_patient_for_user(request.user, patient_pk)
    assessment = get_assessment_for_user(request.user, pk, patient=patient)
    upload = PhotoUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    refusal = None
    if request.method == "POST" and upload.is_valid():
        added = []
        row = None
        try:
            # All the chosen photos or none of them.
            with transaction.atomic():
                for row in upload.used_rows():
                    added.append(
                        assessment_services.photo_add(
                            patient=patient,
                            assessment=assessment,
                            uploaded_by=request.user,
                            view=row.cleaned_data["view"],
                            area=row.cleaned_data["area"],
                            upload=row.cleaned_data["image"],
                        )
                    )
        except ValidationError as error:
            # The rows are rolled back; the files of the photos stored before the refusal go too.
            _discard_files(added)
            if getattr(error, "code", None) == "no_photo_consent":
                refusal = error.message
            else:
                add_service_errors(row, error, default="image")
        except BaseException:
            # Whatever else failed, no clinical photo may stay on disk without its record.
            _discard_files(added)
            raise
        else:
            count = len(added)
            messages.success(request, f"{count} photo{'s' if count != 1 else ''} added.")
            return redirect("patients:assessment_detail", patient.pk, assessment.pk)
    return render(
        request,
        "patients/photo_upload.html",
        {
            "patient": patient,
            "assessment": assessment,
            "upload": upload,
            "refusal": refusal,
            "photo_consent": patient.has_valid_consent(ConsentKind.PHOTO),
        },
    )


@role_required(*CLINICIANS)
@require_http_methods(["GET", "POST"])
def photo_capture(request, patient_pk, pk):
    """Take one standard photo with the camera, matched to the previous photo of the same view
    shown as a ghost over the camera's picture (static/js/capture.js); without a camera or
    script, the same form takes a file."""
    patient = get_patient_for_user(request.user, patient_pk)
    assessment = get_assessment_for_user(request.user, pk, patient=patient)
    form = PhotoCaptureForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"view": request.GET.get("view", "front"), "area": "face"},
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            photo = assessment_services.photo_add(
                patient=patient,
                assessment=assessment,
                uploaded_by=request.user,
                view=form.cleaned_data["view"],
                area=form.cleaned_data["area"],
                upload=form.cleaned_data["image"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "no_photo_consent":
                refusal = error.message
            else:
                add_service_errors(form, error, default="image")
        else:
            messages.success(request, f"Photo saved: {photo.get_view_display()}.")
            url = reverse("patients:photo_capture", args=[patient.pk, assessment.pk])
            return redirect(f"{url}?view={photo.view}")
    # The latest photo of each view and area is the ghost a new one is lined up with.
    latest: dict[tuple[str, str], object] = {}
    for earlier in photos_for_user(request.user).filter(patient=patient).order_by("taken_on", "pk"):
        latest[earlier.view, earlier.area] = earlier
    return render(
        request,
        "patients/photo_capture.html",
        {
            "patient": patient,
            "assessment": assessment,
            "form": form,
            "refusal": refusal,
            "photo_consent": patient.has_valid_consent(ConsentKind.PHOTO),
            "ghosts": list(latest.values()),
        },
    )


def _serve(photo_file, *, pk: int, suffix: str = "") -> FileResponse:
    try:
        handle = photo_file.open("rb")
    except FileNotFoundError:
        logger.error("Photo %s: the file %s is missing from storage.", pk, photo_file.name)
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type="image/jpeg",
        as_attachment=False,
        filename=f"photo-{pk}{suffix}.jpg",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Serving a file only reads: no transaction, so a page's thumbnails load side by side.
@transaction.non_atomic_requests
@role_required(*CLINICIANS, *PATIENTS)
@require_GET
@audited(AccessKind.PHOTO, patient=model_patient(Photo))
def photo(request, pk):
    return _serve(get_photo_for_user(request.user, pk).image, pk=pk)


@transaction.non_atomic_requests
@role_required(*CLINICIANS, *PATIENTS)
@require_GET
@audited(AccessKind.PHOTO, patient=model_patient(Photo))
def photo_thumb(request, pk):
    return _serve(get_photo_for_user(request.user, pk).thumbnail, pk=pk, suffix="-thumbnail")


def _discard_files(photos) -> None:
    for stored in photos:
        stored.image.storage.delete(stored.image.name)
        stored.thumbnail.storage.delete(stored.thumbnail.name)
