"""Processing photos stays within its memory budget: four 40-megapixel uploads, decoded one at a
time and scaled down while decoding, raise a process's peak memory by less than 300 MB (about
195 MB measured; the same four took about 770 MB before the decoding was bounded).

Pillow allocates pixels outside Python's allocator, so tracemalloc cannot see them: the peak
resident size (``ru_maxrss``) of a fresh process that does nothing else is measured instead.
"""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageDraw

from patients.services import photos
from tests.patients.assessments.helpers import upload

ROOT = Path(__file__).resolve().parents[3]
SIZE = (7300, 5470)  # 39.9 megapixels, under the 40-megapixel limit

CHILD = """
import io, json, resource, sys
from patients.services import photos

class Upload(io.BytesIO):
    size = 0

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

files = [open(path, "rb").read() for path in sys.argv[1:]]
before = peak_mb()
sizes = []
for data in files:
    upload = Upload(data)
    upload.size = len(data)
    result = photos.process(upload)
    sizes.append([result.width, result.height])
    del result, upload
print(json.dumps({"before": before, "after": peak_mb(), "sizes": sizes}))
"""


def _large(path: Path, fmt: str, mode: str) -> Path:
    image = Image.new(mode, SIZE, (180, 140, 120, 255)[: len(mode)])
    ImageDraw.Draw(image).ellipse((1500, 800, 5800, 4700), fill=(200, 160, 140, 255)[: len(mode)])
    image.save(path, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return path


def test_four_40_megapixel_photos_stay_under_300_mb(tmp_path):
    files = [
        _large(tmp_path / "front.jpg", "JPEG", "RGB"),
        _large(tmp_path / "left.jpg", "JPEG", "RGB"),
        _large(tmp_path / "right.png", "PNG", "RGB"),
        _large(tmp_path / "close.png", "PNG", "RGB"),
    ]
    assert all(path.stat().st_size <= photos.MAX_UPLOAD_BYTES for path in files)

    run = subprocess.run(  # noqa: S603 - this interpreter, our own script, our own files
        [sys.executable, "-c", CHILD, *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    measured = json.loads(run.stdout)

    grew = measured["after"] - measured["before"]
    assert grew < 300, f"processing four photos raised the peak by {grew:.0f} MB"
    # Each stored photo is scaled to 3000 pixels on its long side.
    assert measured["sizes"] == [[3000, 2248]] * 4


def test_an_image_that_would_pass_the_budget_is_refused_from_its_header(monkeypatch):
    buffer = io.BytesIO()
    Image.new("RGBA", (6000, 4000)).save(buffer, format="PNG")  # 24 MP, a few KB
    monkeypatch.setattr(photos, "MEMORY_BUDGET", 100 * photos.MB)
    with pytest.raises(ValidationError, match="would take more than 100 MB") as refused:
        photos.check_image(upload(buffer.getvalue()))
    assert refused.value.code == "too_much_memory"


def test_a_40_megapixel_png_with_transparency_is_refused_from_its_header():
    # Resizing pixels with transparency needs a premultiplied full-size copy: over 300 MB.
    buffer = io.BytesIO()
    Image.new("RGBA", SIZE).save(buffer, format="PNG")
    with pytest.raises(ValidationError, match="would take more than 300 MB"):
        photos.check_image(upload(buffer.getvalue()))


@pytest.mark.parametrize(
    ("fmt", "mode", "expected_mb"),
    [
        # Decoded at half scale (3650 × 2735) and resized: well under the budget.
        pytest.param("JPEG", "RGB", 95.1, id="jpeg decodes at half scale"),
        # Decoded whole, box-reduced by 2, resized.
        pytest.param("PNG", "RGB", 247.4, id="png decodes whole"),
        pytest.param("PNG", "RGBA", 399.8, id="png with transparency is over the budget"),
    ],
)
def test_the_estimate_for_40_megapixels(fmt, mode, expected_mb):
    assert photos.decoding_bytes(fmt, mode, *SIZE) / photos.MB == pytest.approx(expected_mb, 0.01)


def test_a_small_photo_keeps_its_size():
    assert photos.stored_size(1200, 900) == (1200, 900)
    assert photos.stored_size(8000, 2000) == (3000, 750)
