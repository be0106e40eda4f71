"""django-appointment's side of bench_vs_django_appointment.py, run in its own virtual environment.

Reads the practitioner's working hours and four weeks of bookings (the JSON file given as the
first argument), loads them into django-appointment's own models on a PostgreSQL database of its
own (the second argument, a database name), and times its free-slot search for those four weeks:
``appointment.services.get_available_slots_for_staff``, once per day, as its booking page asks.
Prints one JSON line: the median and 95th percentile in milliseconds, the slots found, queries.
Imports nothing from Exoclinic.
"""

import datetime as dt
import json
import statistics
import sys
import time

import django
from django.conf import settings

data = json.loads(open(sys.argv[1]).read())  # noqa: SIM115
settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-" + "y" * 50,
    USE_TZ=True,
    TIME_ZONE=data["time_zone"],
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
        "django.contrib.messages",
        "phonenumber_field",
        "appointment",
    ],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": sys.argv[2],
            "USER": "postgres",
            "HOST": "127.0.0.1",
            "PORT": "5432",
        }
    },
    DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    APPOINTMENT_WEBSITE_NAME="Bench",
)
django.setup()

from appointment.models import (  # noqa: E402
    Appointment,
    AppointmentRequest,
    Config,
    Service,
    StaffMember,
    WorkingHours,
)
from appointment.services import get_available_slots_for_staff  # noqa: E402
from appointment.utils.db_helpers import get_weekday_num_from_date  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402


def load() -> tuple[StaffMember, Service]:
    # The release ships no migrations: its tables are made from the models.
    call_command("migrate", run_syncdb=True, verbosity=0)
    User = get_user_model()
    Appointment.objects.all().delete()
    AppointmentRequest.objects.all().delete()
    WorkingHours.objects.all().delete()
    StaffMember.objects.all().delete()
    Service.objects.all().delete()
    Config.objects.all().delete()
    step = data["step_minutes"]
    Config.objects.create(slot_duration=step, lead_time=dt.time(7), finish_time=dt.time(21))
    service = Service.objects.create(
        name="Review", duration=dt.timedelta(minutes=data["minutes"]), price=0
    )
    user, _ = User.objects.get_or_create(username="practitioner", email="p@bench.example")
    staff = StaffMember.objects.create(
        user=user, slot_duration=step, work_on_saturday=True, work_on_sunday=True
    )
    staff.services_offered.add(service)
    for weekday, (starts, ends) in data["working_hours"].items():
        # django-appointment counts days from Sunday (0); Python's weekday() from Monday.
        WorkingHours.objects.create(
            staff_member=staff,
            day_of_week=(int(weekday) + 1) % 7,
            start_time=dt.time.fromisoformat(starts),
            end_time=dt.time.fromisoformat(ends),
        )
    client, _ = User.objects.get_or_create(username="client", email="c@bench.example")
    requests = AppointmentRequest.objects.bulk_create(
        AppointmentRequest(
            date=dt.date.fromisoformat(day),
            start_time=dt.time.fromisoformat(starts),
            end_time=dt.time.fromisoformat(ends),
            service=service,
            staff_member=staff,
        )
        for day, starts, ends in data["bookings"]
    )
    Appointment.objects.bulk_create(
        Appointment(client=client, appointment_request=r, phone="+447700900123") for r in requests
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return staff, service


def search(staff, service) -> int:
    first = dt.date.fromisoformat(data["first_day"])
    found = 0
    for n in range(data["days"]):
        day = first + dt.timedelta(days=n)
        found += len(
            get_available_slots_for_staff(day, staff, get_weekday_num_from_date(day), service)
        )
    return found


def main() -> None:
    staff, service = load()
    found = search(staff, service)
    settings.DEBUG = True
    reset_queries()
    search(staff, service)
    queries = len(connection.queries)
    settings.DEBUG = False
    times = []
    for _ in range(data["runs"]):
        started = time.perf_counter()
        search(staff, service)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        json.dumps(
            {
                "median_ms": statistics.median(times),
                "p95_ms": times[max(int(len(times) * 0.95) - 1, 0)],
                "slots": found,
                "queries": queries,
                "bookings": len(data["bookings"]),
            }
        )
    )


if __name__ == "__main__":
    main()
