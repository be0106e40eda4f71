"""Several app servers and task workers on one PostgreSQL, under load, and nothing goes wrong.

    .venv/bin/python bench/scale/run.py

What it does, bounded in time and on 127.0.0.1 only:

1. A fresh database (SCALE_DATABASE, default ``exo_bench_scale``: dropped and made again) with
   the demo clinic (``seed_demo``), plus SCALE_DESK_SESSIONS signed-in desk sessions (second
   factor passed) and SCALE_PORTAL_SESSIONS patients signed in to the portal.
2. Three gunicorn instances (SCALE_INSTANCES, 2 sync workers each, production settings) and two
   ``manage.py db_worker`` task workers, all on that one database.
3. locust, from its own virtual environment under var/bench/scale/ (made on first use, locust
   pinned below), headless: SCALE_USERS concurrent people (200) for SCALE_SECONDS (60), ramping
   up at 20 a second: desk staff searching free times and booking them (racing each other for the
   first times of the same days), staff on the day and week calendars, patients in the portal.
4. Then, once the workers have sent what is due, it asserts and reports:
   - no two live appointments overlap for one practitioner, room (with turnover) or patient;
   - every appointment booked during the run has exactly one reminder per channel its patient
     chose, for its current time, each handed to the task queue exactly once, and its
     confirmation sent exactly once;
   - no answer was a 5xx, nor any other failure;
   - p50 and p95 latency per page, requests per second, the database's busy time per request
     (``pg_stat_database.active_time``) and the most connections it held.

Exit status 0 only when every assertion holds. The figures go to var/bench/scale/report.txt too.
"""

import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "var" / "bench" / "scale"
DATABASE = os.environ.get("SCALE_DATABASE", "exo_bench_scale")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
USERS = int(os.environ.get("SCALE_USERS", 200))
SECONDS = int(os.environ.get("SCALE_SECONDS", 60))
INSTANCES = int(os.environ.get("SCALE_INSTANCES", 3))
WEB_WORKERS = int(os.environ.get("SCALE_WEB_WORKERS", 2))
TASK_WORKERS = int(os.environ.get("SCALE_TASK_WORKERS", 2))
DESK_SESSIONS = int(os.environ.get("SCALE_DESK_SESSIONS", 60))
PORTAL_SESSIONS = int(os.environ.get("SCALE_PORTAL_SESSIONS", 40))
BASE_PORT = int(os.environ.get("SCALE_BASE_PORT", 18_600))
LOCUST_VERSION = "2.47.0"
PYTHON = ROOT / ".venv" / "bin" / "python"

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "PLAIN_STATIC": "1",
    "LOG_LEVEL": "WARNING",
    "SITE_URL": f"http://127.0.0.1:{BASE_PORT}",
    "DJANGO_SETTINGS_MODULE": "clinic.settings",
}


def step(text: str) -> None:
    print(f"== {text} (load average {' '.join(f'{x:.1f}' for x in os.getloadavg())})", flush=True)


def run(*command, env=None, **kwargs) -> None:
    subprocess.run(command, check=True, cwd=ROOT, env=env or ENV, **kwargs)


def locust_venv() -> Path:
    venv = OUT / "locust-venv"
    locust = venv / "bin" / "locust"
    if not locust.exists():
        step(f"locust {LOCUST_VERSION} in its own virtual environment")
        run(sys.executable, "-m", "venv", str(venv))
        run(str(venv / "bin" / "pip"), "install", "--quiet", f"locust=={LOCUST_VERSION}")
    return locust


def fresh_database() -> None:
    step(f"a fresh database {DATABASE} with the demo clinic")
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    run("dropdb", *pg, "--if-exists", "--force", DATABASE)
    run("createdb", *pg, DATABASE)
    run(str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0")
    run(str(PYTHON), "manage.py", "seed_demo", env={**ENV, "DEBUG": "1"}, stdout=subprocess.DEVNULL)


def django_setup():
    os.environ.update(ENV)
    import django

    django.setup()


def make_plan() -> dict:
    """Signed-in sessions, the patients to book for, the type and the days, for locust."""
    from django.contrib.auth.models import Group
    from django.test import Client

    from clinic.models import AppointmentType, ClinicSettings, Role, User
    from patients.models import Patient
    from tests.helpers import mark_second_factor_passed

    def session(user) -> str:
        client = Client()
        client.force_login(user)
        mark_second_factor_passed(client, user)
        return client.cookies["sessionid"].value

    desk_group = Group.objects.get(name=Role.FRONT_DESK.value)
    desk = []
    for n in range(DESK_SESSIONS // 6 or 1):  # a few people, each signed in on several desks
        user, _ = User.objects.get_or_create(
            email=f"scale-desk{n}@example.test", defaults={"first_name": "Desk", "last_name": n}
        )
        user.groups.add(desk_group)
        desk += [session(user) for _ in range(6)]
    patient_group = Group.objects.get(name=Role.PATIENT.value)
    portal = []
    for n, patient in enumerate(Patient.objects.filter(user__isnull=True).order_by("pk")):
        if n == PORTAL_SESSIONS:
            break
        user = User.objects.create(
            email=f"scale-patient{n}@example.test",
            first_name=patient.first_name,
            last_name=patient.last_name,
        )
        user.groups.add(patient_group)
        patient.user = user
        patient.save(update_fields=["user"])
        portal.append(session(user))
    today = ClinicSettings.load().today()
    # Three days to a fortnight ahead: the reminders (48 hours before) are all still to come.
    days = [today + dt.timedelta(days=d) for d in range(3, 15)]
    consultation = AppointmentType.objects.filter(kind="consultation", active=True).first()
    patients = list(
        Patient.objects.filter(archived_at__isnull=True, merged_into__isnull=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    return {
        "servers": [f"http://127.0.0.1:{BASE_PORT + n}" for n in range(INSTANCES)],
        "sessions": {"desk": desk, "portal": portal},
        "patients": patients,
        "type": consultation.pk,
        "days": [d.isoformat() for d in days],
    }


class Processes:
    """The servers and workers, each in its own process group, all stopped at the end."""

    def __init__(self):
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, *command) -> None:
        log = open(OUT / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command, cwd=ROOT, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.running.append((name, process))

    def stop(self) -> None:
        for _, process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _, process in self.running:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def dead(self) -> list[str]:
        return [name for name, process in self.running if process.poll() is not None]


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own http://127.0.0.1)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def database_stats() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit, active_time, tup_returned, tup_fetched FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        commits, active_ms, returned, fetched = cursor.fetchone()
    return {"commits": commits, "active_ms": active_ms, "returned": returned, "fetched": fetched}


def watch_connections(stop: threading.Event, seen: list[int]) -> None:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname=DATABASE)
    conn.autocommit = True
    with conn.cursor() as cursor:
        while not stop.wait(1):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [DATABASE])
            seen.append(cursor.fetchone()[0])
    conn.close()


def check_no_double_booking() -> list[str]:
    from bench.measure import overlapping
    from treatments.models import Appointment

    live = list(
        Appointment.objects.exclude(status="cancelled").values_list(
            "practitioner_id", "room_id", "patient_id", "starts_at", "ends_at", "room_free_at"
        )
    )
    problems = []
    for label, rows in [
        ("practitioner", [(p, s, e) for p, _, _, s, e, _ in live]),
        ("room", [(r, s, f) for _, r, _, s, _, f in live]),
        ("patient", [(pt, s, e) for _, _, pt, s, e, _ in live]),
    ]:
        for a, b in overlapping(rows):
            problems.append(f"double booking of a {label}: {a} and {b}")
    return problems


def check_messages(started: dt.datetime) -> tuple[int, list[str]]:
    """Every appointment booked during the run: one reminder per chosen channel, queued once."""
    from django_tasks_db.models import DBTaskResult

    from treatments.models import Appointment, MessageKind, OutboundMessage
    from treatments.services.contact import chosen_channels
    from treatments.services.messaging import reminder_time

    booked = list(
        Appointment.objects.filter(
            created_at__gte=started, created_by__email__startswith="scale-desk"
        ).select_related("patient")
    )
    tasks: dict[int, int] = {}
    for args in DBTaskResult.objects.filter(
        task_path="treatments.services.messaging.send_message", enqueued_at__gte=started
    ).values_list("args_kwargs", flat=True):
        message_id = args["args"][0]
        tasks[message_id] = tasks.get(message_id, 0) + 1
    problems = []
    for appointment in booked:
        messages = list(
            OutboundMessage.objects.filter(appointment=appointment).values(
                "pk", "kind", "channel", "schedule_version", "status", "attempts"
            )
        )
        reminders = [m for m in messages if m["kind"] == MessageKind.REMINDER]
        expected = (
            sorted(chosen_channels(appointment.patient, MessageKind.REMINDER))
            if reminder_time(appointment.starts_at) > appointment.created_at
            else []
        )
        if sorted(m["channel"] for m in reminders) != expected:
            problems.append(f"appointment {appointment.pk}: reminders {reminders}, not {expected}")
        for message in messages:
            if tasks.get(message["pk"], 0) != 1:
                problems.append(
                    f"message {message['pk']} ({message['kind']}) handed to the queue "
                    f"{tasks.get(message['pk'], 0)} times"
                )
            if message["kind"] == MessageKind.CONFIRMATION and (
                message["status"] != "sent" or message["attempts"] != 1
            ):
                problems.append(f"confirmation {message['pk']}: {message}")
    return len(booked), problems


def wait_for_confirmations(started: dt.datetime, seconds: int = 120) -> None:
    from treatments.models import MessageKind, OutboundMessage

    deadline = time.monotonic() + seconds
    pending = None
    while time.monotonic() < deadline:
        pending = (
            OutboundMessage.objects.filter(kind=MessageKind.CONFIRMATION, created_at__gte=started)
            .exclude(status__in=["sent", "skipped", "failed"])
            .count()
        )
        if not pending:
            return
        time.sleep(2)
    print(f"  {pending} confirmations still unsent after {seconds} s")


def main() -> int:
    began = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    locust = locust_venv()
    fresh_database()
    django_setup()
    from django.db import close_old_connections
    from django.utils import timezone

    from bench.measure import parse_locust_stats

    plan = make_plan()
    (OUT / "plan.json").write_text(json.dumps(plan))
    close_old_connections()
    processes = Processes()
    stop_watching = threading.Event()
    connections: list[int] = []
    try:
        step(f"{INSTANCES} gunicorn instances ({WEB_WORKERS} workers each), {TASK_WORKERS} workers")
        for n in range(INSTANCES):
            processes.start(
                f"gunicorn-{n}",
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "clinic.wsgi",
                "--bind",
                f"127.0.0.1:{BASE_PORT + n}",
                "--workers",
                str(WEB_WORKERS),
                "--timeout",
                "120",
            )
        for n in range(TASK_WORKERS):
            processes.start(f"db_worker-{n}", str(PYTHON), "manage.py", "db_worker")
        for server in plan["servers"]:
            wait_for(server + "/healthz")
        before = database_stats()
        started = timezone.now()
        watcher = threading.Thread(target=watch_connections, args=(stop_watching, connections))
        watcher.start()
        step(f"locust: {USERS} people for {SECONDS} s")
        subprocess.run(
            [
                str(locust),
                "--locustfile",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                "20",
                "--run-time",
                f"{SECONDS}s",
                "--stop-timeout",
                "30",
                "--csv",
                str(OUT / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "SCALE_PLAN": str(OUT / "plan.json"),
                "SCALE_OUTCOMES": str(OUT / "outcomes.json"),
            },
            timeout=SECONDS + 120,
            check=False,
            stdout=open(OUT / "locust.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        load_after = os.getloadavg()
        after = database_stats()
        step("waiting for the workers to send what is due")
        wait_for_confirmations(started)
        dead = processes.dead()
    finally:
        stop_watching.set()
        processes.stop()

    rows = parse_locust_stats((OUT / "locust_stats.csv").read_text())
    failures_csv = (OUT / "locust_failures.csv").read_text().splitlines()[1:]
    five_xx = sum(int(line.rsplit(",", 1)[1]) for line in failures_csv if ",5xx: " in line)
    outcomes = json.loads((OUT / "outcomes.json").read_text())
    total = next(r for r in rows if r.name == "all")
    booked, message_problems = check_messages(started)
    problems = check_no_double_booking() + message_problems
    if dead:
        problems.append(f"stopped during the run: {', '.join(dead)}")
    if five_xx:
        problems.append(f"{five_xx} answers were 5xx")
    if total.failures:
        problems.append(
            f"{total.failures} requests failed: see var/bench/scale/locust_failures.csv"
        )
    server_errors = sum(
        (OUT / f"gunicorn-{n}.log").read_text().count("Internal Server Error")
        for n in range(INSTANCES)
    )
    if server_errors:
        problems.append(f"{server_errors} errors in the gunicorn logs")
    active = after["active_ms"] - before["active_ms"]
    requests = total.requests
    lines = [
        f"{INSTANCES} gunicorn x {WEB_WORKERS} sync workers, {TASK_WORKERS} db_workers, "
        f"one PostgreSQL; {USERS} people for {SECONDS} s on {os.cpu_count()} CPUs "
        f"(load average at the end {' '.join(f'{x:.1f}' for x in load_after)})",
        f"{'page':28} {'requests':>9} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7}",
        *(
            f"{r.name:28} {r.requests:9} {r.failures:7} {r.p50_ms:8.0f} {r.p95_ms:8.0f} "
            f"{r.per_second:7.1f}"
            for r in rows
        ),
        f"bookings: {outcomes['booked']} made, {outcomes['taken']} refused as just taken; "
        f"{booked} in the database",
        f"database: {active / max(requests, 1):.1f} ms busy per request "
        f"({active / 1000:.1f} s over {requests} requests, "
        f"{after['commits'] - before['commits']} commits), "
        f"at most {max(connections, default=0)} connections",
        f"the whole run took {time.monotonic() - began:.0f} s, the database made afresh",
        "problems: " + ("none" if not problems else ""),
        *(f"  {p}" for p in problems[:50]),
    ]
    report = "\n".join(lines)
    (OUT / "report.txt").write_text(report + "\n")
    print(report)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
