"""Adverse events per product and per lot: the rate per 100 sessions, severity and outcome.

The sessions are the completed session records of the range (each records its lot); the events
are those whose onset falls in the range. A lot whose rate is above the clinic's threshold
(``ClinicSettings.adverse_event_threshold``) is flagged here and on its recall page. Only
products, lots and counts are shown: who the patients were stays in their charts.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from clinic.lib import stats
from treatments.models import AdverseEvent, Lot, SessionStatus, TreatmentSession
from treatments.presentation.report_charts import Bar, bar_chart, bars_text
from treatments.services.reports.filters import Report, ReportFilters, Table, rows_counted

SEVERITIES = list(AdverseEvent.Severity)
OUTCOMES = list(AdverseEvent.Outcome)


@dataclass(frozen=True, slots=True)
class LotSignal:
    sessions: int
    events: int
    rate: Decimal | None
    threshold: Decimal

    @property
    def over(self) -> bool:
        return self.rate is not None and self.rate > self.threshold


def _over_text(threshold: Decimal) -> str:
    return f"Above the clinic's threshold of {stats.figure(threshold)} per 100 sessions."


def lot_signal(lot: Lot, *, clinic) -> LotSignal:
    """The lot's adverse events per 100 of its completed sessions, ever (two queries)."""
    sessions = TreatmentSession.objects.filter(lot=lot, status=SessionStatus.COMPLETED).count()
    events = AdverseEvent.objects.filter(lot=lot).count()
    return LotSignal(sessions, events, stats.rate_per_100(events, sessions),
                     clinic.adverse_event_threshold)


def session_counts(filters: ReportFilters) -> dict[int | None, int]:
    rows = (
        TreatmentSession.objects.filter(
            filters.narrowing(practitioner="appointment__practitioner", route="plan__route",
                              product="lot__product"),
            status=SessionStatus.COMPLETED,
            started_at__gte=filters.starts_at,
            started_at__lt=filters.ends_at,
        )
        .values("lot")
        .annotate(n=rows_counted("started_at"))
        .order_by()
    )
    return {row["lot"]: row["n"] for row in rows}


def event_counts(filters: ReportFilters) -> list[dict]:
    return list(
        AdverseEvent.objects.filter(
            filters.narrowing(practitioner="session__appointment__practitioner",
                              route="session__plan__route", product="lot__product"),
            onset_on__range=(filters.start, filters.end),
        )
        .values("lot", "severity", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )


def adverse_report(filters: ReportFilters, *, clinic) -> Report:
    threshold = clinic.adverse_event_threshold
    sessions = session_counts(filters)
    events: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in event_counts(filters):
        counts = events[row["lot"]]
        counts["total"] += row["n"]
        counts[row["severity"]] += row["n"]
        counts[row["outcome"]] += row["n"]
    lot_ids = {pk for pk in (*sessions, *events) if pk is not None}
    lots = {lot.pk: lot for lot in Lot.objects.filter(pk__in=lot_ids).select_related("product")}
    ordered = sorted(lots.values(), key=lambda lot: (lot.product.name, lot.lot_number))
    keys = [lot.pk for lot in ordered] + ([None] if None in events or None in sessions else [])

    lot_rows, flags, bars = [], {}, []
    products: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for n, key in enumerate(keys):
        lot = lots.get(key)
        product = lot.product.name if lot else "No lot recorded"
        counts = events.get(key, {})
        done = sessions.get(key, 0)
        rate = stats.rate_per_100(counts.get("total", 0), done)
        over = rate is not None and rate > threshold
        lot_rows.append(
            [product, lot.lot_number if lot else "–", done, counts.get("total", 0),
             stats.figure(rate), *(counts.get(s, 0) for s in SEVERITIES),
             *(counts.get(o, 0) for o in OUTCOMES)]
        )
        if over:
            flags[n] = _over_text(threshold)
        if lot:
            bars.append(Bar(f"{product} {lot.lot_number}", rate or 0, flagged=over))
        totals = products[product]
        totals["sessions"] += done
        for name, value in counts.items():
            totals[name] += value
    product_rows = [
        [name, totals["sessions"], totals["total"],
         stats.figure(stats.rate_per_100(totals["total"], totals["sessions"])),
         *(totals[s] for s in SEVERITIES)]
        for name, totals in sorted(products.items())
    ]
    label = "Adverse events per 100 sessions, by lot"
    return Report(
        slug="adverse-events",
        title="Adverse events",
        chart=bar_chart(bars, label=label),
        chart_text=f"{label}: {bars_text(bars)}." if bars else "",
        notes=[f"A lot above {stats.figure(threshold)} adverse events per 100 sessions is "
               "flagged here and on its recall page."],
        tables=[
            Table("products", "Adverse events per product",
                  ["Product", "Sessions", "Events", "Per 100 sessions",
                   *(s.label for s in SEVERITIES)],
                  product_rows, empty="No session and no adverse event in this range."),
            Table("lots", "Adverse events per lot",
                  ["Product", "Lot", "Sessions", "Events", "Per 100 sessions",
                   *(s.label for s in SEVERITIES), *(o.label for o in OUTCOMES)],
                  lot_rows, flags, empty="No session and no adverse event in this range."),
        ],
    )
