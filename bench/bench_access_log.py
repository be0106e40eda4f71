"""What writing the access log adds to a page: the same pages with and without the log.

    .venv/bin/python bench/bench_access_log.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/exoclinic_bench_audit \\
        .venv/bin/python bench/bench_access_log.py

Without BENCH_DATABASE_URL it uses var/bench-audit.sqlite3. It migrates the database and loads
the demo clinic, then requests each page through Django's test client, alternating a request
with the log and one with ``audit.decorators._log`` switched off, and reports the medians and
the difference (server time, RUNS requests each), and the median time of the log's own work
(``_log``, timed alone: less disturbed by a busy machine than the difference of two pages).
On PostgreSQL a page with the log also commits a write; its cost is in "added", not "log alone".
"""

import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ["DEBUG"] = "1"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-audit.sqlite3'}"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

import audit.decorators  # noqa: E402
from clinic.models import User  # noqa: E402
from patients.models import Patient, Photo  # noqa: E402
from tests.helpers import mark_second_factor_passed  # noqa: E402
from treatments.models import TreatmentPlan, TreatmentSession  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 200))


def _pages() -> list[tuple[str, str]]:
    olivia = Patient.objects.get(user__email="patient@demo.clinic")
    plan = TreatmentPlan.objects.filter(patient=olivia).first()
    photo = Photo.objects.filter(patient=olivia).first()
    lot_id = TreatmentSession.objects.filter(lot__isnull=False).values_list("lot_id", flat=True)[0]
    return [
        ("chart (patient id in the URL)", reverse("patients:detail", args=[olivia.pk])),
        ("plan (one lookup of its patient)", reverse("treatments:plan_detail", args=[plan.pk])),
        ("photo thumbnail", reverse("patients:photo_thumb", args=[photo.pk])),
        ("lot recall (every patient, one insert)", reverse("treatments:lot_recall", args=[lot_id])),
    ]


def _time(client, url) -> float:
    start = time.perf_counter()
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    client = Client()
    derm = User.objects.get(email="derm@demo.clinic")
    client.force_login(derm)
    # Staff pages open only after the second step: mark it done, as a login would.
    mark_second_factor_passed(client, derm)
    print(f"{connection.vendor}, {RUNS} requests each, median server time")
    print(f"{'page':42} {'without log':>12} {'with log':>10} {'added':>8} {'log alone':>10}")
    real_log = audit.decorators._log
    alone: list[float] = []

    def timed_log(*args, **kwargs):
        start = time.perf_counter()
        real_log(*args, **kwargs)
        alone.append((time.perf_counter() - start) * 1000)

    for label, url in _pages():
        for _ in range(10):  # warm up
            _time(client, url)
        with_log, without_log = [], []
        alone.clear()
        for _ in range(RUNS):
            with mock.patch("audit.decorators._log", timed_log):
                with_log.append(_time(client, url))
            with mock.patch("audit.decorators._log"):
                without_log.append(_time(client, url))
        a, b = statistics.median(without_log), statistics.median(with_log)
        own = statistics.median(alone)
        print(f"{label:42} {a:10.2f}ms {b:8.2f}ms {b - a:6.2f}ms {own:8.2f}ms")


if __name__ == "__main__":
    main()
