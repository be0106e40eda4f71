"""Utilisation: booked against available hours, per practitioner, per room and per week, and
the busiest and emptiest hours of the week.

Booked: the appointments that hold their time (a no-show held it too). Available: a
practitioner's working hours within the clinic's opening hours, less their time off; a room's:
the opening hours. Booked hours are summed in the database; the available hours come from the
few rows of hours and time off.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import DateField, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncWeek

from clinic.lib import stats
from clinic.models import OpeningHours, Room, StaffProfile, TimeOff, Weekday, WorkingHours
from treatments.models import Appointment
from treatments.presentation.report_charts import Bar, bar_chart, bars_text, heat_map
from treatments.services.reports.filters import Report, ReportFilters, Table, rows_counted

HOUR = dt.timedelta(hours=1)


def _appointments(filters: ReportFilters):
    return Appointment.objects.holding().filter(
        filters.narrowing(practitioner="practitioner", route="appointment_type__route",
                          product="plan__product"),
        starts_at__gte=filters.starts_at,
        starts_at__lt=filters.ends_at,
    )


def _length():
    return ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())


def booked_hours(filters: ReportFilters) -> dict[tuple[int, int, dt.date], float]:
    """(practitioner pk, room pk, Monday of the week) -> hours booked, in one query (one read of
    the range's appointments for both the practitioners' and the rooms' figures)."""
    rows = (
        _appointments(filters)
        .annotate(week=TruncWeek("starts_at", tzinfo=filters.zone, output_field=DateField()))
        .values("practitioner", "room", "week")
        .annotate(length=Sum(_length()))
        .order_by()
    )
    return {(row["practitioner"], row["room"], row["week"]): row["length"] / HOUR
            for row in rows}


def _by(booked: dict, position: int) -> dict[tuple[int, dt.date], float]:
    """The booked hours by practitioner (position 0) or by room (1), and week."""
    totals: dict[tuple[int, dt.date], float] = defaultdict(float)
    for key, hours in booked.items():
        totals[key[position], key[2]] += hours
    return totals


def slot_counts(filters: ReportFilters) -> dict[tuple[int, int], int]:
    """(ISO weekday 1-7, hour) -> appointments starting then, in one query.

    Grouped by one number, weekday x 100 + hour: PostgreSQL can estimate how many groups one
    expression makes and counts them in a hash table, where two expressions sent it to sort
    the year's appointments first (twice as slow)."""
    rows = (
        _appointments(filters)
        .annotate(
            cell=ExtractIsoWeekDay("starts_at", tzinfo=filters.zone) * 100
            + ExtractHour("starts_at", tzinfo=filters.zone),
        )
        .values("cell")
        .annotate(n=rows_counted("starts_at"))
        .order_by()
    )
    return {divmod(int(row["cell"]), 100): row["n"] for row in rows}


def _overlap(start: dt.datetime, end: dt.datetime, other_start, other_end) -> float:
    return max((min(end, other_end) - max(start, other_start)) / HOUR, 0)


def _days(filters: ReportFilters):
    return [filters.start + dt.timedelta(days=n) for n in range(filters.days)]


def available_hours(
    filters: ReportFilters, opening: dict[int, tuple[dt.time, dt.time]], working: list,
    time_off: list,
) -> dict[tuple[int, dt.date], float]:
    """(practitioner pk, day) -> working hours within the opening hours, less time off."""
    away = defaultdict(list)
    for item in time_off:
        away[item.staff_id].append((item.starts_at, item.ends_at))
    hours: dict[tuple[int, dt.date], float] = defaultdict(float)
    shifts = defaultdict(list)
    for shift in working:
        shifts[shift.weekday].append(shift)
    for day in _days(filters):
        if day.weekday() not in opening:
            continue
        opens, closes = opening[day.weekday()]
        for shift in shifts[day.weekday()]:
            start = dt.datetime.combine(day, max(shift.starts, opens), tzinfo=filters.zone)
            end = dt.datetime.combine(day, min(shift.ends, closes), tzinfo=filters.zone)
            if end <= start:
                continue
            lost = sum(_overlap(start, end, a, b) for a, b in away[shift.staff_id])
            hours[shift.staff_id, day] += (end - start) / HOUR - lost
    return hours


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _row(name: str, booked: float, available: float) -> list:
    return [name, stats.figure(booked), stats.figure(available),
            stats.figure(stats.percent(booked, available))]


def utilisation_report(filters: ReportFilters, *, clinic) -> Report:
    opening = {
        day.weekday: (day.opens, day.closes)
        for day in OpeningHours.objects.filter(clinic=clinic, closed=False)
    }
    staff = StaffProfile.objects.filter(is_practitioner=True).select_related("user")
    if filters.practitioner is not None:
        staff = staff.filter(pk=filters.practitioner.pk)
    staff = list(staff)
    ids = [member.pk for member in staff]
    working = list(WorkingHours.objects.filter(staff__in=ids))
    time_off = list(
        TimeOff.objects.filter(staff__in=ids, starts_at__lt=filters.ends_at,
                               ends_at__gt=filters.starts_at)
    )
    rooms = list(Room.objects.filter(active=True))
    available = available_hours(filters, opening, working, time_off)
    both = booked_hours(filters)
    booked, room_booked = _by(both, 0), _by(both, 1)

    def total(values: dict, key: int) -> float:
        return sum(hours for (pk, _), hours in values.items() if pk == key)

    open_hours_by_day = {
        day: (dt.datetime.combine(day, opening[day.weekday()][1])
              - dt.datetime.combine(day, opening[day.weekday()][0])) / HOUR
        for day in _days(filters) if day.weekday() in opening
    }
    room_available = sum(open_hours_by_day.values())
    practitioner_rows, bars = [], []
    for member in staff:
        b, a = total(booked, member.pk), total(available, member.pk)
        practitioner_rows.append(_row(member.display_name, b, a))
        bars.append(Bar(member.display_name, stats.percent(b, a)))
    room_rows = [_row(room.name, total(room_booked, room.pk), room_available) for room in rooms]
    weekly_booked: dict[dt.date, float] = defaultdict(float)
    weekly_available: dict[dt.date, float] = defaultdict(float)
    for (_, week), hours in booked.items():
        weekly_booked[week] += hours
    for (_, day), hours in available.items():
        weekly_available[_week(day)] += hours
    week_rows = [
        _row(f"{week:%d %b %Y}", weekly_booked[week], weekly_available[week])
        for week in sorted({*weekly_booked, *weekly_available})
    ]

    slots = slot_counts(filters)
    hours = sorted(
        {h for opens, closes in opening.values() for h in range(opens.hour, closes.hour
                                                                  + (closes.minute > 0))}
        | {hour for _, hour in slots}
    )
    grid = [[slots.get((iso, hour), 0) for hour in hours] for iso in range(1, 8)]
    weekday_names = [Weekday(n).label for n in range(7)]
    slot_rows = [
        [weekday_names[iso - 1], *(stats.figure(value) for value in grid[iso - 1])]
        for iso in range(1, 8)
    ]
    cells = [
        (value, iso, hour)
        for iso in range(1, 8) if iso - 1 in opening
        for hour, value in zip(hours, grid[iso - 1], strict=True)
    ]
    busiest = sorted((c for c in cells if c[0]), key=lambda c: (-c[0], c[1], c[2]))[:3]
    emptiest = sorted(cells)[:3]

    def said(picked) -> str:
        return ", ".join(
            f"{weekday_names[iso - 1]} {hour:02d}:00 ({stats.figure(value)})"
            for value, iso, hour in picked
        )

    notes = []
    if busiest:
        notes.append(f"Busiest hours: {said(busiest)}.")
        notes.append(f"Emptiest opening hours: {said(emptiest)}.")
    utilisation_label = "Booked hours as a share of available hours, per practitioner"
    heat_label = "Appointments starting in each hour of the week, over the range"
    chart = heat_map(
        grid, rows=[name[:3] for name in weekday_names], columns=[f"{h:02d}" for h in hours],
        label=heat_label,
    ) + bar_chart(bars, label=utilisation_label, unit="%")
    return Report(
        slug="utilisation",
        title="Utilisation",
        chart=chart,
        chart_text=(
            f"{heat_label}: see the table of hours below. {' '.join(notes)} "
            + (f"{utilisation_label}: {bars_text(bars, unit='%')}." if bars else "")
        ).strip(),
        notes=notes,
        tables=[
            Table("practitioners", "Booked and available hours per practitioner",
                  ["Practitioner", "Booked hours", "Available hours", "Utilisation (%)"],
                  practitioner_rows, empty="No practitioner works at the clinic."),
            Table("rooms", "Booked and open hours per room",
                  ["Room", "Booked hours", "Open hours", "Utilisation (%)"], room_rows,
                  empty="No room is in use."),
            Table("weeks", "Booked and available practitioner hours by week",
                  ["Week starting", "Booked hours", "Available hours", "Utilisation (%)"],
                  week_rows, empty="No working hours or bookings in this range."),
            Table("slots", "Appointments starting in each hour of the week, over the range",
                  ["Weekday", *(f"{h:02d}:00" for h in hours)], slot_rows if hours else [],
                  empty="The clinic has no opening hours."),
        ],
    )
