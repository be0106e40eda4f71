"""patients/photos.py: only real images get in, and none of their metadata is kept."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from patients.services import photos
from tests.patients.assessments.helpers import GPS_IFD, image_bytes, jpeg_with_gps, upload

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_png_becomes_a_jpeg_with_a_thumbnail():
    result = photos.process(upload(image_bytes("PNG", size=(1000, 800))))
    image, thumb = opened(result.image), opened(result.thumbnail)
    assert (image.format, image.size) == ("JPEG", (1000, 800))
    assert (result.width, result.height) == (1000, 800)
    assert (thumb.format, thumb.size) == ("JPEG", (320, 256))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(fmt):
    name = f"photo.{fmt.lower()}"
    result = photos.process(upload(image_bytes(fmt), name=name))
    assert opened(result.image).format == "JPEG"


def test_a_pdf_renamed_jpg_is_not_an_image():
    with pytest.raises(ValidationError) as refused:
        photos.process(upload(PDF, name="scan.jpg", content_type="image/jpeg"))
    assert refused.value.messages == ["This file is not an image (JPEG, PNG or WebP)."]


def test_a_gif_is_refused():
    with pytest.raises(ValidationError, match="not an image"):
        photos.check_image(upload(image_bytes("GIF"), name="photo.gif"))


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", size=(400, 300))
    with pytest.raises(ValidationError, match="not an image"):
        photos.process(upload(data[: len(data) // 2], name="photo.jpg"))


def test_a_50_mb_file_is_refused_by_its_size():
    big = upload(image_bytes())
    big.size = 50 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        photos.check_image(big)
    assert refused.value.messages == ["This image is 50.0 MB; the limit is 15 MB."]


def test_15_mb_is_still_allowed():
    assert photos.check_size(15 * 1024 * 1024) is None


def test_more_than_40_megapixels_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (7000, 6000)).save(buffer, format="PNG")  # 42 MP, a few KB
    with pytest.raises(ValidationError, match="limit is 40 megapixels"):
        photos.check_image(upload(buffer.getvalue()))


def test_gps_and_all_other_metadata_are_stripped():
    original = opened(jpeg_with_gps())
    assert original.getexif().get_ifd(GPS_IFD)  # the test image does carry a location

    result = photos.process(upload(jpeg_with_gps(), name="photo.jpg"))
    for data in (result.image, result.thumbnail):
        stored = opened(data)
        assert not stored.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(stored.info)
        assert b"Exif" not in data
        assert b"taken at home" not in data


def test_the_camera_orientation_is_applied_before_it_is_stripped():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    data = image_bytes("JPEG", size=(80, 40), exif=exif)
    result = photos.process(upload(data, name="photo.jpg"))
    assert (result.width, result.height) == (40, 80)


def test_transparency_is_laid_on_white():
    result = photos.process(upload(image_bytes("PNG", color=(0, 0, 0, 0))))
    assert opened(result.image).convert("RGB").getpixel((5, 5)) == (255, 255, 255)
