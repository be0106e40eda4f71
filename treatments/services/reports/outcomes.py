"""Outcomes: how much each route improves each concern (docs/clinical-rules.md §Follow-up).

Each concern of a plan's assessment is re-scored 0-4 at follow-up; the change is the assessment's
score minus the latest re-score of the range (positive: better). GAIS (clinician and patient) and
the patient's satisfaction come from the follow-ups reviewed in the range; the patient's own GAIS
from the portal ("How does your skin look now?") is counted beside them, once per course: the
latest rating the patient gave in the range. Groups of fewer than five are flagged, never hidden.
The rows name no patient: only routes, concerns and counts.
"""

from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from clinic.lib import stats
from clinic.lib.vocabulary import Route
from patients.models import Assessment, AssessmentConcern
from treatments.models import GAIS, FollowUp, FollowUpScore, PatientRating, TreatmentPlan
from treatments.presentation.progress import concern_label
from treatments.presentation.report_charts import Bar, bar_chart, bars_text
from treatments.services.reports.filters import Report, ReportFilters, Table

SMALL = f"Fewer than {stats.SMALL_GROUP} courses: read with care."


def _follow_ups(filters: ReportFilters, prefix: str = ""):
    return Q(**{f"{prefix}reviewed_on__range": (filters.start, filters.end)}) & filters.narrowing(
        practitioner="",
        user=f"{prefix}clinician",
        route=f"{prefix}plan__route",
        product=f"{prefix}plan__product",
    )


def change_counts(filters: ReportFilters) -> dict[tuple[str, str], dict[int, int]]:
    """(route, concern) -> {change in points: how many courses}, in one query."""
    later = FollowUpScore.objects.filter(
        _follow_ups(filters, "follow_up__"),
        follow_up__plan=OuterRef("follow_up__plan"),
        concern=OuterRef("concern"),
    ).filter(
        Q(follow_up__reviewed_on__gt=OuterRef("follow_up__reviewed_on"))
        | Q(
            follow_up__reviewed_on=OuterRef("follow_up__reviewed_on"),
            follow_up__pk__gt=OuterRef("follow_up__pk"),
        )
    )
    baseline = AssessmentConcern.objects.filter(
        assessment=OuterRef("follow_up__plan__assessment"), concern=OuterRef("concern")
    ).values("severity")[:1]
    rows = (
        FollowUpScore.objects.filter(_follow_ups(filters, "follow_up__"))
        .exclude(Exists(later))
        # A concern not in the assessment has no baseline and no change (None): left out
        # below rather than filtered here, which would look the baseline up twice per row.
        .annotate(change=Subquery(baseline) - F("severity"))
        .values("follow_up__plan__route", "concern", "change")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for row in rows:
        if row["change"] is not None:
            counts[row["follow_up__plan__route"], row["concern"]][row["change"]] = row["n"]
    return counts


def rating_counts(filters: ReportFilters) -> list[dict]:
    """Follow-ups in the range counted by route, both GAIS and satisfaction, in one query."""
    return list(
        FollowUp.objects.filter(_follow_ups(filters))
        .values("plan__route", "gais_clinician", "gais_patient", "satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    )


def portal_gais_counts(filters: ReportFilters) -> dict[tuple[str, int], int]:
    """(route, GAIS) -> courses, from the patients' own ratings in the portal, in one query.

    A patient may rate a course again; each course counts once, with the latest rating given in
    the range, so that rating twice does not give a patient two voices."""
    in_range = Q(submitted_at__gte=filters.starts_at, submitted_at__lt=filters.ends_at)
    later = PatientRating.objects.filter(in_range, plan=OuterRef("plan")).filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    rows = (
        PatientRating.objects.filter(
            in_range,
            filters.narrowing(practitioner="", user="plan__author", route="plan__route",
                              product="plan__product"),
        )
        .exclude(Exists(later))
        .values("plan__route", "gais")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["plan__route"], row["gais"]): row["n"] for row in rows}


def score_change_counts(filters: ReportFilters, field: str) -> dict[str, dict[float, int]]:
    """route -> {change in MASI or IGA: how many courses}, in one query: the plan's assessment
    against the patient's latest later assessment of the range that recorded the score."""
    later = (
        Assessment.objects.filter(
            patient=OuterRef("patient"),
            assessed_on__gt=OuterRef("assessment__assessed_on"),
            assessed_on__range=(filters.start, filters.end),
            **{f"{field}__isnull": False},
        )
        .order_by("-assessed_on", "-pk")
        .values(field)[:1]
    )
    rows = (
        TreatmentPlan.objects.filter(
            filters.narrowing(practitioner="", user="author", route="route", product="product"),
            **{f"assessment__{field}__isnull": False},
        )
        .annotate(latest=Subquery(later))
        .filter(latest__isnull=False)
        .annotate(change=F(f"assessment__{field}") - F("latest"))
        .values("route", "change")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[float, int]] = defaultdict(dict)
    for row in rows:
        counts[row["route"]][float(row["change"])] = row["n"]
    return counts


def _route_label(route: str) -> str:
    return Route(route).label if route in Route.values else route


def outcomes_report(filters: ReportFilters) -> Report:
    changes = change_counts(filters)
    ordered = sorted(changes, key=lambda key: (_route_label(key[0]), concern_label(key[1])))
    change_rows, flags, bars = [], {}, []
    for n, (route, concern) in enumerate(ordered):
        summary = stats.summarise(changes[route, concern])
        label = f"{_route_label(route)}, {concern_label(concern)}"
        change_rows.append(
            [
                _route_label(route),
                concern_label(concern),
                summary.n,
                stats.figure(summary.median),
                f"{stats.figure(summary.q1)} to {stats.figure(summary.q3)}",
            ]
        )
        if summary.small:
            flags[n] = SMALL
        bars.append(Bar(label, summary.median, flagged=summary.small))

    gais: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    satisfaction: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rating_counts(filters):
        route = row["plan__route"]
        gais[route, row["gais_clinician"]][0] += row["n"]
        if row["gais_patient"] is not None:
            gais[route, row["gais_patient"]][1] += row["n"]
        if row["satisfaction"] is not None:
            counts = satisfaction[route]
            counts[row["satisfaction"]] = counts.get(row["satisfaction"], 0) + row["n"]
    for (route, level), n in portal_gais_counts(filters).items():
        gais[route, level][2] += n
    gais_rows = [
        [_route_label(route), GAIS(level).label, *gais[route, level]]
        for route, level in sorted(gais, key=lambda key: (_route_label(key[0]), key[1]))
    ]
    satisfaction_rows, satisfaction_flags = [], {}
    for n, route in enumerate(sorted(satisfaction, key=_route_label)):
        summary = stats.summarise(satisfaction[route])
        satisfaction_rows.append(
            [_route_label(route), summary.n, stats.figure(summary.median),
             f"{stats.figure(summary.q1)} to {stats.figure(summary.q3)}"]
        )
        if summary.small:
            satisfaction_flags[n] = f"Fewer than {stats.SMALL_GROUP} ratings: read with care."

    score_rows, score_flags = [], {}
    for label, field in (("MASI", "masi"), ("IGA", "iga")):
        counts = score_change_counts(filters, field)
        for route in sorted(counts, key=_route_label):
            summary = stats.summarise(counts[route])
            if summary.small:
                score_flags[len(score_rows)] = SMALL
            score_rows.append(
                [label, _route_label(route), summary.n, stats.figure(summary.median),
                 f"{stats.figure(summary.q1)} to {stats.figure(summary.q3)}"]
            )

    chart_label = "Median improvement in points (0-4 severity), by route and concern"
    return Report(
        slug="outcomes",
        title="Outcomes",
        chart=bar_chart(bars, label=chart_label, unit=" pts"),
        chart_text=f"{chart_label}: {bars_text(bars, unit=' points')}." if bars else "",
        tables=[
            Table(
                "changes",
                "Change in severity from the assessment to the latest follow-up (points better)",
                ["Route", "Concern", "Courses (n)", "Median change", "Interquartile range"],
                change_rows,
                flags,
                empty="No concern was re-scored at a follow-up in this range.",
            ),
            Table(
                "gais",
                "GAIS at the follow-ups of the range, and the patients' own ratings in the "
                "portal (each course once: its latest rating of the range)",
                ["Route", "GAIS", "Clinician (n)", "Patient at follow-up (n)",
                 "Patient in the portal (n)"],
                gais_rows,
                empty="No follow-up was reviewed and no patient rated a course in this range.",
            ),
            Table(
                "satisfaction",
                "Patient satisfaction (1-5) at the follow-ups of the range",
                ["Route", "Ratings (n)", "Median", "Interquartile range"],
                satisfaction_rows,
                satisfaction_flags,
                empty="No patient rated their satisfaction in this range.",
            ),
            Table(
                "scores",
                "MASI and IGA: the plan's assessment against the latest later one (points "
                "better)",
                ["Score", "Route", "Courses (n)", "Median change", "Interquartile range"],
                score_rows,
                score_flags,
                empty="No later assessment in this range recorded MASI or IGA.",
            ),
        ],
        notes=[
            "A change is the assessment's score minus the latest re-score in the range: 2 means "
            "two points better on the 0-4 scale.",
        ],
    )
