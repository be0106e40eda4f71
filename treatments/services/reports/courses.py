"""Courses: started, completed and cancelled, sessions done against the plan, intervals kept.

A course starts when its first session record is completed (docs/clinical-rules.md §Workflow:
"in treatment (first session done)"); it is completed or cancelled on the day its plan last
changed state. Sessions per course are counted for the courses completed in the range; the
interval kept is the days between consecutive completed sessions of a plan.
"""

from collections import defaultdict

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate

from clinic.lib import stats
from clinic.lib.vocabulary import Route
from treatments.models import PlanState, SessionStatus, TreatmentPlan, TreatmentSession
from treatments.presentation.report_charts import Bar, bar_chart, bars_text
from treatments.services.reports.filters import Report, ReportFilters, Table, rows_counted


def _route_label(route: str) -> str:
    return Route(route).label if route in Route.values else route


def _plans(filters: ReportFilters):
    return TreatmentPlan.objects.filter(
        filters.narrowing(practitioner="", user="author", route="route", product="product")
    )


def _completed_sessions():
    return TreatmentSession.objects.filter(status=SessionStatus.COMPLETED)


def started_counts(filters: ReportFilters) -> dict[str, int]:
    """Courses whose first completed session falls in the range, by route."""
    sessions = _completed_sessions().filter(plan=OuterRef("pk"))
    rows = (
        _plans(filters)
        .filter(
            Exists(sessions.filter(started_at__gte=filters.starts_at,
                                   started_at__lt=filters.ends_at)),
            ~Exists(sessions.filter(started_at__lt=filters.starts_at)),
        )
        .values("route")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["route"]: row["n"] for row in rows}


def ended_counts(filters: ReportFilters) -> list[dict]:
    """Completed and cancelled courses of the range by route, state and reason."""
    return list(
        _plans(filters)
        .filter(
            state__in=[PlanState.COMPLETED, PlanState.CANCELLED],
            state_changed_at__gte=filters.starts_at,
            state_changed_at__lt=filters.ends_at,
        )
        .values("route", "state", "cancel_reason")
        .annotate(n=Count("pk"))
        .order_by()
    )


def sessions_done_counts(filters: ReportFilters) -> list[dict]:
    """Courses completed in the range, by route, sessions planned and sessions done."""
    done = (
        _completed_sessions()
        .filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(count=rows_counted("started_at"))
        .values("count")
    )
    return list(
        _plans(filters)
        .filter(
            state=PlanState.COMPLETED,
            state_changed_at__gte=filters.starts_at,
            state_changed_at__lt=filters.ends_at,
        )
        .annotate(done=Coalesce(Subquery(done), 0))
        .values("route", "sessions", "done")
        .annotate(n=Count("pk"))
        .order_by()
    )


def interval_counts(filters: ReportFilters) -> list[dict]:
    """Days between a completed session of the range and the plan's completed session before
    it, counted by route, planned interval and days kept. A plan's first session has no gap
    (None): its row is counted too, since filtering on the previous day in SQL would look it up
    a second time for every session."""
    zone = filters.zone
    previous = (
        _completed_sessions()
        .filter(plan=OuterRef("plan"), started_at__lt=OuterRef("started_at"))
        .order_by("-started_at")
        .annotate(day=TruncDate("started_at", tzinfo=zone))
        .values("day")[:1]
    )
    return list(
        _completed_sessions()
        .filter(
            started_at__gte=filters.starts_at,
            started_at__lt=filters.ends_at,
            **_session_narrowing(filters),
        )
        .annotate(
            day=TruncDate("started_at", tzinfo=zone),
            previous_day=Subquery(previous, output_field=DateField()),
        )
        .annotate(gap=ExpressionWrapper(F("day") - F("previous_day"), DurationField()))
        .values("plan__route", "plan__interval_days", "gap")
        .annotate(n=rows_counted("started_at"))
        .order_by()
    )


def _session_narrowing(filters: ReportFilters) -> dict:
    narrowing = {}
    if filters.practitioner is not None:
        narrowing["appointment__practitioner"] = filters.practitioner.pk
    if filters.route:
        narrowing["plan__route"] = filters.route
    if filters.product is not None:
        narrowing["plan__product"] = filters.product.pk
    return narrowing


def courses_report(filters: ReportFilters, *, with_reasons: bool) -> Report:
    """``with_reasons``: the cancellation reasons in the clinician's words (dermatologists; the
    manager reads the counts, since a reason may say who the patient is)."""
    started = started_counts(filters)
    completed: dict[str, int] = defaultdict(int)
    cancelled: dict[str, int] = defaultdict(int)
    reasons: dict[tuple[str, str], int] = defaultdict(int)
    for row in ended_counts(filters):
        if row["state"] == PlanState.COMPLETED:
            completed[row["route"]] += row["n"]
        else:
            cancelled[row["route"]] += row["n"]
            reasons[row["route"], row["cancel_reason"].strip()] += row["n"]
    planned: dict[str, dict[int, int]] = defaultdict(dict)
    done: dict[str, dict[int, int]] = defaultdict(dict)
    for row in sessions_done_counts(filters):
        for counts, value in ((planned[row["route"]], row["sessions"]),
                              (done[row["route"]], row["done"])):
            counts[value] = counts.get(value, 0) + row["n"]
    kept: dict[str, dict[int, int]] = defaultdict(dict)
    meant: dict[str, dict[int, int]] = defaultdict(dict)
    for row in interval_counts(filters):
        if row["gap"] is None:  # a course's first session
            continue
        days = row["gap"].days
        route = row["plan__route"]
        kept[route][days] = kept[route].get(days, 0) + row["n"]
        meant[route][row["plan__interval_days"]] = (
            meant[route].get(row["plan__interval_days"], 0) + row["n"]
        )

    routes = sorted({*started, *completed, *cancelled, *done}, key=_route_label)
    course_rows, flags, bars = [], {}, []
    for n, route in enumerate(routes):
        done_summary = stats.summarise(done[route])
        course_rows.append(
            [
                _route_label(route),
                started.get(route, 0),
                completed[route],
                cancelled[route],
                stats.figure(done_summary.median),
                stats.figure(stats.summarise(planned[route]).median),
            ]
        )
        if completed[route] and done_summary.small:
            flags[n] = f"Fewer than {stats.SMALL_GROUP} completed courses: read with care."
        bars += [
            Bar(f"{_route_label(route)}: started", started.get(route, 0)),
            Bar(f"{_route_label(route)}: completed", completed[route]),
            Bar(f"{_route_label(route)}: cancelled", cancelled[route], flagged=True),
        ]
    interval_rows, interval_flags = [], {}
    for n, route in enumerate(sorted(kept, key=_route_label)):
        summary = stats.summarise(kept[route])
        interval_rows.append(
            [
                _route_label(route),
                summary.n,
                stats.figure(summary.median),
                f"{stats.figure(summary.q1)} to {stats.figure(summary.q3)}",
                stats.figure(stats.summarise(meant[route]).median),
            ]
        )
        if summary.small:
            interval_flags[n] = f"Fewer than {stats.SMALL_GROUP} intervals: read with care."
    tables = [
        Table(
            "courses",
            "Courses started, completed and cancelled, and sessions per completed course",
            ["Route", "Started", "Completed", "Cancelled", "Median sessions done",
             "Median sessions planned"],
            course_rows,
            flags,
            empty="No course started, completed or was cancelled in this range.",
        ),
        Table(
            "intervals",
            "Days between consecutive sessions of a course, against the plan's interval",
            ["Route", "Intervals (n)", "Median days kept", "Interquartile range",
             "Median planned interval (days)"],
            interval_rows,
            interval_flags,
            empty="No second or later session of a course was completed in this range.",
        ),
    ]
    if with_reasons:
        tables.append(
            Table(
                "cancellations",
                "Why courses were cancelled",
                ["Route", "Reason", "Courses"],
                [[_route_label(route), reason, count]
                 for (route, reason), count in sorted(reasons.items(),
                                                      key=lambda item: (-item[1], item[0]))],
                empty="No course was cancelled in this range.",
            )
        )
    label = "Courses started, completed and cancelled, by route"
    return Report(
        slug="courses",
        title="Courses",
        chart=bar_chart(bars, label=label),
        chart_text=f"{label}: {bars_text(bars)}." if bars else "",
        tables=tables,
    )
