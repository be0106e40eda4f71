# ruff: noqa: S608 (the SQL is built from our own ids and the clinic's zone, never from input)
"""How fast each report answers for a year of the benchmark clinic ("Speed": under 300 ms).

    createdb -h 127.0.0.1 -U postgres exo_reports_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/exo_reports_bench \\
        .venv/bin/python bench/bench_reports.py

PostgreSQL only. It builds the calendar bench's clinic (``bench_calendar``: 10 practitioners,
8 rooms, 50,000 patients, 500,000 appointments over five years; BENCH_APPOINTMENTS and
BENCH_PATIENTS make it smaller), then adds the clinical records the reports read, in a few
INSERT ... SELECT statements: an assessment, a concern and a topical plan for every patient with
a topical session, each completed topical appointment's session record (lot and amount), a
follow-up with a re-score at one in four completed reviews, an adverse event after about one
session in a hundred (more on one lot), completed and cancelled courses, and the patient's own
rating in the portal two days before one review in three. All of it is kept for later runs.
Each run then vacuums and analyses the tables, as autovacuum has in a clinic that has run for
years, so that PostgreSQL may answer from the indexes alone.

Then, with production settings, it requests each report page for the last year (stock: the next
year) through Django's test client as the clinic manager, and ``/healthz`` in the same run, and
prints the server time (median of RUNS runs), the ratio to ``/healthz``, and the number of
queries, which does not depend on the amount of data (tests/treatments/reports assert it).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_calendar as base
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from clinic.models import AppointmentType, ClinicSettings, Role, User
from patients.models import Patient
from tests.helpers import mark_second_factor_passed
from treatments.models import Appointment, Lot, Product, TreatmentSession

RUNS = int(os.environ.get("BENCH_RUNS", 7))
PRODUCTS = ["Bench serum A", "Bench serum B", "Bench cream C"]
REPORTS = ["outcomes", "courses", "utilisation", "attendance", "adverse-events", "stock"]


def products() -> list[Product]:
    made = []
    today = timezone.localdate()
    for n, name in enumerate(PRODUCTS):
        product, _ = Product.objects.get_or_create(
            name=name,
            defaults={"manufacturer": "Bench Labs", "source": "plant", "form": "serum",
                      "isolation_method": "tff", "gmp_certified": True, "storage": "2-8 °C",
                      "routes": ["topical", "transdermal", "microneedling"],
                      "low_stock_level": 50},
        )
        for k, days in enumerate((-400, -30, 20, 90, 200, 500)):
            Lot.objects.get_or_create(
                product=product, lot_number=f"B{n}-{k}",
                defaults={"expiry_date": today + dt.timedelta(days=days),
                          "received_on": today - dt.timedelta(days=5 * 365),
                          "quantity_received": 100000, "quantity_remaining": 20000 + 500 * k},
            )
        made.append(product)
    return made


def fill_clinical() -> None:
    if TreatmentSession.objects.filter(plan__product__name__in=PRODUCTS).exists():
        return
    start = time.perf_counter()
    topical = AppointmentType.objects.get(name="Topical exosome session").pk
    review = AppointmentType.objects.get(name="Bench review").pk
    author = User.objects.get(email="bench-derm0@example.test").pk
    product_ids = [p.pk for p in products()]
    lots = {p: list(Lot.objects.filter(product=p).order_by("expiry_date").values_list(
        "pk", flat=True)) for p in product_ids}
    zone = ClinicSettings.load().time_zone
    steps = [
        ("assessments", f"""
            INSERT INTO patients_assessment (patient_id, author_id, assessed_on, fitzpatrick,
                skin_type, goals, notes, masi_regions, created_at, updated_at, version)
            SELECT patient_id, {author}, (MIN(starts_at) AT TIME ZONE '{zone}')::date - 7,
                2 + patient_id % 4, 'combination', '', '', '{{}}', now(), now(), 1
            FROM treatments_appointment WHERE appointment_type_id = {topical}
            GROUP BY patient_id"""),
        ("concerns", """
            INSERT INTO patients_assessmentconcern (assessment_id, concern, severity, areas)
            SELECT id, (ARRAY['melasma','fine_lines','acne_scars','dehydration','texture'])
                [1 + patient_id % 5], 2 + patient_id % 3, '["face"]'
            FROM patients_assessment"""),
        ("plans", f"""
            INSERT INTO treatments_treatmentplan (patient_id, assessment_id, author_id, route,
                product_id, areas, sessions, interval_days, depths, laser_settings,
                justification, notes, recommendation, state, cancel_reason, state_changed_at,
                state_changed_by_id, created_at, updated_at, version)
            SELECT patient_id, id, author_id, 'topical',
                (ARRAY{product_ids})[1 + patient_id % {len(product_ids)}], '["face"]', 6, 28,
                '{{}}', '', '', '', '{{}}', 'in_treatment', '', now(), author_id,
                assessed_on::timestamptz, now(), 1
            FROM patients_assessment"""),
        ("plan links", f"""
            UPDATE treatments_appointment a SET plan_id = p.id FROM treatments_treatmentplan p
            WHERE p.patient_id = a.patient_id AND a.appointment_type_id IN ({topical}, {review})
                AND p.product_id = ANY(ARRAY{product_ids})"""),
        ("sessions", f"""
            INSERT INTO treatments_treatmentsession (appointment_id, plan_id, patient_id,
                clinician_id, status, not_treated_reason, skin_prepared, lot_id, amount, areas,
                device, depths, laser_settings, immediate_reactions, post_care, notes,
                started_at, ended_at, aftercare_text, aftercare, locked_at, version)
            SELECT a.id, a.plan_id, a.patient_id, s.user_id, 'completed', '', true,
                CASE p.product_id {' '.join(
                    f"WHEN {pid} THEN (ARRAY{ids})[1 + a.id % {len(ids)}]"
                    for pid, ids in lots.items())} END,
                CASE WHEN a.id % 4 = 0 THEN 1.5 ELSE 1 END, '["face"]', '', '{{}}', '', '[]',
                '[]', '', a.starts_at, a.ends_at, '', '{{}}', a.ends_at, 1
            FROM treatments_appointment a JOIN clinic_staffprofile s ON s.id = a.practitioner_id
            JOIN treatments_treatmentplan p ON p.id = a.plan_id
            WHERE a.appointment_type_id = {topical} AND a.status = 'completed'"""),
        ("follow-ups", f"""
            INSERT INTO treatments_followup (plan_id, appointment_id, clinician_id, reviewed_on,
                gais_clinician, gais_patient, satisfaction, side_effects, decision, notes,
                created_at)
            SELECT a.plan_id, a.id, s.user_id, (a.starts_at AT TIME ZONE '{zone}')::date,
                1 + a.id % 4, 1 + a.id % 5, 1 + (a.id / 7) % 5, '', 'continue', '', now()
            FROM treatments_appointment a JOIN clinic_staffprofile s ON s.id = a.practitioner_id
            WHERE a.appointment_type_id = {review} AND a.status = 'completed'
                AND a.plan_id IS NOT NULL AND a.id % 4 = 0"""),
        ("re-scores", """
            INSERT INTO treatments_followupscore (follow_up_id, concern, severity)
            SELECT f.id, c.concern, CASE WHEN c.severity - f.id % 3 < 0 THEN 0
                ELSE c.severity - f.id % 3 END
            FROM treatments_followup f JOIN treatments_treatmentplan p ON p.id = f.plan_id
            JOIN patients_assessmentconcern c ON c.assessment_id = p.assessment_id"""),
        ("adverse events", """
            INSERT INTO treatments_adverseevent (patient_id, session_id, lot_id, kind,
                description, severity, onset_on, action_taken, outcome, resolved_on,
                other_products, report_reference, serious_criteria, reported_by_id, created_at)
            SELECT patient_id, id, lot_id, 'severe_swelling', 'Swelling beyond 48 hours.',
                (ARRAY['mild','moderate','severe'])[1 + id % 3], started_at::date + 1, '',
                (ARRAY['resolved','ongoing','sequelae'])[1 + id % 3],
                CASE WHEN id % 3 = 1 THEN NULL ELSE started_at::date + 5 END, '', '', '[]',
                clinician_id, now()
            FROM treatments_treatmentsession WHERE id % 97 = 0 OR (lot_id % 6 = 3 AND id % 9 = 0)
            """),
        ("completed courses", """
            UPDATE treatments_treatmentplan p SET state = 'completed',
                state_changed_at = last.at FROM (SELECT plan_id, MAX(ends_at) AS at
                FROM treatments_appointment WHERE plan_id IS NOT NULL GROUP BY plan_id) last
            WHERE last.plan_id = p.id AND p.patient_id % 5 = 0 AND last.at < now()"""),
        ("cancelled courses", """
            UPDATE treatments_treatmentplan SET state = 'cancelled',
                cancel_reason = 'Stopped at the patient''s request.',
                state_changed_at = created_at + interval '60 days'
            WHERE patient_id % 11 = 0 AND state = 'in_treatment'"""),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for label, sql in steps:
            began = time.perf_counter()
            cursor.execute(sql)
            print(f"  {label}: {cursor.rowcount:,} rows ({time.perf_counter() - began:.0f} s)")
    with connection.cursor() as cursor:
        for table in ("treatments_appointment", "treatments_treatmentsession",
                      "treatments_treatmentplan", "treatments_followup",
                      "treatments_followupscore", "treatments_adverseevent",
                      "patients_assessment", "patients_assessmentconcern"):
            cursor.execute(f"ANALYZE {table}")
    print(f"  clinical records made in {time.perf_counter() - start:.0f} s")


def fill_ratings() -> None:
    from treatments.models import PatientRating

    if PatientRating.objects.exists():
        return
    zone = ClinicSettings.load().time_zone
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO treatments_patientrating (plan_id, gais, satisfaction, comment,
                submitted_at)
            SELECT plan_id, 1 + id % 5, 1 + (id / 3) % 5, '',
                ((reviewed_on - 2) + time '19:30') AT TIME ZONE '{zone}'
            FROM treatments_followup WHERE id % 3 = 0""")
        print(f"  portal ratings: {cursor.rowcount:,} rows")


def vacuum() -> None:
    tables = ("treatments_appointment", "treatments_treatmentsession", "treatments_treatmentplan",
              "treatments_followup", "treatments_followupscore", "treatments_adverseevent",
              "treatments_patientrating", "patients_assessment", "patients_assessmentconcern")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def timed(client, url, params) -> tuple[float, int]:
    def get():
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    get()  # warm
    # Counted by a wrapper: the test client's request_started signal empties the query log.
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql)
                                    or execute(sql, *args)):
        get()
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        get()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), len(queries)


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("bench_reports runs on PostgreSQL: set BENCH_DATABASE_URL.")
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    clinic = base.clinic_setup()
    base.fill_patients()
    base.fill_appointments(clinic)
    fill_clinical()
    fill_ratings()
    vacuum()
    print(f"Bench clinic ready in {time.perf_counter() - began:.0f} s: "
          f"{Patient.objects.count():,} patients, {Appointment.objects.count():,} appointments, "
          f"{TreatmentSession.objects.count():,} session records")
    manager, _ = User.objects.get_or_create(email="bench-manager@example.test")
    manager.groups.add(Group.objects.get(name=Role.MANAGER.value))
    client = Client()
    client.force_login(manager)
    # Staff pages open only after the second step: mark it done, as a login would.
    mark_second_factor_passed(client, manager)
    today = ClinicSettings.load().today()
    year_back = {"start": (today - dt.timedelta(days=364)).isoformat(), "end": today.isoformat()}
    year_ahead = {"start": today.isoformat(),
                  "end": (today + dt.timedelta(days=364)).isoformat()}
    load = os.getloadavg()
    health, _ = timed(client, "/healthz", {})
    print(f"\nReports for a year to {today} ({RUNS} runs each, server time; load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs)")
    print(f"{'page':22} {'median ms':>10} {'x healthz':>10} {'queries':>8}")
    print(f"{'/healthz':22} {health:10.1f} {1:10.1f} {'':>8}")
    for slug in REPORTS:
        params = year_ahead if slug == "stock" else year_back
        median, queries = timed(client, f"/treatments/reports/{slug}/", params)
        print(f"{slug:22} {median:10.1f} {median / health:10.1f} {queries:8}")
    median, queries = timed(client, "/", {})
    print(f"{'manager home':22} {median:10.1f} {median / health:10.1f} {queries:8}")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
