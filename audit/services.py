"""Writing the access log: one row for a record that was read, one insert for a whole list.

``record_access`` is for a page or download about one record; ``record_accesses`` for a list
page or an export that shows many patients at once, written in one ``bulk_create`` whatever the
number of rows; ``record_accesses_of`` for a list whose patients a query names, written by the
database itself in one ``INSERT ... SELECT`` (no row comes back to Python). Views normally use
the ``audited`` decorator (``audit.decorators``) rather than calling these directly.

On PostgreSQL a read page's transaction becomes a write that waits for the disk (the WAL
flush), which can cost more than the rest of the log together. By default every entry waits:
an access log that a crash can shorten is not one a privacy officer can rely on.
``ACCESS_LOG_WAIT_FOR_DISK=0`` lets a GET's entries be committed without waiting
(``synchronous_commit`` off for that transaction only, one more statement: a GET writes nothing
but its log); the database stays consistent, and a crash of its server can then lose the
entries of the last fraction of a second (at most three ``wal_writer_delay``s), never a
clinical write. SQLite's ``synchronous=NORMAL`` (``clinic/settings.py``) already gives every
write that durability.
"""

from collections.abc import Iterable

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AccessKind, AccessLog


def _address(request) -> str | None:
    if request is None:
        return None
    address = get_client_ip_address(request) or request.META.get("REMOTE_ADDR")
    return address or None


def _role(by) -> str:
    if by is None or not by.is_authenticated:
        return ""
    role = by.role
    return role.value if role is not None else ("superuser" if by.is_superuser else "")


def _patient_id(patient) -> int | None:
    if patient is None:
        return None
    return patient if isinstance(patient, int) else patient.pk


def _entry(*, by, role, address, kind, obj_id, patient) -> AccessLog:
    if kind not in AccessKind.values:
        raise ValidationError({"kind": f"{kind!r} is not a kind of access the log knows."})
    return AccessLog(
        user=by if by is not None and by.is_authenticated else None,
        role=role,
        kind=kind,
        object_id=obj_id,
        patient_id=_patient_id(patient),
        address=address,
    )


def record_access(*, by, request, kind: str, obj_id: int | None, patient) -> AccessLog:
    """Log that ``by`` read record ``obj_id`` of ``kind`` about ``patient`` (a Patient, its id, or
    None for a record that belongs to no one patient). ``request`` gives the address; it may be
    None for a command run on the server."""
    entry = _entry(
        by=by, role=_role(by), address=_address(request), kind=kind, obj_id=obj_id, patient=patient
    )
    _no_wait_for_disk(request)
    entry.save()
    return entry


def record_accesses(
    *, by, request, kind: str, rows: Iterable[tuple[int | None, object]]
) -> list[AccessLog]:
    """Log a list page or export: ``rows`` are ``(obj_id, patient)`` pairs, one per record shown.

    One INSERT for all of them; repeated pairs are logged once.
    """
    role, address = _role(by), _address(request)
    seen: set[tuple] = set()
    entries = []
    for obj_id, patient in rows:
        key = (obj_id, _patient_id(patient))
        if key in seen:
            continue
        seen.add(key)
        entries.append(
            _entry(by=by, role=role, address=address, kind=kind, obj_id=obj_id, patient=patient)
        )
    if not entries:
        return []
    _no_wait_for_disk(request)
    return AccessLog.objects.bulk_create(entries)


def record_accesses_of(*, by, request, kind: str, obj_id: int | None, patients: QuerySet) -> int:
    """Log a read of ``obj_id`` (a lot's recall list, say) by every patient ``patients`` names:
    a query of patient ids (``values_list("patient_id")``, a ``union`` of several is fine). The
    database writes the rows in one ``INSERT ... SELECT``; a list that names nobody is still one
    row, a read of the list. Returns the number of rows written."""
    _entry(by=by, role="", address=None, kind=kind, obj_id=obj_id, patient=None)  # checks kind
    user_id = by.pk if by is not None and by.is_authenticated else None
    values = [timezone.now(), user_id, _role(by), kind, obj_id, _address(request)]
    table = AccessLog._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(AccessLog._meta.get_field(name).column)
        for name in ("at", "user", "role", "kind", "object_id", "address", "patient")
    )
    select, params = patients.query.get_compiler(connection=connection).as_sql()
    address = "CAST(%s AS inet)" if connection.vendor == "postgresql" else "%s"
    fixed = f"%s, %s, %s, %s, %s, {address}"
    insert = f"INSERT INTO {quote(table)} ({columns}) "
    from_query = f"SELECT {fixed}, shown.patient_id FROM ({select}) shown"  # noqa: S608 (ours)
    _no_wait_for_disk(request)
    with connection.cursor() as cursor:
        cursor.execute(
            insert + from_query + " WHERE shown.patient_id IS NOT NULL", [*values, *params]
        )
        written = cursor.rowcount
        if written == 0:
            cursor.execute(insert + f"VALUES ({fixed}, NULL)", values)
            written = 1
    return written


def _no_wait_for_disk(request) -> None:
    """Commit this GET's log without waiting for PostgreSQL's WAL flush (see the module's
    docstring); nothing for other requests, other databases, or outside a transaction."""
    if (
        request is None
        or request.method not in ("GET", "HEAD")
        or connection.vendor != "postgresql"
        or not connection.in_atomic_block
        or settings.ACCESS_LOG_WAIT_FOR_DISK
    ):
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
