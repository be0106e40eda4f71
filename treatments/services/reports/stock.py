"""Stock: what is on the shelf, what the sessions already booked will use, and what expires.

Each booked session will use its plan's usual amount: the amount of the plan's latest completed
session, or else the most usual amount of the same product on the same route across the clinic,
or else one unit. The booked sessions take their lots first expiry, first out
(``clinic.lib.stock``), which shows the lots that will expire before the sessions booked to use
them, and the first day a session would find no stock. A product at or below its low-stock level
(``Product.low_stock_level``) is warned of on the manager's and the dermatologists' homes.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from clinic.lib.stock import Demand, StockLot, allocate
from treatments.models import (
    Appointment,
    AppointmentStatus,
    Lot,
    LotUnit,
    Product,
    SessionStatus,
    TreatmentSession,
)
from treatments.presentation.report_charts import Bar, bar_chart, bars_text
from treatments.services.reports.filters import Report, ReportFilters, Table, rows_counted

ONE = Decimal(1)


def _quantity(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def usual_amounts() -> dict[tuple[int, str], Decimal]:
    """(product, route) -> the amount most often used per completed session (one query)."""
    rows = (
        TreatmentSession.objects.filter(status=SessionStatus.COMPLETED, amount__isnull=False)
        .values("plan__product", "plan__route", "amount")
        .annotate(n=rows_counted("started_at"))
        .order_by()
    )
    best: dict[tuple[int, str], tuple[int, Decimal]] = {}
    for row in rows:
        key = row["plan__product"], row["plan__route"]
        if key not in best or (row["n"], -row["amount"]) > (best[key][0], -best[key][1]):
            best[key] = (row["n"], row["amount"])
    return {key: amount for key, (_, amount) in best.items()}


def demand_counts(filters: ReportFilters, *, today: dt.date) -> list[dict]:
    """Booked sessions from today on, by product, route, day and the plan's latest amount."""
    latest = (
        TreatmentSession.objects.filter(
            plan=OuterRef("plan"), status=SessionStatus.COMPLETED, amount__isnull=False
        )
        .order_by("-started_at")
        .values("amount")[:1]
    )
    start = max(filters.start, today)
    starts_at = dt.datetime.combine(start, dt.time(), tzinfo=filters.zone)
    return list(
        Appointment.objects.booked_sessions()
        .filter(
            filters.narrowing(practitioner="practitioner", route="plan__route",
                              product="plan__product"),
            status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN],
            starts_at__gte=starts_at,
            starts_at__lt=filters.ends_at,
            plan__product__isnull=False,
        )
        .annotate(
            day=TruncDate("starts_at", tzinfo=filters.zone),
            usual=Subquery(latest, output_field=DecimalField(max_digits=8, decimal_places=2)),
        )
        .values("plan__product", "plan__route", "day", "usual")
        .annotate(n=rows_counted("starts_at"))
        .order_by()
    )


def _usable_lots(filters: ReportFilters, clinic, today: dt.date):
    lots = Lot.objects.usable(on=today, policy=clinic.policy).select_related("product")
    if filters.product is not None:
        lots = lots.filter(product=filters.product)
    return list(lots.order_by("product__name", "expiry_date", "lot_number"))


def stock_report(filters: ReportFilters, *, clinic, today: dt.date | None = None) -> Report:
    today = today or clinic.today()
    lots = _usable_lots(filters, clinic, today)
    products = Product.objects.filter(active=True)
    if filters.product is not None:
        products = products.filter(pk=filters.product.pk)
    products = {product.pk: product for product in products}
    usual = usual_amounts()
    demands: dict[int, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in demand_counts(filters, today=today):
        product = row["plan__product"]
        amount = row["usual"] or usual.get((product, row["plan__route"]), ONE)
        demands[product][row["day"]] += amount * row["n"]
    lots_of: dict[int, list[Lot]] = defaultdict(list)
    for lot in lots:
        lots_of[lot.product_id].append(lot)

    product_rows, product_flags, lot_rows, lot_flags, bars = [], {}, [], {}, []
    for product in sorted(products.values(), key=lambda p: p.name):
        own = lots_of[product.pk]
        by_lot = {lot.pk: lot for lot in own}
        unit = LotUnit(own[0].unit) if own else LotUnit.VIAL
        result = allocate(
            [StockLot(lot.pk, lot.expiry_date, lot.quantity_remaining) for lot in own],
            [Demand(day, amount) for day, amount in demands[product.pk].items()],
        )
        on_hand = sum((lot.quantity_remaining for lot in own), Decimal(0))
        low = product.low_stock_level is not None and on_hand <= product.low_stock_level
        warning = []
        if low:
            warning.append("At or below the low-stock level")
        if result.short:
            warning.append(f"Short from {result.first_short_day:%d %b %Y}")
        if warning:
            product_flags[len(product_rows)] = "; ".join(warning) + "."
        product_rows.append(
            [product.name, f"{_quantity(on_hand)} {unit.label}", _quantity(result.needed),
             _quantity(result.short),
             f"{result.first_short_day:%d %b %Y}" if result.first_short_day else "–",
             _quantity(product.low_stock_level) if product.low_stock_level is not None else "–"]
        )
        bars += [Bar(f"{product.name}: on hand", float(on_hand)),
                 Bar(f"{product.name}: booked", float(result.needed), flagged=bool(result.short))]
        for outcome in result.lots:
            lot = by_lot[outcome.lot.key]
            if outcome.expires_before_use:
                lot_flags[len(lot_rows)] = (
                    f"Expires on {lot.expiry_date:%d %b %Y} with "
                    f"{lot.amount_text(outcome.left_at_expiry)} left, while sessions booked "
                    "after that need it."
                )
            lot_rows.append(
                [product.name, lot.lot_number, f"{lot.expiry_date:%d %b %Y}",
                 lot.remaining_text, _quantity(outcome.used),
                 _quantity(outcome.left_at_expiry),
                 f"{outcome.days[0]:%d %b %Y}" if outcome.days else "–"]
            )
    label = "On hand and needed by the sessions booked, per product"
    return Report(
        slug="stock",
        title="Stock",
        chart=bar_chart(bars, label=label),
        chart_text=f"{label}: {bars_text(bars)}." if bars else "",
        notes=[
            f"Sessions booked from {max(filters.start, today):%d %b %Y} to "
            f"{filters.end:%d %b %Y}, each at its plan's usual amount; lots are used first "
            "expiry, first out.",
        ],
        tables=[
            Table("products", "Stock per product against the sessions booked",
                  ["Product", "On hand (usable)", "Needed by booked sessions", "Short",
                   "First session short", "Low-stock level"],
                  product_rows, product_flags, empty="No active product."),
            Table("lots", "Usable lots, first expiry first out",
                  ["Product", "Lot", "Expires", "On hand", "Used by booked sessions",
                   "Left at expiry", "First booked session"],
                  lot_rows, lot_flags, empty="No usable lot."),
        ],
    )


def low_stock_products(clinic, *, today: dt.date | None = None) -> list[dict]:
    """Products at or below their low-stock level, with what is usable (one query)."""
    today = today or clinic.today()
    usable = Q(lots__expiry_date__gte=today, lots__recalled_at__isnull=True,
               lots__quantity_remaining__gt=0)
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=8, decimal_places=2))
    rows = (
        Product.objects.allowed_by(clinic.policy)
        .filter(low_stock_level__isnull=False)
        .annotate(on_hand=Coalesce(Sum("lots__quantity_remaining", filter=usable), zero))
        .filter(on_hand__lte=F("low_stock_level"))
        .order_by("name")
    )
    return [
        {"product": product, "on_hand": _quantity(product.on_hand),
         "level": _quantity(product.low_stock_level)}
        for product in rows
    ]
