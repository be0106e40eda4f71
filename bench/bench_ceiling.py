"""Each main page as a multiple of the cheapest page the same server can answer, ``/healthz``.

    createdb -h 127.0.0.1 -U postgres exo_bench_serve
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/exo_bench_serve \\
        .venv/bin/python bench/bench_ceiling.py

It uses the calendar bench's clinic (bench/bench_calendar.py builds it on first use: 10
practitioners, 50,000 patients, 500,000 appointments) and measures two ways, each page beside
``/healthz`` measured moments before it, so a busy machine slows both alike and the ratio holds.
``/healthz`` is asked as a load balancer asks it, without a session; "healthz, signed in" is the
same page with a staff session, the floor that every signed-in page pays before its own work.

1. Served: gunicorn (2 sync workers, production settings, on 127.0.0.1 only) under wrk (Debian's
   ``wrk``; 1 thread, 2 connections, BENCH_SECONDS per run, BENCH_ROUNDS rounds, each page right
   after a ``/healthz`` run). Every page request carries its signed-in person's cookies, and every
   request a browser's ``Accept-Encoding``. Reported: median
   latency as a multiple of ``/healthz``'s, and throughput as a fraction of it.
2. In process: Django's test client, the same pages and ``/healthz`` alternating, BENCH_RUNS each.

It also prints each page's size on the wire (plain, gzip, brotli as served) and what brotli's
quality levels cost on the week calendar. Bounded: wrk stops after its duration, the server is
stopped at the end.
"""

import datetime as dt
import gzip
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/exo_bench_serve")

# Sets Django up on the bench database: before anything that needs the settings.
from bench import bench_calendar as base  # noqa: E402

# isort: split

import brotli  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.measure import interleaved, parse_wrk, ratios  # noqa: E402
from clinic.models import AppointmentType, ClinicSettings, Role, StaffProfile, User  # noqa: E402
from patients.models import Patient  # noqa: E402
from tests.helpers import mark_second_factor_passed  # noqa: E402
from treatments.models import Appointment  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", 4))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
RUNS = int(os.environ.get("BENCH_RUNS", 20))
WORKERS = 2
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"
# The targets, as multiples of /healthz in the same run.
TARGETS = {"slot finder, 4 weeks": 15, "week calendar, everyone": 25, "patient search 'tho'": 10}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed_in(email: str, role: Role) -> Client:
    user, _ = User.objects.get_or_create(email=email)
    user.groups.add(Group.objects.get(name=role.value))
    client = Client()
    client.force_login(user)
    # Staff pages open only after the second step: mark it done, as a login would.
    mark_second_factor_passed(client, user)
    return client


def portal_patient() -> Client:
    """A patient with appointments behind them and ahead, signed in to the portal."""
    today = ClinicSettings.load().today()
    patient = Patient.objects.filter(appointments__starts_at__date__gt=today).order_by("pk").first()
    user, _ = User.objects.get_or_create(
        email="bench-portal@example.test",
        defaults={"first_name": patient.first_name, "last_name": patient.last_name},
    )
    user.groups.add(Group.objects.get(name=Role.PATIENT.value))
    Patient.objects.filter(user=user).exclude(pk=patient.pk).update(user=None)
    patient.user = user
    patient.save(update_fields=["user"])
    client = Client()
    client.force_login(user)
    return client


def pages() -> dict[str, tuple[str, Client]]:
    """Each page's address (with its query) and who opens it."""
    clinic = ClinicSettings.load()
    today = clinic.today()
    desk = signed_in("bench-desk@example.test", Role.FRONT_DESK)
    manager = signed_in("bench-manager@example.test", Role.MANAGER)
    patient = Patient.objects.order_by("pk")[base.N_PATIENTS // 2]
    review = AppointmentType.objects.get(name="Bench review")
    end = today + dt.timedelta(days=27)
    month_back = today - dt.timedelta(days=27)
    return {
        # The floor every signed-in page pays: session, user, second factor, session limits.
        "healthz, signed in": ("/healthz", desk),
        "slot finder, 4 weeks": (
            f"/treatments/patients/{patient.pk}/book/slots/"
            f"?type={review.pk}&start={today}&end={end}",
            desk,
        ),
        "day calendar": ("/treatments/calendar/day/", desk),
        "week calendar, everyone": ("/treatments/calendar/week/", desk),
        "week calendar, one practitioner": (
            "/treatments/calendar/week/?who="
            f"{StaffProfile.objects.get(user__email='bench-derm0@example.test').pk}",
            desk,
        ),
        "patient search 'tho'": ("/patients/?q=tho", desk),
        "portal home": ("/", portal_patient()),
        "attendance report, 4 weeks": (
            f"/treatments/reports/attendance/?start={month_back}&end={today}",
            manager,
        ),
    }


def cookie_header(client: Client) -> str:
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


def server_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=os.environ["BENCH_DATABASE_URL"],
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        PLAIN_STATIC="1",
        LOG_LEVEL="WARNING",
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    return env


def start_gunicorn(port: int, workers: int = WORKERS, env=None) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "clinic.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env or server_env(port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("gunicorn stopped at start-up") from None
            time.sleep(0.5)
    stop(process)
    raise SystemExit("gunicorn did not answer /healthz within a minute")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(port: int, url: str, cookies: str, encoding: str) -> tuple[int, int, str]:
    """Status, bytes on the wire and Content-Encoding of one request (redirects not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{url}",
        headers={"Cookie": cookies, "Accept-Encoding": encoding},
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            body = response.read()
            return response.status, len(body), response.headers.get("Content-Encoding", "")
    except urllib.error.HTTPError as error:
        return error.code, 0, ""


def wrk(port: int, url: str, cookies: str) -> str:
    result = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(WORKERS),
            "--duration",
            f"{SECONDS}s",
            "--timeout",
            "30s",
            "--latency",
            *(["--header", f"Cookie: {cookies}"] if cookies else []),
            "--header",
            f"Accept-Encoding: {BROWSER_ENCODINGS}",
            f"http://127.0.0.1:{port}{url}",
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 60,
        check=True,
    )
    return result.stdout


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def served(measured: dict[str, tuple[str, Client]]) -> None:
    port = free_port()
    server = start_gunicorn(port)
    try:
        cookies = {label: cookie_header(client) for label, (_, client) in measured.items()}
        print(f"\nSizes on the wire (KB), gunicorn on 127.0.0.1:{port}")
        print(f"{'page':34} {'plain':>7} {'gzip':>7} {'brotli':>7}")
        for label, (url, _) in measured.items():
            sizes = []
            for encoding in ("identity", "gzip", BROWSER_ENCODINGS):
                status, size, _ = fetch(port, url, cookies[label], encoding)
                if status != 200:
                    raise SystemExit(f"{label}: {url} answered {status}")
                sizes.append(size / 1024)
            print(f"{label:34} {sizes[0]:7.1f} {sizes[1]:7.1f} {sizes[2]:7.1f}")

        urls = {label: url for label, (url, _) in measured.items()}
        urls["healthz"] = "/healthz"
        cookies["healthz"] = ""  # as a load balancer asks: no session
        for label in urls:  # warm every worker's caches once
            wrk_once = wrk(port, urls[label], cookies[label])
            parse_wrk(wrk_once)
        order = interleaved(list(measured), ROUNDS)
        print(
            f"\nServed: gunicorn, {WORKERS} sync workers; wrk, 1 thread, {WORKERS} connections, "
            f"{SECONDS} s a run, {ROUNDS} rounds, each page just after /healthz "
            f"(load average before: {load()} on {os.cpu_count()} CPUs)"
        )
        runs = []
        for n, label in order:
            run = parse_wrk(wrk(port, urls[label], cookies[label]))
            if run.bad_status or run.socket_errors:
                raise SystemExit(
                    f"{label}: {run.bad_status} bad answers, {run.socket_errors} errors"
                )
            runs.append((n, label, run))
        health = [run for _, label, run in runs if label == "healthz"]
        print(
            f"{'/healthz':34} median {statistics.median(r.p50_ms for r in health):6.1f} ms, "
            f"{statistics.median(r.per_second for r in health):6.0f} requests/s"
        )
        print(
            f"{'page':34} {'p50 ms':>7} {'req/s':>7} {'x healthz':>10} {'throughput':>11} "
            f"{'target':>7}"
        )
        for ratio in ratios(runs):
            target = TARGETS.get(ratio.page)
            print(
                f"{ratio.page:34} {ratio.page_p50_ms:7.1f} {ratio.page_per_second:7.1f} "
                f"{ratio.latency:9.1f}x {'1/' + format(ratio.throughput, '.1f'):>11} "
                f"{(str(target) + 'x') if target else '':>7}"
            )
        print(f"load average after: {load()}")
    finally:
        stop(server)


def in_process(measured: dict[str, tuple[str, Client]]) -> None:
    health_client = Client()  # as a load balancer asks: no session

    def timed(client: Client, url: str) -> float:
        started = time.perf_counter()
        response = client.get(url, headers={"Accept-Encoding": BROWSER_ENCODINGS})
        took = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        return took

    print(
        f"\nIn process: Django's test client, {RUNS} runs of each page alternating with /healthz "
        f"(load average before: {load()})"
    )
    print(f"{'page':34} {'median ms':>10} {'/healthz ms':>12} {'x healthz':>10}")
    for label, (url, client) in measured.items():
        timed(client, url)
        page, health = [], []
        for _ in range(RUNS):
            health.append(timed(health_client, "/healthz"))
            page.append(timed(client, url))
        p, h = statistics.median(page), statistics.median(health)
        print(f"{label:34} {p:10.1f} {h:12.2f} {p / h:9.1f}x")


def brotli_levels(measured: dict[str, tuple[str, Client]]) -> None:
    url, client = measured["week calendar, everyone"]
    body = client.get(url).content
    print(f"\nCompressing the week calendar ({len(body) / 1024:.0f} KB) once, median of 5")

    def cost(fn) -> tuple[float, int]:
        times, size = [], 0
        for _ in range(5):
            started = time.perf_counter()
            size = len(fn())
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), size

    for label, fn in [
        ("gzip -6 (Django's)", lambda: gzip.compress(body, compresslevel=6)),
        *[
            (
                f"brotli quality {q}",
                lambda q=q: brotli.compress(body, mode=brotli.MODE_TEXT, quality=q),
            )
            for q in (1, 4, 5, 6, 9, 11)
        ],
    ]:
        ms, size = cost(fn)
        print(f"  {label:22} {ms:7.1f} ms {size / 1024:7.1f} KB")


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("bench_ceiling runs on PostgreSQL: set BENCH_DATABASE_URL.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    call_command("migrate", verbosity=0)
    clinic = base.clinic_setup()
    base.fill_patients()
    base.fill_appointments(clinic)
    print(
        f"Bench clinic: {Patient.objects.count():,} patients, "
        f"{Appointment.objects.count():,} appointments"
    )
    measured = pages()
    brotli_levels(measured)
    in_process(measured)
    served(measured)


if __name__ == "__main__":
    main()
