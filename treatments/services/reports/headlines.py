"""This week's headline figures on the manager's home, and the low-stock warning on the
manager's and the dermatologists' homes. Each provider runs a fixed number of queries."""

import datetime as dt

from django.utils import timezone

from clinic.lib import stats
from clinic.models import OpeningHours, StaffProfile, TimeOff, WorkingHours
from treatments.models import AdverseEvent, SessionStatus, TreatmentSession
from treatments.services.reports.attendance import attendance_counts
from treatments.services.reports.filters import ReportFilters
from treatments.services.reports.stock import low_stock_products
from treatments.services.reports.utilisation import available_hours, booked_hours


def week_filters(clinic, today: dt.date) -> ReportFilters:
    monday = today - dt.timedelta(days=today.weekday())
    return ReportFilters(start=monday, end=monday + dt.timedelta(days=6), zone=clinic.zone)


def headline_figures(clinic, *, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    week = week_filters(clinic, timezone.localdate(now, clinic.zone))
    opening = {
        day.weekday: (day.opens, day.closes)
        for day in OpeningHours.objects.filter(clinic=clinic, closed=False)
    }
    staff = StaffProfile.objects.filter(is_practitioner=True).values_list("pk", flat=True)
    available = available_hours(
        week,
        opening,
        list(WorkingHours.objects.filter(staff__in=staff)),
        list(
            TimeOff.objects.filter(
                staff__in=staff, starts_at__lt=week.ends_at, ends_at__gt=week.starts_at
            )
        ),
    )
    booked = sum(booked_hours(week).values())
    attendance = attendance_counts(week, now=now)
    due = sum(row["due"] for row in attendance)
    no_shows = sum(row["no_shows"] for row in attendance)
    return {
        "week": week,
        "sessions": TreatmentSession.objects.filter(
            status=SessionStatus.COMPLETED,
            started_at__gte=week.starts_at,
            started_at__lt=week.ends_at,
        ).count(),
        "booked_hours": stats.figure(booked),
        "utilisation": stats.figure(stats.percent(booked, sum(available.values()))),
        "due": due,
        "no_shows": no_shows,
        "no_show_rate": stats.figure(stats.percent(no_shows, due)),
        "adverse_events": AdverseEvent.objects.filter(
            onset_on__range=(week.start, week.end)
        ).count(),
    }


def manager_headlines_section(request) -> dict:
    return headline_figures(request.clinic)


def low_stock_section(request) -> dict:
    return {"low_stock": low_stock_products(request.clinic)}
