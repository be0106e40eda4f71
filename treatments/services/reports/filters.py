"""What every report is filtered by, and the shape every report is handed to its page in.

A report is a set of tables (each downloadable as CSV) and a chart with its text alternative.
Every figure is counted in the database, grouped into a bounded number of rows, and turned into
medians and rates by ``clinic.lib.stats``: no report reads one row per appointment.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils.safestring import SafeString

from clinic.models import StaffProfile
from treatments.models import Product


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportFilters:
    """A date range on the clinic's calendar (both days included) and optional narrowing."""

    start: dt.date
    end: dt.date
    zone: ZoneInfo
    practitioner: StaffProfile | None = None
    route: str = ""
    product: Product | None = None

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=self.zone)

    @property
    def ends_at(self) -> dt.datetime:
        """The first moment after the range: midnight after its last day."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=self.zone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def narrowing(self, *, practitioner: str, route: str, product: str, user: str = "") -> Q:
        """The practitioner, route and product conditions, given each one's lookup path on the
        queried model (``user``: the practitioner's login, where the model names a user)."""
        condition = Q()
        if self.practitioner is not None:
            if user:
                condition &= Q(**{user: self.practitioner.user_id})
            else:
                condition &= Q(**{practitioner: self.practitioner.pk})
        if self.route:
            condition &= Q(**{route: self.route})
        if self.product is not None:
            condition &= Q(**{product: self.product.pk})
        return condition


def rows_counted(column: str, **extra) -> Count:
    """How many rows, counted on ``column``, a column that is never null and is in the index
    the query reads (a start time), rather than on the primary key, which is not: PostgreSQL then
    counts a year of appointments or sessions from the index alone, without the table."""
    return Count(column, **extra)


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a report: its slug (for the CSV), caption, header and rows of cells."""

    slug: str
    caption: str
    columns: list[str]
    rows: list[list]
    #: Indexes of the rows to flag (a small group, a lot over the threshold), with why.
    flags: dict[int, str] = field(default_factory=dict)
    #: Shown instead of the table when it has no row.
    empty: str = "Nothing in this range."

    @property
    def lines(self) -> list[tuple[list, str]]:
        """Each row with its flag ("" when none), as the page prints them."""
        return [(row, self.flags.get(n, "")) for n, row in enumerate(self.rows)]


@dataclass(frozen=True, slots=True)
class Report:
    slug: str
    title: str
    tables: list[Table]
    chart: SafeString | str = ""
    #: The chart in words, for anyone who cannot see it.
    chart_text: str = ""
    notes: list[str] = field(default_factory=list)

    def table(self, slug: str) -> Table | None:
        return next((table for table in self.tables if table.slug == slug), None)
