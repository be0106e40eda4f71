"""Clinical photo files: check that an upload is an image, strip its metadata, make a thumbnail.

docs/clinical-rules.md §Skin assessment: photos are taken in standard views and "strip location
metadata on upload". Every stored photo is re-encoded from its pixels into a fresh JPEG, so no EXIF
(GPS, camera, time), XMP, ICC profile or comment of the original can survive.

Memory is bounded: a photo is decoded one at a time, scaled down while it is decoded (a JPEG is
decoded straight at 1/2, 1/4 or 1/8 of its size; other formats are reduced in place before any
other copy is made) to at most ``MAX_EDGE`` pixels on its long side, and an upload whose decoding
would need more than ``MEMORY_BUDGET`` is refused from its header's dimensions, before decoding.
"""

import io
import math
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import ExifTags, Image, UnidentifiedImageError

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 15 * MB
# Larger than any clinical camera needs; a bigger canvas is a decompression bomb.
MAX_PIXELS = 40_000_000
# Pillow's own guard against decompression bombs, for any code path that opens an image.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
#: The stored photo's long side: ample for comparing skin at follow-up (about 7 megapixels),
#: and small enough that a 40-megapixel JPEG decodes at half its size.
MAX_EDGE = 3000
#: What decoding one photo may hold at once; more is refused before decoding.
MEMORY_BUDGET = 300 * MB
THUMBNAIL_SIZE = 320
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})

NOT_AN_IMAGE = "This file is not an image (JPEG, PNG or WebP)."

# How a view reads in alt text: "Front view of face, 23 Nov 2026".
_VIEW_WORDS = {
    "front": "Front view",
    "left_45": "Left 45° view",
    "right_45": "Right 45° view",
    "left_90": "Left profile view",
    "right_90": "Right profile view",
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


#: Bytes per pixel of a decoded image, by Pillow mode (4 for anything wider).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "LA": 2, "PA": 2, "I;16": 2, "RGB": 4, "YCbCr": 4}


def stored_size(width: int, height: int) -> tuple[int, int]:
    """The stored photo's size: the original's, scaled down to ``MAX_EDGE`` on the long side."""
    scale = min(1.0, MAX_EDGE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def decoding_bytes(image_format: str, mode: str, width: int, height: int) -> int:
    """An upper bound of what processing an image of this header holds at its peak, in bytes.

    A JPEG is decoded at the smallest DCT scale (1, 1/2, 1/4, 1/8) still at least the stored
    size; other formats are decoded whole. Then, with the decoded image still held: a box
    reduction by a whole factor, and a two-pass resize (its intermediate is the stored width by
    the reduced height). Resizing or reducing pixels with transparency first makes a
    premultiplied copy at the size it starts from. Pillow keeps three-band pixels in four bytes.
    Afterwards at most three stored-size copies exist at once.
    """
    per_pixel = _BYTES_PER_PIXEL.get(mode, 4)
    out_w, out_h = stored_size(width, height)
    dw, dh = width, height
    if image_format == "JPEG":
        scale = 1
        while scale < 8 and math.ceil(width / (scale * 2)) >= out_w:
            scale *= 2
        dw, dh = math.ceil(width / scale), math.ceil(height / scale)
    decoded = dw * dh * per_pixel
    work = 0
    if (dw, dh) != (out_w, out_h):
        premultiplied = decoded if mode in ("RGBA", "LA", "PA") else 0
        factor = max(1, min(dw // out_w, dh // out_h))
        rw, rh = math.ceil(dw / factor), math.ceil(dh / factor)
        reduced = rw * rh * per_pixel if factor >= 2 else 0
        work = premultiplied + reduced + (out_w * rh + out_w * out_h) * per_pixel
    return max(decoded + work, 3 * out_w * out_h * 4)


def check_image(upload) -> None:
    """Refuse what is too big, not an image in an accepted format, too many pixels, or would
    need more memory than the budget to decode; only the header is read."""
    check_size(upload.size)
    upload.seek(0)
    try:
        # Past MAX_PIXELS Pillow warns (twice that, it refuses); this check gives the reason.
        with warnings.catch_warnings(action="ignore", category=Image.DecompressionBombWarning), \
                Image.open(upload) as probe:
            image_format = probe.format
            mode = probe.mode
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
    if decoding_bytes(image_format, mode, width, height) > MEMORY_BUDGET:
        raise ValidationError(
            f"This image ({width} × {height} pixels) would take more than "
            f"{MEMORY_BUDGET // MB} MB to process: save it smaller or as a JPEG.",
            code="too_much_memory",
        )


def _decode(upload) -> Image.Image:
    """A fresh RGB image of the upload's pixels, upright and at most ``MAX_EDGE`` on the long
    side, holding nothing of the original's info. Each intermediate copy is let go as soon as
    the next exists, so no more than two are ever held at once."""
    upload.seek(0)
    # Pillow closes the file of an image it closes; the upload stays open for its caller. A
    # BytesIO over the bytes read shares them rather than copying.
    with Image.open(io.BytesIO(upload.read())) as original:
        target = stored_size(*original.size)
        if original.format == "JPEG":
            original.draft("RGB", target)  # decoded at 1/2, 1/4 or 1/8 when that still fits
        original.load()
        orientation = original.getexif().get(ExifTags.Base.Orientation, 1)
        image = original
        if image.size != target:
            factor = min(image.width // target[0], image.height // target[1])
            if factor >= 2:  # a cheap box reduction first, so the resize works on less
                image = _step(image, image.reduce(factor))
            image = _step(image, image.resize(target, Image.Resampling.LANCZOS))
        if orientation in _TRANSPOSE:
            image = _step(image, image.transpose(_TRANSPOSE[orientation]))
        image = _step(image, _flatten(image))
        # A fresh image that holds only the pixels: nothing of the original's info can follow.
        clean = Image.new("RGB", image.size)
        clean.paste(image)
        image.close()
    return clean


def _step(previous: Image.Image, following: Image.Image) -> Image.Image:
    """``following``, with ``previous`` released unless it is the same image."""
    if following is not previous:
        previous.close()
    return following


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def process(upload) -> ProcessedPhoto:
    """The upload as a metadata-free JPEG and a thumbnail, upright as the camera meant it."""
    check_image(upload)
    try:
        clean = _decode(upload)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        # verify() passed but decoding failed: a truncated or corrupt file.
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    finally:
        upload.seek(0)
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
        rgba = image if image.mode == "RGBA" else image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _jpeg(image: Image.Image, *, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()
