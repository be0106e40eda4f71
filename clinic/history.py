"""Readable change history for records kept with django-simple-history.

Each app registers the kinds of record whose history may be shown, with the
roles that may read it and the kind's access helper, ``get_object(user, pk)``
(so that a record the user may not see answers 404 here exactly as it does
elsewhere).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from clinic.models import Role


@dataclass(frozen=True, slots=True)
class HistoryKind:
    model: type[models.Model]
    roles: frozenset[Role]
    get_object: Callable[[object, int], models.Model]


REGISTRY: dict[str, HistoryKind] = {}


def register(kind: str, model, *, roles, get_object: Callable) -> None:
    REGISTRY[kind] = HistoryKind(model, frozenset(roles), get_object)


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Entry:
    when: object
    who: str
    what: str
    reason: str
    changes: tuple[Change, ...]


_KIND_LABEL = {"+": "Created", "~": "Changed", "-": "Deleted"}


def entries_for(obj) -> list[Entry]:
    """The record's history, newest first, each entry with what changed against the one before."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-pk"))
    labels = {f.attname: f.verbose_name for f in obj._meta.concrete_fields}
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = ()
        if previous is not None:
            delta = record.diff_against(previous)
            changes = tuple(
                Change(str(labels.get(c.field, c.field)), _show(c.old), _show(c.new))
                for c in delta.changes
            )
        who = str(record.history_user) if record.history_user else "system"
        entries.append(
            Entry(
                when=record.history_date,
                who=who,
                what=_KIND_LABEL.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def _register_clinic_kinds() -> None:
    from clinic import access
    from clinic.models import ClinicSettings, Room, StaffProfile

    register(
        "clinic-settings",
        ClinicSettings,
        roles=access.MANAGERS,
        get_object=access.get_clinic_settings_for_user,
    )
    register("room", Room, roles=access.CLINICAL_READERS, get_object=access.get_room_for_user)
    register(
        "staff-profile",
        StaffProfile,
        roles=access.MANAGERS,
        get_object=access.get_staff_profile_for_user,
    )


_register_clinic_kinds()
