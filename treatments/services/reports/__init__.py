"""The clinic's reports: one module per report, each a function of ``ReportFilters``.

``REPORTS`` lists them in the order the Reports page shows them, with who may read each: the
clinical ones (outcomes, courses, adverse events, stock) are for the dermatologists and the
manager; utilisation and attendance are the manager's. No report shows a patient's name.
"""

import csv
import io
from dataclasses import dataclass

from clinic.access import CLINICAL_READERS, MANAGERS
from clinic.models import Role
from treatments.services.recall import csv_safe
from treatments.services.reports.adverse import adverse_report
from treatments.services.reports.attendance import attendance_report
from treatments.services.reports.courses import courses_report
from treatments.services.reports.filters import Report, ReportFilters, Table
from treatments.services.reports.outcomes import outcomes_report
from treatments.services.reports.stock import stock_report
from treatments.services.reports.utilisation import utilisation_report


@dataclass(frozen=True, slots=True)
class ReportSpec:
    slug: str
    title: str
    summary: str
    roles: tuple[Role, ...]
    #: Looks ahead (stock: the sessions booked) rather than back over what happened.
    forward: bool = False


REPORTS = [
    ReportSpec(
        "outcomes",
        "Outcomes",
        "How much each route improves each concern; GAIS and satisfaction.",
        CLINICAL_READERS,
    ),
    ReportSpec(
        "courses",
        "Courses",
        "Courses started, completed and cancelled; sessions and intervals kept.",
        CLINICAL_READERS,
    ),
    ReportSpec(
        "utilisation",
        "Utilisation",
        "Booked against available hours; the busiest and emptiest hours.",
        MANAGERS,
    ),
    ReportSpec(
        "attendance",
        "Attendance",
        "No-shows and late cancellations by week, type and practitioner.",
        MANAGERS,
    ),
    ReportSpec(
        "adverse-events",
        "Adverse events",
        "Adverse events per 100 sessions, per product and lot.",
        CLINICAL_READERS,
    ),
    ReportSpec(
        "stock",
        "Stock",
        "On hand, needed by the sessions booked, and lots that will expire first.",
        CLINICAL_READERS,
        forward=True,
    ),
]
SPECS = {spec.slug: spec for spec in REPORTS}


def build_report(slug: str, filters: ReportFilters, *, clinic, user) -> Report:
    """The report ``slug`` for ``filters``, as ``user`` may read it."""
    if slug == "outcomes":
        return outcomes_report(filters)
    if slug == "courses":
        return courses_report(filters, with_reasons=user.has_role(Role.DERMATOLOGIST))
    if slug == "utilisation":
        return utilisation_report(filters, clinic=clinic)
    if slug == "attendance":
        return attendance_report(filters)
    if slug == "adverse-events":
        return adverse_report(filters, clinic=clinic)
    if slug == "stock":
        return stock_report(filters, clinic=clinic)
    raise KeyError(slug)


def table_csv(table: Table) -> str:
    """A report's table as CSV text, every cell safe from spreadsheet formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_safe(column) for column in table.columns] + ["Note"])
    for n, row in enumerate(table.rows):
        writer.writerow([csv_safe(cell) for cell in row] + [csv_safe(table.flags.get(n, ""))])
    return buffer.getvalue()


__all__ = ["REPORTS", "SPECS", "Report", "ReportFilters", "Table", "build_report", "table_csv"]
