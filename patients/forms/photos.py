"""Uploading an assessment's photos: one row per standard view (docs/clinical-rules.md §Skin
assessment)."""

from django import forms

from clinic.lib.vocabulary import Area
from patients.models import PhotoView
from patients.services import photos

NOTHING_CHOSEN = "Choose at least one image file to upload."


class PhotoForm(forms.Form):
    """One photo: its view, its area and the file. A row without a file is simply not used."""

    view = forms.ChoiceField(label="View", choices=PhotoView.choices)
    area = forms.ChoiceField(label="Area", choices=Area.choices)
    image = forms.FileField(
        label="Image file",
        required=False,
        help_text=f"JPEG, PNG or WebP, up to {photos.MAX_UPLOAD_BYTES // photos.MB} MB.",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.files.get(self.add_prefix("image")):
            # A row left without a file asks for nothing else.
            self.fields["view"].required = False
            self.fields["area"].required = False

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            photos.check_image(upload)
        return upload

    @property
    def is_used(self) -> bool:
        return bool(self.cleaned_data.get("image"))


class PhotoUploadForm:
    """The standard views as rows (front, left and right 45°, left and right profile, close-up);
    fill any of them.

    Either every chosen file is good and all are saved, or none is.
    """

    def __init__(self, data=None, files=None):
        self.rows = [
            PhotoForm(
                data,
                files,
                prefix=f"photo{number}",
                initial={"view": view, "area": Area.FACE},
            )
            for number, view in enumerate(PhotoView.values, start=1)
        ]

    def __iter__(self):
        return iter(self.rows)

    def is_valid(self) -> bool:
        valid = all([row.is_valid() for row in self.rows])  # noqa: C419 - validate every row
        if valid and not self.used_rows():
            self.rows[0].add_error("image", NOTHING_CHOSEN)
            return False
        return valid

    def used_rows(self) -> list[PhotoForm]:
        return [row for row in self.rows if row.is_used]


class PhotoCaptureForm(PhotoForm):
    """One photo taken with the camera on the page (or chosen as a file): the file is needed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["view"].required = True
        self.fields["area"].required = True
        self.fields["image"].required = True
        self.fields["image"].label = "Photo"
        self.fields["image"].error_messages["required"] = (
            "Take the photo with the camera, or choose an image file."
        )
