"""The slot finder beside django-appointment's, on the same practitioner's four weeks.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/exo_bench_serve \\
        .venv/bin/python bench/bench_vs_django_appointment.py

From the calendar bench's clinic (bench/bench_calendar.py builds it on first use) it takes one
practitioner, their working hours and their bookings for the next four weeks. Our side: the slot
finder (``find_free_slots``) for a 15-minute review with that practitioner over those four weeks.
django-appointment's side: the same working hours and bookings in its own models, in its own
PostgreSQL database (``exo_bench_dja``, made if missing) and its own virtual environment under
var/bench/django-appointment/ (built here on first use: ``pip download`` of the pinned release
and its dependencies into wheels/, then installed from there), timed by
bench/django_appointment_side.py. Both in process, median of BENCH_RUNS runs, the same machine
one after the other; the load average is printed with the figures.

The two do not answer quite the same question: django-appointment knows no rooms or patients,
so ours also keeps the rooms that can host the review and the patient's own other bookings free.
"""

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/exo_bench_serve")

# Sets Django up on the bench database: before anything that needs the settings.
from bench import bench_calendar as base  # noqa: E402

# isort: split

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from clinic.models import AppointmentType, ClinicSettings, StaffProfile  # noqa: E402
from patients.models import Patient  # noqa: E402
from treatments.models import Appointment  # noqa: E402
from treatments.services.availability import find_free_slots  # noqa: E402

DJANGO_APPOINTMENT = "django-appointment==3.12.0"
PLACE = ROOT / "var" / "bench" / "django-appointment"
DATABASE = os.environ.get("BENCH_DJA_DATABASE", "exo_bench_dja")
RUNS = int(os.environ.get("BENCH_RUNS", 20))
DAYS = 28
STEP_MINUTES = 15


def their_venv() -> Path:
    python = PLACE / "venv" / "bin" / "python"
    if python.exists():
        return python
    wheels = PLACE / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    pip = [str(ROOT / ".venv" / "bin" / "python"), "-m", "pip"]
    print(f"Building django-appointment's environment in {PLACE}")
    subprocess.run(
        [*pip, "download", "--quiet", "-d", str(wheels), DJANGO_APPOINTMENT, "psycopg2-binary"],
        check=True,
    )
    subprocess.run([sys.executable, "-m", "venv", str(PLACE / "venv")], check=True)
    subprocess.run(
        [
            str(PLACE / "venv" / "bin" / "pip"),
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(wheels),
            DJANGO_APPOINTMENT,
            "psycopg2-binary",
        ],
        check=True,
    )
    return python


def make_database() -> None:
    made = subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], capture_output=True, text=True
    )
    if made.returncode and "already exists" not in made.stderr:
        raise SystemExit(made.stderr)


def main() -> None:
    call_command("migrate", verbosity=0)
    clinic = base.clinic_setup()
    base.fill_patients()
    base.fill_appointments(clinic)
    clinic = ClinicSettings.load()
    zone = clinic.zone
    today = timezone.localdate(timezone.now(), zone)
    first_day = today + dt.timedelta(days=1)  # whole days for both: none half in the past
    last_day = first_day + dt.timedelta(days=DAYS - 1)
    practitioner = StaffProfile.objects.get(user__email="bench-derm0@example.test")
    review = AppointmentType.objects.get(name="Bench review")
    patient = Patient.objects.order_by("pk")[base.N_PATIENTS // 2]
    window = (
        dt.datetime.combine(first_day, dt.time(0), tzinfo=zone),
        dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )
    bookings = [
        (
            timezone.localtime(s, zone).date().isoformat(),
            timezone.localtime(s, zone).time().isoformat(),
            timezone.localtime(e, zone).time().isoformat(),
        )
        for s, e in Appointment.objects.filter(
            practitioner=practitioner, starts_at__gte=window[0], starts_at__lt=window[1]
        )
        .exclude(status="cancelled")
        .values_list("starts_at", "ends_at")
    ]
    hours = {
        str(h.weekday): (h.starts.isoformat(), h.ends.isoformat())
        for h in practitioner.working_hours.all()
    }
    data = {
        "time_zone": clinic.time_zone,
        "working_hours": hours,
        "bookings": bookings,
        "first_day": first_day.isoformat(),
        "days": DAYS,
        "minutes": review.duration_minutes,
        "step_minutes": STEP_MINUTES,
        "runs": RUNS,
    }
    PLACE.mkdir(parents=True, exist_ok=True)
    (PLACE / "data.json").write_text(json.dumps(data))

    def ours():
        found, _ = find_free_slots(
            clinic=clinic,
            patient=patient,
            appointment_type=review,
            start_date=first_day,
            end_date=last_day,
            practitioner=practitioner,
        )
        return found

    found = ours()
    with CaptureQueriesContext(connection) as queries:
        ours()
    times = []
    load_before = os.getloadavg()
    for _ in range(RUNS):
        started = time.perf_counter()
        ours()
        times.append((time.perf_counter() - started) * 1000)
    our_median = statistics.median(times)

    python = their_venv()
    make_database()
    result = subprocess.run(
        [str(python), str(ROOT / "bench" / "django_appointment_side.py"), str(PLACE / "data.json"),
         DATABASE],
        capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    if result.returncode:
        raise SystemExit("django-appointment's side failed:\n" + result.stderr)
    theirs = json.loads(result.stdout.strip().splitlines()[-1])
    load_after = os.getloadavg()
    print(
        f"One practitioner, {DAYS} days from {first_day}, {len(bookings)} bookings, a "
        f"{review.duration_minutes}-minute review, {RUNS} runs each "
        f"(load average {load_before[0]:.1f} before, {load_after[0]:.1f} after, "
        f"{os.cpu_count()} CPUs)"
    )
    print(f"{'':28} {'median ms':>10} {'free slots':>11} {'queries':>8}")
    print(
        f"{'Exoclinic find_free_slots':28} {our_median:10.1f} {len(found):11} "
        f"{len(queries.captured_queries):8}"
    )
    print(
        f"{'django-appointment 3.12.0':28} {theirs['median_ms']:10.1f} {theirs['slots']:11} "
        f"{theirs['queries']:8}"
    )
    print(f"ratio: django-appointment takes {theirs['median_ms'] / our_median:.1f}x as long")


if __name__ == "__main__":
    main()
