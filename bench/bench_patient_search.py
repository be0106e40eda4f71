"""How fast the patient list answers with 100,000 patients, and which index serves each search.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/exoclinic_bench \
        .venv/bin/python bench/bench_patient_search.py

Without BENCH_DATABASE_URL it uses var/bench.sqlite3. It migrates that database, fills it with
generated patients once (kept for later runs), then requests the list page through Django's
test client as a front-desk user and reports server time per search kind.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
os.environ["DEBUG"] = "1"
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models.functions import Collate  # noqa: E402
from django.test import Client  # noqa: E402

from bench.ceiling import interleaved  # noqa: E402
from bench.names import FIRST, LAST  # noqa: E402
from clinic.models import User  # noqa: E402
from patients.models import Patient, name_key  # noqa: E402
from patients.models.registry import NameMatches  # noqa: E402
from tests.helpers import mark_second_factor_passed  # noqa: E402

N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", 100_000))
RUNS = 30


def fill() -> None:
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
                email=f"p{i}@bench.example",
                mobile=f"+447911{i:06d}",
            )
        )
        if len(batch) == 5000:
            Patient.objects.bulk_create(batch)
            batch = []
    Patient.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE patients_patient")


def timed(client, params) -> float:
    start = time.perf_counter()
    response = client.get("/patients/", params)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed


def sql_ms(client, params) -> float:
    """The search's own SQL in one request: its queries of the patient table (the page and the
    count), as DEBUG logs them; the session's and the user's are left out."""
    reset_queries()
    timed(client, params)
    return 1000 * sum(
        float(q["time"]) for q in connection.queries if 'FROM "patients_patient"' in q["sql"]
    )


def plan_for(query) -> str:
    found = Patient.objects.active().only("pk").in_name_order(query)
    if isinstance(found, NameMatches):
        first = found.patients.filter(last_name_key__startswith=found.word)  # for its plan
        found = first.annotate(c=Collate("last_name_key", "C")).order_by("c")
    return " / ".join(
        line.strip()
        for line in found[:25].explain().splitlines()
        if "Index" in line or "Scan" in line
    )[:160]


def main() -> None:
    call_command("migrate", verbosity=0)
    fill()
    desk, _ = User.objects.get_or_create(email="bench-desk@example.test")
    desk.groups.add(Group.objects.get(name="front_desk"))
    client = Client()
    client.force_login(desk)
    # Staff pages open only after the second step: mark it done, as a login would.
    mark_second_factor_passed(client, desk)
    sample = Patient.objects.order_by("pk")[N_PATIENTS // 2]
    searches = {
        "no query, page 1": {},
        "no query, page 200": {"page": "200"},
        "last name prefix 'tho'": {"q": "tho"},
        "first + last 'olivia bennett'": {"q": "olivia bennett"},
        "date of birth": {"q": sample.date_of_birth.strftime("%d/%m/%Y")},
        "mobile": {"q": sample.mobile.as_national},
        "email": {"q": sample.email},
    }
    total = Patient.objects.count()
    print(f"Patient list, {total:,} patients, {connection.vendor}, {RUNS} runs each")
    print(f"{'search':32} {'median ms':>10} {'p95 ms':>8} {'x healthz':>9} {'SQL ms':>7}  plan")
    for label, params in searches.items():
        timed(client, params)  # warm
        times, ceiling = interleaved(lambda params=params: timed(client, params), client, RUNS)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        median = statistics.median(times)
        sql = statistics.median(sql_ms(client, params) for _ in range(9))
        plan = plan_for(params.get("q", "")) if params.get("q") else ""
        print(f"{label:32} {median:10.1f} {p95:8.1f} {median / ceiling:9.1f} {sql:7.1f}  {plan}")


if __name__ == "__main__":
    main()
