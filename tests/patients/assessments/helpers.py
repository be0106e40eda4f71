"""Builders shared by the assessment and photo tests: images made with Pillow, valid form data."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from clinic.lib.vocabulary import Concern
from patients.services import assessments as assessment_services
from tests.factories import AssessmentFactory, ConsentFactory, ConsentTextFactory, UserFactory

GPS_IFD = 0x8825


def image_bytes(fmt="PNG", size=(64, 48), color=(200, 120, 90), **save_kwargs) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" and len(color) == 4 else "RGB"
    Image.new(mode, size, color).save(buffer, format=fmt, **save_kwargs)
    return buffer.getvalue()


def upload(content: bytes, name="photo.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps() -> bytes:
    """A JPEG that says where it was taken (and by what camera), as phones write them."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (51.0, 30.0, 12.5)  # GPSLatitude
    gps[3] = "W"  # GPSLongitudeRef
    gps[4] = (0.0, 7.0, 39.0)  # GPSLongitude
    return image_bytes("JPEG", size=(80, 60), exif=exif, comment=b"taken at home")


def give_photo_consent(patient):
    return ConsentFactory(patient=patient, text=ConsentTextFactory(kind="photo"))


def make_photo(*, assessment=None, view="front", area="face"):
    """A stored photo (files written through the real service) of an assessment."""
    assessment = assessment or AssessmentFactory()
    give_photo_consent(assessment.patient)
    return assessment_services.photo_add(
        patient=assessment.patient,
        assessment=assessment,
        uploaded_by=UserFactory(role="dermatologist"),
        view=view,
        area=area,
        upload=upload(image_bytes()),
    )


MASI_INPUTS = {
    # region: (area, darkness, homogeneity)
    "forehead": (2, 2, 2),
    "right_malar": (3, 3, 2),
    "left_malar": (3, 2, 2),
    "chin": (1, 1, 1),
}
# 0.3*2*(2+2) + 0.3*3*(3+2) + 0.3*3*(2+2) + 0.1*1*(1+1) = 2.4 + 4.5 + 3.6 + 0.2
MASI_TOTAL = "10.7"


def masi_data(inputs=MASI_INPUTS) -> dict:
    data = {}
    for region, (area, darkness, homogeneity) in inputs.items():
        data[f"masi_{region}_area"] = str(area)
        data[f"masi_{region}_darkness"] = str(darkness)
        data[f"masi_{region}_homogeneity"] = str(homogeneity)
    return data


def assessment_data(**overrides) -> dict:
    """A complete, valid POST of the assessment form: Fitzpatrick V, melasma 3 on the face."""
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "fitzpatrick": "5",
        "skin_type": "combination",
        "goals": "I want the patches on my cheeks to fade.",
        "notes": "Symmetrical malar melasma.",
        "glogau": "2",
        "iga": "",
        **{f"severity_{concern.value}": "0" for concern in Concern},
        "severity_melasma": "3",
        "areas_melasma": ["face"],
        **masi_data(),
    }
    data.update(overrides)
    return data
