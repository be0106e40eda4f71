"""How fast the slot finder and the calendar pages answer in a busy clinic ("Speed").

    createdb -h 127.0.0.1 -U postgres exoclinic_bench_calendar
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/exoclinic_bench_calendar \\
        .venv/bin/python bench/bench_calendar.py

Without BENCH_DATABASE_URL it uses var/bench_calendar.sqlite3. It migrates that database and fills
it once (kept for later runs): 10 practitioners, 8 rooms, 50,000 patients and 500,000 appointments
over five years (four years back, one ahead), made with bulk_create. The appointments are real
bookings, never overlapping: the clinic is open 07:00-21:00 every day, five practitioners work
07:00-19:00 and five 09:00-21:00, and each day is filled quarter hour by quarter hour with
15-minute reviews and 30-minute consultations and topical sessions, each in a free room that can
host it, each patient at most once a day, with a few gaps left free, until the day holds its share
of the 500,000 (about 274). That is about 27 appointments per practitioner per day. Past days are
mostly completed, with no-shows and cancellations; future days are booked.

Then it measures, with production settings (DEBUG off: cached templates, no query log):

- the slot finder, ``treatments.services.scheduling.find_free_slots``, over four weeks from
  today for a patient, for a 15-minute review and for a 75-minute microneedling session (+20
  minutes of
  turnover): median and 95th percentile of 50 runs;
- the calendar pages through Django's test client as a front-desk user (server time: middleware,
  queries, layout and templates): the day by practitioner and by room, the week of everyone and
  the week of one practitioner: median and 95th percentile of 30 runs;

and prints the number of queries of each, which does not depend on the amount of data
(tests/treatments/calendar assert it). BENCH_APPOINTMENTS and BENCH_PATIENTS make a smaller
clinic for a quick run.
"""

import datetime as dt
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
# Production settings, with what a local test client needs: no TLS redirect, plain static URLs.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["SESSION_COOKIE_SECURE"] = "0"
os.environ["CSRF_COOKIE_SECURE"] = "0"
os.environ["PLAIN_STATIC"] = "1"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_calendar.sqlite3'}"
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.ceiling import interleaved  # noqa: E402
from bench.names import FIRST, LAST  # noqa: E402
from clinic.models import (  # noqa: E402
    AppointmentType,
    ClinicSettings,
    OpeningHours,
    Role,
    Room,
    StaffProfile,
    User,
    WorkingHours,
)
from patients.models import Patient, name_key  # noqa: E402
from tests.helpers import mark_second_factor_passed  # noqa: E402
from treatments.models import Appointment  # noqa: E402
from treatments.services.scheduling import find_free_slots  # noqa: E402

N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", 50_000))
N_APPOINTMENTS = int(os.environ.get("BENCH_APPOINTMENTS", 500_000))
N_PRACTITIONERS = 10
DAYS_BACK = 4 * 365 + 1  # with one year ahead: five years, 1,826 days
DAYS_AHEAD = 365
FINDER_RUNS = 50
PAGE_RUNS = 30
OPENS, CLOSES = dt.time(7), dt.time(21)
SHIFTS = [(dt.time(7), dt.time(19)), (dt.time(9), dt.time(21))]
QUARTER = dt.timedelta(minutes=15)
BATCH = 5000

ROOMS = [
    ("Bench consultation 1", "consultation", []),
    ("Bench consultation 2", "consultation", []),
    ("Bench consultation 3", "consultation", []),
    *[
        (
            f"Bench treatment {n}",
            "procedure",
            ["topical", "transdermal", "microneedling", "laser_assisted"],
        )
        for n in range(1, 6)
    ],
]
# name, kind, route, minutes, turnover minutes, share of the generated appointments
TYPES = [
    ("Bench review", "follow_up", "", 15, 0, 0.55),
    ("Bench consultation", "consultation", "", 30, 0, 0.2),
    ("Topical exosome session", "treatment", "topical", 30, 0, 0.25),
]
MICRONEEDLING = ("Microneedling with exosomes", "treatment", "microneedling", 75, 20)


def clinic_setup() -> ClinicSettings:
    clinic = ClinicSettings.load()
    clinic.name, clinic.time_zone = "Bench clinic", "Europe/London"
    clinic.save()
    for weekday in range(7):
        OpeningHours.objects.update_or_create(
            clinic=clinic, weekday=weekday, defaults={"opens": OPENS, "closes": CLOSES}
        )
    derm = Group.objects.get(name=Role.DERMATOLOGIST.value)
    for n in range(N_PRACTITIONERS):
        user, created = User.objects.get_or_create(
            email=f"bench-derm{n}@example.test",
            defaults={"first_name": FIRST[n], "last_name": f"Bench{n}"},
        )
        if created:
            user.groups.add(derm)
        staff, _ = StaffProfile.objects.get_or_create(
            user=user, defaults={"title": "Dr", "is_practitioner": True}
        )
        if not staff.working_hours.exists():
            starts, ends = SHIFTS[n % 2]
            WorkingHours.objects.bulk_create(
                WorkingHours(staff=staff, weekday=d, starts=starts, ends=ends) for d in range(7)
            )
    for name, kind, routes in ROOMS:
        Room.objects.get_or_create(name=name, defaults={"kind": kind, "routes": routes})
    for name, kind, route, minutes, buffer, *_ in [*TYPES, MICRONEEDLING]:
        AppointmentType.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "route": route,
                "duration_minutes": minutes,
                "buffer_minutes": buffer,
            },
        )
    return clinic


def fill_patients() -> None:
    have = Patient.objects.count()
    if have >= N_PATIENTS:
        return
    rng = random.Random(42)
    batch = []
    for i in range(have, N_PATIENTS):
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)}{'' if i % 7 else rng.randint(1, 999)}"
        batch.append(
            Patient(
                first_name=first,
                last_name=last,
                first_name_key=name_key(first),
                last_name_key=name_key(last),
                date_of_birth=dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 30000)),
                sex="female",
                email=f"cal{i}@bench.example",
                mobile=f"+447700{i:06d}",
            )
        )
        if len(batch) == BATCH:
            Patient.objects.bulk_create(batch)
            batch = []
    Patient.objects.bulk_create(batch)


def _status(rng, day: dt.date, today: dt.date) -> str:
    roll = rng.random()
    if day < today:
        return "completed" if roll < 0.85 else "no_show" if roll < 0.9 else "cancelled"
    if day == today:
        return "checked_in" if roll < 0.3 else "booked"
    return "booked" if roll < 0.95 else "cancelled"


def fill_appointments(clinic: ClinicSettings) -> None:
    """Five years of non-overlapping bookings, day by day, quarter hour by quarter hour."""
    if Appointment.objects.count() == N_APPOINTMENTS:
        return
    # Start again from nothing (a run stopped half-way). No per-row delete: the history of
    # half a million deletions is not what the bench measures.
    tables = [Appointment._meta.db_table, Appointment.history.model._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table} CASCADE")
            else:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)
    tz = clinic.zone
    rng = random.Random(7)
    today = timezone.localdate(timezone.now(), tz)
    first_day = today - dt.timedelta(days=DAYS_BACK)
    days = DAYS_BACK + DAYS_AHEAD
    staff = list(StaffProfile.objects.filter(user__email__startswith="bench-derm").order_by("pk"))
    shift_of = {member.pk: SHIFTS[n % 2] for n, member in enumerate(staff)}
    rooms = list(Room.objects.filter(name__startswith="Bench").order_by("name"))
    kinds = [(AppointmentType.objects.get(name=t[0]), t[5]) for t in TYPES]
    patient_ids = list(Patient.objects.values_list("pk", flat=True))
    quarters = (CLOSES.hour - OPENS.hour) * 4

    def quarter_of(value: dt.time) -> int:
        return (value.hour - OPENS.hour) * 4 + value.minute // 15

    made = 0
    batch: list[Appointment] = []
    start = time.perf_counter()
    for n in range(days):
        day = first_day + dt.timedelta(days=n)
        # Each day's share; what a full day could not take goes to the next.
        quota = N_APPOINTMENTS * (n + 1) // days - made
        patients = iter(rng.sample(patient_ids, quota))
        staff_free = {member.pk: quarter_of(shift_of[member.pk][0]) for member in staff}
        staff_end = {member.pk: quarter_of(shift_of[member.pk][1]) for member in staff}
        room_busy = {room.pk: bytearray(quarters) for room in rooms}
        placed = 0
        for q in range(quarters):
            order = staff[:]
            rng.shuffle(order)
            for member in order:
                if placed == quota or staff_free[member.pk] > q or q >= staff_end[member.pk]:
                    continue
                if rng.random() < 0.03:  # a gap: a practitioner's day is not wall to wall
                    staff_free[member.pk] = q + 1
                    continue
                kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
                length = kind.duration_minutes // 15
                if q + length > staff_end[member.pk]:
                    continue
                room = next(
                    (
                        r
                        for r in rng.sample(rooms, len(rooms))
                        if r.hosts(kind.route or None)
                        and (kind.route == "" or r.kind == "procedure")
                        and not any(room_busy[r.pk][q : q + length])
                    ),
                    None,
                )
                if room is None:
                    continue
                room_busy[room.pk][q : q + length] = b"\x01" * length
                staff_free[member.pk] = q + length
                starts_at = dt.datetime.combine(day, OPENS, tzinfo=tz) + q * QUARTER
                ends_at = starts_at + dt.timedelta(minutes=kind.duration_minutes)
                batch.append(
                    Appointment(
                        patient_id=next(patients),
                        appointment_type=kind,
                        practitioner=member,
                        room=room,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        room_free_at=ends_at,
                        status=_status(rng, day, today),
                    )
                )
                placed += 1
        made += placed
        if len(batch) >= BATCH:
            with transaction.atomic():
                Appointment.objects.bulk_create(batch)
            batch = []
            if n % 100 == 0:
                print(f"  {day}: {made:,} appointments ({time.perf_counter() - start:.0f} s)")
    with transaction.atomic():
        Appointment.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE treatments_appointment")
            cursor.execute("ANALYZE patients_patient")
    print(f"  {made:,} appointments placed in {time.perf_counter() - start:.0f} s")


def summary(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(int(len(times) * 0.95) - 1, 0)]


def queries_of(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def current_find_free_slots(*, clinic, patient, appointment_type, start_date, end_date, now):
    """The slot finder as it was before busy time was merged in the database and cached: every
    holding appointment of the window turned into datetimes and merged in Python. The bench
    asserts that today's finder gives exactly its answers."""
    from collections import defaultdict

    from django.db.models import Q

    from clinic.lib import slots
    from clinic.models import TimeOff
    from treatments.services.availability import LONGEST_HOLD, finder_kind

    tz = clinic.zone
    start = dt.datetime.combine(start_date, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    spans = defaultdict(list)
    for day in clinic.opening_hours.all():
        if not day.closed:
            spans[day.weekday].append((day.opens, day.closes))
    staff = {s.pk: s for s in StaffProfile.objects.bookable().prefetch_related("working_hours")}
    rooms = {r.pk: r for r in Room.objects.filter(active=True)}
    busy = defaultdict(list)
    for staff_id, starts_at, ends_at in TimeOff.objects.filter(
        staff__in=staff.keys(), starts_at__lt=end, ends_at__gt=start
    ).values_list("staff_id", "starts_at", "ends_at"):
        busy["staff", staff_id].append((starts_at, ends_at))
    rows = (
        Appointment.objects.holding()
        .filter(starts_at__lt=end, room_free_at__gt=start, starts_at__gte=start - LONGEST_HOLD)
        .filter(Q(practitioner__in=staff.keys()) | Q(room__in=rooms.keys()) | Q(patient=patient))
        .values_list(
            "starts_at", "ends_at", "room_free_at", "practitioner_id", "room_id", "patient_id"
        )
    )
    for starts_at, ends_at, room_free_at, practitioner_id, room_id, patient_id in rows:
        busy["staff", practitioner_id].append((starts_at, ends_at))
        busy["room", room_id].append((starts_at, room_free_at))
        if patient_id == patient.pk:
            busy["patient", 0].append((starts_at, ends_at))
    practitioners = []
    for pk, member in staff.items():
        hours = defaultdict(list)
        for span in member.working_hours.all():
            hours[span.weekday].append((span.starts, span.ends))
        practitioners.append(
            slots.Practitioner(
                id=pk,
                hours=slots.WeeklyHours.of(hours),
                busy=slots.Busy.of_pairs(busy["staff", pk]),
            )
        )
    finder_rooms = [
        slots.Room(
            id=pk,
            kind=room.kind,
            routes=frozenset(room.routes),
            busy=slots.Busy.of_pairs(busy["room", pk]),
        )
        for pk, room in rooms.items()
    ]
    return slots.find_slots(
        tz=tz,
        start_date=start_date,
        end_date=end_date,
        clinic_hours=slots.WeeklyHours.of(spans),
        practitioners=practitioners,
        rooms=finder_rooms,
        patient_busy=slots.Busy.of_pairs(busy["patient", 0]),
        kind=finder_kind(appointment_type),
        not_before=now,
    )


def bench_finder(clinic: ClinicSettings, client: Client) -> None:
    today = timezone.localdate(timezone.now(), clinic.zone)
    patient = Patient.objects.order_by("pk")[N_PATIENTS // 2]
    first = StaffProfile.objects.filter(user__email="bench-derm0@example.test").get()
    print(f"\nSlot finder, four weeks from {today} ({FINDER_RUNS} runs each)")
    print(
        f"{'search':52} {'median ms':>10} {'p95 ms':>8} {'x healthz':>9} "
        f"{'queries':>8} {'slots':>7}"
    )
    busy_cache = caches["busy"]
    for name in ("Bench review", MICRONEEDLING[0]):
        kind = AppointmentType.objects.get(name=name)
        window = {
            "start_date": today,
            "end_date": today + dt.timedelta(days=27),
            "now": timezone.now(),
        }
        before = current_find_free_slots(
            clinic=clinic, patient=patient, appointment_type=kind, **window
        )
        for who, practitioner in (("everyone", None), ("one practitioner", first)):
            for cached in (False, True):

                def search(kind=kind, practitioner=practitioner, cached=cached, window=window):
                    if not cached:
                        busy_cache.clear()
                    return find_free_slots(
                        clinic=clinic,
                        patient=patient,
                        appointment_type=kind,
                        practitioner=practitioner,
                        **window,
                    )[0]

                found = search()
                expected = [
                    s for s in before if practitioner is None or first.pk in s.practitioner_ids
                ]
                if practitioner is not None:
                    expected = [(s.start, s.end, (first.pk,), s.room_ids) for s in expected]
                    got = [(s.start, s.end, s.practitioner_ids, s.room_ids) for s in found]
                else:
                    got = found
                if got != expected:
                    raise SystemExit(f"{name}, {who}: not the answers of the current finder")
                queries = queries_of(search)
                times, ceiling = interleaved(search, client, FINDER_RUNS)
                median, p95 = summary(times)
                label = (
                    f"{name} ({kind.duration_minutes} min), {who}, {'cached' if cached else 'cold'}"
                )
                print(
                    f"{label:52} {median:10.1f} {p95:8.1f} {median / ceiling:9.1f} "
                    f"{queries:8} {len(found):7}"
                )
        times, ceiling = interleaved(
            lambda kind=kind, window=window: current_find_free_slots(
                clinic=clinic, patient=patient, appointment_type=kind, **window
            ),
            client,
            FINDER_RUNS,
        )
        median, p95 = summary(times)
        label = f"{name}, everyone, as it was (all rows)"
        print(
            f"{label:52} {median:10.1f} {p95:8.1f} {median / ceiling:9.1f} {'':8} {len(before):7}"
        )
    print("Same answers as the finder as it was: yes")


def desk_client() -> Client:
    desk, _ = User.objects.get_or_create(email="bench-desk@example.test")
    desk.groups.add(Group.objects.get(name=Role.FRONT_DESK.value))
    client = Client()
    client.force_login(desk)
    # Staff pages open only after the second step: mark it done, as a login would.
    mark_second_factor_passed(client, desk)
    return client


def bench_pages(clinic: ClinicSettings, client: Client) -> None:
    today = timezone.localdate(timezone.now(), clinic.zone)
    first = StaffProfile.objects.filter(user__email="bench-derm0@example.test").get()
    pages = {
        "day, by practitioner": ("/treatments/calendar/day/", {}),
        "day, by room": ("/treatments/calendar/day/", {"by": "room"}),
        "week, every practitioner": ("/treatments/calendar/week/", {}),
        "week, one practitioner": ("/treatments/calendar/week/", {"who": first.pk}),
        "day, htmx swap (next day)": (
            "/treatments/calendar/day/",
            {"date": (today + dt.timedelta(days=1)).isoformat(), "htmx": True},
        ),
    }
    print(f"\nCalendar pages for {today} ({PAGE_RUNS} runs each, server time)")
    print(
        f"{'page':30} {'median ms':>10} {'p95 ms':>8} {'x healthz':>9} {'queries':>8} "
        f"{'shown':>6} {'KB':>6}"
    )
    for label, (url, params) in pages.items():
        params = dict(params)
        headers = {"HX-Request": "true"} if params.pop("htmx", False) else {}

        def get(url=url, params=params, headers=headers):
            response = client.get(url, params, headers=headers)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            return response

        response = get()
        shown = re.search(r"(\d+) appointments?</span>", response.content.decode())
        queries = queries_of(get)
        times, ceiling = interleaved(get, client, PAGE_RUNS)
        median, p95 = summary(times)
        size = len(response.content) / 1024
        print(
            f"{label:30} {median:10.1f} {p95:8.1f} {median / ceiling:9.1f} {queries:8} "
            f"{shown.group(1) if shown else '-':>6} {size:6.0f}"
        )


def main() -> None:
    call_command("migrate", verbosity=0)
    clinic = clinic_setup()
    fill_patients()
    fill_appointments(clinic)
    total = Appointment.objects.count()
    span = Appointment.objects.order_by("starts_at").values_list("starts_at", flat=True)
    first, last = span.first(), span.last()
    practitioners = StaffProfile.objects.filter(is_practitioner=True).count()
    rooms = Room.objects.filter(active=True).count()
    print(
        f"Bench clinic on {connection.vendor}: {practitioners} practitioners, {rooms} rooms, "
        f"{Patient.objects.count():,} patients, {total:,} appointments "
        f"from {first:%Y-%m-%d} to {last:%Y-%m-%d}"
    )
    client = desk_client()
    bench_finder(ClinicSettings.load(), client)
    bench_pages(ClinicSettings.load(), client)


if __name__ == "__main__":
    main()
