"""Writing the access log: one row for a record that was read, one insert for a whole list.

``record_access`` is for a page or download about one record; ``record_accesses`` for a list
page or an export that shows many patients at once, written in one ``bulk_create`` whatever the
number of rows. Views normally use the ``audited`` decorator (``audit.decorators``) rather than
calling these directly.
"""

from collections.abc import Iterable

from axes.helpers import get_client_ip_address
from django.core.exceptions import ValidationError

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
    return AccessLog.objects.bulk_create(entries) if entries else []
