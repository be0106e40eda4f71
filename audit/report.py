"""The manager's access report: who read which patient's record, and when. No clinical content:
the kind of record and its number, never what it says."""

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AccessLog
from treatments.services.recall import csv_safe

CSV_HEADER = [
    "When",
    "User",
    "Email",
    "Role",
    "What",
    "Record",
    "Patient number",
    "Patient",
    "Address",
]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered(*, patient=None, user=None, date_from=None, date_to=None) -> QuerySet[AccessLog]:
    """Entries matching the filters, newest first (served by the patient, user and time indexes)."""
    entries = AccessLog.objects.for_report()
    if patient is not None:
        entries = entries.filter(patient_id=patient)
    if user is not None:
        entries = entries.filter(user=user)
    if date_from is not None:
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to is not None:
        entries = entries.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return entries


def report_csv(entries: Iterable[AccessLog]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        writer.writerow(
            csv_safe(value)
            for value in (
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.user.get_full_name() if entry.user else "",
                entry.user.email if entry.user else "",
                entry.role,
                entry.get_kind_display(),
                entry.object_id or "",
                entry.patient_id or "",
                entry.patient.full_name if entry.patient else "",
                entry.address or "",
            )
        )
    return buffer.getvalue()
