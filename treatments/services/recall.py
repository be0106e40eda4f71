"""Lot recall: every session, patient and contact that received one lot (docs/clinical-rules.md
§Lots).

"Every session records the lot it used, so that a recall of a lot finds every patient and session
that received it." The page does not know where those sessions are recorded: it reads them from
*sources*, each a function ``source(lot) -> Iterable[RecallRow]`` that runs a fixed
number of queries. The sessions module registers its source with ``register`` (its query joins
the session's ``lot`` foreign key to the patient and the practitioner, with select_related).

Until a source is registered, ``recall_rows`` honestly returns nothing and the page says that no
session has recorded the lot yet: nothing here is guessed from plans, because a plan that names
a product says nothing about which lot a patient actually received.
"""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from treatments.models import Lot


@dataclass(frozen=True, slots=True, kw_only=True)
class RecallRow:
    """One session that used the lot, with what the clinic needs to contact the patient."""

    session_date: dt.datetime | dt.date
    patient_name: str
    date_of_birth: dt.date
    mobile: str
    email: str
    practitioner: str
    #: A link to the session for people who may open it, or "".
    url: str = ""


RecallSource = Callable[[Lot], Iterable[RecallRow]]
SOURCES: list[RecallSource] = []


def register(source: RecallSource) -> RecallSource:
    """Add a source of sessions that record a lot (used as a decorator by the sessions module)."""
    if source not in SOURCES:  # registering twice (a second ready()) adds nothing
        SOURCES.append(source)
    return source


def _sort_key(row: RecallRow):
    when = row.session_date
    return when.date() if isinstance(when, dt.datetime) else when, row.patient_name


def recall_rows(lot: Lot) -> list[RecallRow]:
    """Every session that used ``lot``, oldest first."""
    rows = [row for source in SOURCES for row in source(lot)]
    return sorted(rows, key=_sort_key)


CSV_HEADER = [
    "Session date",
    "Patient",
    "Date of birth",
    "Mobile",
    "Email",
    "Practitioner",
    "Product",
    "Lot",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP "CSV injection")."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _when(value) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def recall_csv(lot: Lot, rows: Iterable[RecallRow]) -> str:
    """The recall list as CSV text: a header row, then one row per session."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                csv_safe(_when(row.session_date)),
                csv_safe(row.patient_name),
                csv_safe(row.date_of_birth.isoformat()),
                csv_safe(row.mobile),
                csv_safe(row.email),
                csv_safe(row.practitioner),
                csv_safe(lot.product.name),
                csv_safe(lot.lot_number),
            ]
        )
    return buffer.getvalue()


def patients_named(lot_id):
    """The ids of every patient a lot's recall page or CSV names, as one query (those whose
    completed session used it, and those with an adverse event on it), for the access log to
    write from in the database."""
    from treatments.models import AdverseEvent, SessionStatus, TreatmentSession

    sessions = TreatmentSession.objects.filter(lot_id=lot_id, status=SessionStatus.COMPLETED)
    events = AdverseEvent.objects.filter(lot_id=lot_id)
    return (
        sessions.order_by()
        .values_list("patient_id", flat=True)
        .union(events.order_by().values_list("patient_id", flat=True))
        .order_by()
    )
