"""Clinical photo files: check that an upload is an image, strip its metadata, make a thumbnail.

docs/clinical-rules.md §Skin assessment: photos are taken in standard views and "strip location
metadata on upload". Every stored photo is re-encoded from its pixels into a fresh JPEG, so no EXIF
(GPS, camera, time), XMP, ICC profile or comment of the original can survive.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 15 * MB
# Larger than any clinical camera needs; a bigger canvas is a decompression bomb.
MAX_PIXELS = 40_000_000
THUMBNAIL_SIZE = 320
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})

NOT_AN_IMAGE = "This file is not an image (JPEG, PNG or WebP)."

# How a view reads in alt text: "Front view of face, 23 Nov 2026".
_VIEW_WORDS = {
    "front": "Front view",
    "left_45": "Left 45° view",
    "right_45": "Right 45° view",
    "close_up": "Close-up",
}


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def check_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This image is {size / MB:.1f} MB; the limit is {MAX_UPLOAD_BYTES // MB} MB.",
            code="too_large",
        )


def check_image(upload) -> None:
    """Refuse what is too big, not an image in an accepted format, or too many pixels."""
    check_size(upload.size)
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    finally:
        upload.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            f"This image is {width} × {height} pixels; the limit is "
            f"{MAX_PIXELS // 1_000_000} megapixels.",
            code="too_many_pixels",
        )


def process(upload) -> ProcessedPhoto:
    """The upload as a metadata-free JPEG and a thumbnail, upright as the camera meant it."""
    check_image(upload)
    try:
        with Image.open(upload) as original:
            original.load()
            upright = ImageOps.exif_transpose(original)
            pixels = _flatten(upright)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        # verify() passed but decoding failed: a truncated or corrupt file.
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    finally:
        upload.seek(0)
    # A fresh image that holds only the pixels: nothing of the original's info can follow.
    clean = Image.new("RGB", pixels.size)
    clean.paste(pixels)
    thumb = clean.copy()
    thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    return ProcessedPhoto(
        image=_jpeg(clean, quality=90),
        thumbnail=_jpeg(thumb, quality=85),
        width=clean.width,
        height=clean.height,
    )


def alt_text(photo) -> str:
    """What a screen reader says for a photo: "Front view of face, 23 Nov 2026"."""
    view = _VIEW_WORDS.get(photo.view, photo.get_view_display())
    day = photo.taken_on
    return f"{view} of {photo.get_area_display().lower()}, {day.day} {day:%b %Y}"


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency is laid on white, as it would print."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, *, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
