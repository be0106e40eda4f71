"""Attendance: no-shows and late cancellations, by week, appointment type and practitioner.

An appointment is due when its time has come (it started in the range, before now) unless it was
cancelled in good time: a late cancellation (under 24 hours, marked when cancelled) still counts
as due, since its time could not be offered to anyone else.

The waitlist's refill rate: of the times freed by a cancellation or a move that start in the
range, the share a patient on the waitlist booked (treatments.services.waitlist).
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from clinic.lib import stats
from clinic.models import AppointmentType, StaffProfile
from treatments.models import Appointment, AppointmentStatus
from treatments.presentation.report_charts import Bar, bar_chart, bars_text
from treatments.services import waitlist
from treatments.services.reports.filters import Report, ReportFilters, Table, rows_counted

COLUMNS = ["Due", "No-shows", "No-show rate (%)", "Late cancellations",
           "Late cancellation rate (%)"]


def attendance_counts(filters: ReportFilters, *, now: dt.datetime) -> list[dict]:
    """Due appointments, no-shows and late cancellations by week, type and practitioner (their
    primary keys: grouping by the few keys, not by names joined in, keeps the one read of the
    range's appointments to the appointment index)."""
    return list(
        Appointment.objects.filter(
            filters.narrowing(practitioner="practitioner", route="appointment_type__route",
                              product="plan__product"),
            starts_at__gte=filters.starts_at,
            starts_at__lt=min(filters.ends_at, now),
        )
        .exclude(status=AppointmentStatus.CANCELLED, late_cancellation=False)
        .annotate(week=TruncWeek("starts_at", tzinfo=filters.zone))
        .values("week", "appointment_type", "practitioner")
        .annotate(
            due=rows_counted("starts_at"),
            no_shows=rows_counted("starts_at", filter=Q(status=AppointmentStatus.NO_SHOW)),
            late=rows_counted("starts_at", filter=Q(status=AppointmentStatus.CANCELLED)),
        )
        .order_by()
    )


def _names(rows: list[dict]) -> tuple[dict[int, str], dict[int, str]]:
    """The appointment types' and the practitioners' names of ``rows`` (two small queries)."""
    kinds = dict(
        AppointmentType.objects.filter(pk__in={row["appointment_type"] for row in rows})
        .values_list("pk", "name")
    )
    people = {
        pk: " ".join(part for part in (title, first, last) if part)
        for pk, title, first, last in StaffProfile.objects.filter(
            pk__in={row["practitioner"] for row in rows}
        ).values_list("pk", "title", "user__first_name", "user__last_name")
    }
    return kinds, people


def _rows(groups: dict) -> list[list]:
    return [
        [label, due, no_shows, stats.figure(stats.percent(no_shows, due)), late,
         stats.figure(stats.percent(late, due))]
        for label, (due, no_shows, late) in groups.items()
    ]


def _add(groups: dict, key, row: dict) -> None:
    due, no_shows, late = groups.get(key, (0, 0, 0))
    groups[key] = (due + row["due"], no_shows + row["no_shows"], late + row["late"])


def attendance_report(filters: ReportFilters, *, now: dt.datetime | None = None) -> Report:
    now = now or timezone.now()
    weeks: dict = {}
    kinds: dict = {}
    practitioners: dict = {}
    counted = attendance_counts(filters, now=now)
    kind_names, practitioner_names = _names(counted)
    for row in counted:
        week = timezone.localtime(row["week"], filters.zone).date() if isinstance(
            row["week"], dt.datetime) else row["week"]
        _add(weeks, week, row)
        _add(kinds, kind_names[row["appointment_type"]], row)
        _add(practitioners, practitioner_names[row["practitioner"]], row)
    weeks = {f"{week:%d %b %Y}": weeks[week] for week in sorted(weeks)}
    kinds = dict(sorted(kinds.items()))
    practitioners = dict(sorted(practitioners.items()))
    bars = [Bar(label, stats.percent(no_shows, due))
            for label, (due, no_shows, _) in weeks.items()]
    label = "No-show rate (%) by week"
    totals = defaultdict(int)
    for due, no_shows, late in weeks.values():
        totals["due"] += due
        totals["no_shows"] += no_shows
        totals["late"] += late
    notes = []
    if totals["due"]:
        notes.append(
            f"{totals['due']} appointments were due: {totals['no_shows']} no-shows "
            f"({stats.figure(stats.percent(totals['no_shows'], totals['due']))}%) and "
            f"{totals['late']} late cancellations "
            f"({stats.figure(stats.percent(totals['late'], totals['due']))}%)."
        )
    freed, refilled = waitlist.refill_counts(
        start=filters.starts_at,
        end=filters.ends_at,
        condition=filters.narrowing(
            practitioner="practitioner", route="appointment_type__route",
            product="appointment__plan__product",
        ),
    )
    refill = stats.percent(refilled, freed)
    if freed:
        notes.append(
            f"The waitlist refilled {refilled} of {freed} freed times "
            f"({stats.figure(refill)}%)."
        )
    return Report(
        slug="attendance",
        title="Attendance",
        chart=bar_chart(bars, label=label, unit="%"),
        chart_text=f"{label}: {bars_text(bars, unit='%')}." if bars else "",
        notes=notes,
        tables=[
            Table("weeks", "No-shows and late cancellations by week",
                  ["Week starting", *COLUMNS], _rows(weeks),
                  empty="No appointment was due in this range."),
            Table("types", "By appointment type", ["Appointment type", *COLUMNS], _rows(kinds),
                  empty="No appointment was due in this range."),
            Table("practitioners", "By practitioner", ["Practitioner", *COLUMNS],
                  _rows(practitioners), empty="No appointment was due in this range."),
            Table("waitlist", "The waitlist's refill rate",
                  ["Freed times", "Refilled from the waitlist", "Refill rate (%)"],
                  [[freed, refilled, stats.figure(refill)]] if freed else [],
                  empty="No time was freed in this range."),
        ],
    )
