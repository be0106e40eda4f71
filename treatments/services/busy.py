"""Practitioners' and rooms' busy time for the slot finder: merged in the database, cached per day.

A practitioner is busy during each holding appointment and each time off; a room during each
holding appointment and its turnover (``room_free_at``). The intervals that overlap or touch are
merged into one, as ``clinic.lib.slots.Busy`` does: on PostgreSQL by ``range_agg`` over
``tstzrange`` in the query itself, so that a month of a busy clinic comes back as a few hundred
merged intervals instead of thousands of appointments; on SQLite in Python over the same rows.

Each resource's merged intervals of one local day, clipped to that day, are cached (Django's
cache) under the resource's ``BusyVersion`` token, which the database renews in the same
transaction as any write that may change them (migration treatments 0017). The tokens are read
before the intervals, in their own statement: an interval cached under a token was read at or
after the moment the token was current, so it never shows a resource freer than it was then.
"""

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.core.cache import caches
from django.db import connection
from django.db.models import Value

from clinic.lib.slots import Busy
from clinic.models import TimeOff
from treatments.models import Appointment, BusyVersion

#: The longest an appointment and its room turnover can last (AppointmentType's validators).
LONGEST_HOLD = dt.timedelta(minutes=480 + 120)
#: How long a day's intervals stay cached: a token change makes them unreachable anyway.
CACHE_SECONDS = 6 * 3600
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_US = dt.timedelta(microseconds=1)

STAFF, ROOM = BusyVersion.Resource.STAFF.value, BusyVersion.Resource.ROOM.value
PATIENT = "patient"  # read with the others, never cached: a few rows, and no token
Key = tuple[str, int]  # (STAFF, ROOM or PATIENT, primary key)
Pairs = list[tuple[int, int]]  # sorted, merged [start, end) in microseconds since the epoch


def to_us(at: dt.datetime) -> int:
    return (at - _EPOCH) // _ONE_US


EMPTY = Busy([], [])


def as_busy(pairs: Pairs) -> Busy:
    """Sorted, merged pairs as the slot finder's ``Busy``, as they are."""
    return Busy([start for start, _ in pairs], [end for _, end in pairs])


def day_starts(days: Sequence[dt.date], tz: dt.tzinfo) -> list[int]:
    """The instants (microseconds) at which the local days start, and the one after the last."""
    edges = [*days, days[-1] + dt.timedelta(days=1)]
    return [to_us(dt.datetime.combine(day, dt.time.min, tzinfo=tz)) for day in edges]


def merged_busy(
    *,
    staff_ids: Iterable[int],
    room_ids: Iterable[int],
    days: Sequence[dt.date],
    tz: dt.tzinfo,
    patient_id: int | None = None,
    exclude_pk: int | None = None,
    use_cache: bool = True,
) -> dict[Key, Pairs]:
    """Each practitioner's and room's merged busy intervals over the local ``days`` (consecutive),
    clipped to them, and the patient's (``(PATIENT, patient_id)``): two queries, one for the
    tokens and one for what the cache does not hold and the patient.

    ``exclude_pk``: an appointment being moved does not stand in its own way; such a search reads
    the database, and caches nothing.
    """
    keys = [(STAFF, pk) for pk in staff_ids] + [(ROOM, pk) for pk in room_ids]
    own = [(PATIENT, patient_id)] if patient_id is not None else []
    if not days:
        return {key: [] for key in keys + own}
    edges = day_starts(days, tz)
    if exclude_pk is not None or not use_cache or not keys:
        return from_database(keys + own, edges[0], edges[-1], exclude_pk=exclude_pk)

    tokens = _tokens(keys)
    names = {
        (key, day): f"busy:{key[0]}:{key[1]}:{tokens.get(key, 0)}:{day.isoformat()}"
        for key in keys
        for day in days
    }
    cache = caches["busy"]
    found = cache.get_many(names.values())
    missing = [key for key in keys if any(names[key, day] not in found for day in days)]
    fresh = {}
    if missing:
        wanted = [
            i for i, day in enumerate(days) if any(names[k, day] not in found for k in missing)
        ]
        lo, hi = wanted[0], wanted[-1]
        fresh = from_database(missing + own, edges[lo], edges[hi + 1])
        if own and (lo, hi) != (0, len(days) - 1):
            fresh |= from_database(own, edges[0], edges[-1])
        fill = {}
        for key in missing:
            for i, part in enumerate(_by_day(fresh[key], edges[lo : hi + 2]), start=lo):
                name = names[key, days[i]]
                if name not in found:
                    found[name] = fill[name] = part
        cache.set_many(fill, CACHE_SECONDS)
    elif own:
        fresh = from_database(own, edges[0], edges[-1])
    merged = {key: fresh[key] for key in own}
    for key in keys:
        pairs: Pairs = []
        for day in days:
            for start, end in found[names[key, day]]:
                if pairs and start <= pairs[-1][1]:  # one interval across midnight
                    pairs[-1] = (pairs[-1][0], max(end, pairs[-1][1]))
                else:
                    pairs.append((start, end))
        merged[key] = pairs
    return merged


def _tokens(keys: list[Key]) -> dict[Key, int]:
    by_kind = defaultdict(list)
    for kind, pk in keys:
        by_kind[kind].append(pk)
    rows = BusyVersion.objects.none()
    for kind, pks in by_kind.items():
        rows = rows | BusyVersion.objects.filter(resource=kind, ref__in=pks)
    return {(kind, ref): token for kind, ref, token in rows.values_list("resource", "ref", "token")}


def _by_day(pairs: Pairs, edges: list[int]) -> list[Pairs]:
    """``pairs`` cut at the day ``edges`` (len(edges) - 1 days), each part clipped to its day."""
    days: list[Pairs] = [[] for _ in range(len(edges) - 1)]
    for start, end in pairs:
        start, end = max(start, edges[0]), min(end, edges[-1])
        i = bisect_right(edges, start) - 1
        while start < end:
            stop = min(end, edges[i + 1])
            days[i].append((start, stop))
            start, i = stop, i + 1
    return days


def from_database(
    keys: Sequence[Key], start_us: int, end_us: int, *, exclude_pk: int | None = None
) -> dict[Key, Pairs]:
    """The merged busy intervals of ``keys`` that overlap ``[start, end)``, clipped to it."""
    merged: dict[Key, Pairs] = {key: [] for key in keys}
    parts = _parts(keys, start_us, end_us, exclude_pk=exclude_pk)
    if not parts:
        return merged
    if connection.vendor == "postgresql":
        rows = _merged_by_postgres(parts)
    else:
        rows = _merged_in_python(parts)
    for kind, ref, lo, hi in rows:
        lo, hi = max(lo, start_us), min(hi, end_us)
        if hi > lo:
            merged[kind, ref].append((lo, hi))
    for pairs in merged.values():
        pairs.sort()
    return merged


def _parts(keys: Sequence[Key], start_us: int, end_us: int, *, exclude_pk: int | None = None):
    """(kind, queryset of (ref, start, end)): what makes each kind of resource busy."""
    start = _EPOCH + dt.timedelta(microseconds=start_us)
    end = _EPOCH + dt.timedelta(microseconds=end_us)
    staff = [pk for kind, pk in keys if kind == STAFF]
    rooms = [pk for kind, pk in keys if kind == ROOM]
    patients = [pk for kind, pk in keys if kind == PATIENT]
    holding = Appointment.objects.holding().filter(
        starts_at__lt=end,
        # A lower bound on starts_at lets the start-time index serve the query.
        starts_at__gte=start - LONGEST_HOLD,
    )
    if exclude_pk is not None:
        holding = holding.exclude(pk=exclude_pk)
    parts = []
    if staff:
        parts.append(
            (
                STAFF,
                holding.filter(practitioner_id__in=staff, ends_at__gt=start)
                .order_by()
                .values_list("practitioner_id", "starts_at", "ends_at"),
            )
        )
        parts.append(
            (
                STAFF,
                TimeOff.objects.filter(staff_id__in=staff, starts_at__lt=end, ends_at__gt=start)
                .order_by()
                .values_list("staff_id", "starts_at", "ends_at"),
            )
        )
    if rooms:
        parts.append(
            (
                ROOM,
                holding.filter(room_id__in=rooms, room_free_at__gt=start)
                .order_by()
                .values_list("room_id", "starts_at", "room_free_at"),
            )
        )
    if patients:
        parts.append(
            (
                PATIENT,
                holding.filter(patient_id__in=patients, ends_at__gt=start)
                .order_by()
                .values_list("patient_id", "starts_at", "ends_at"),
            )
        )
    return parts


MERGED = (
    "SELECT %s, ref, (extract(epoch FROM lower(r)) * 1000000)::bigint,"
    " (extract(epoch FROM upper(r)) * 1000000)::bigint"
    " FROM (SELECT ref, unnest(range_agg(tstzrange(a, b))) AS r"
    " FROM ({inner}) AS held (ref, a, b) GROUP BY ref) AS merged"
)


def _merged_by_postgres(parts) -> list[tuple[str, int, int, int]]:
    """One query: per resource, ``range_agg`` merges what overlaps or touches."""
    selects, params = [], []
    by_kind = defaultdict(list)
    for kind, queryset in parts:
        by_kind[kind].append(queryset.query.sql_with_params())
    for kind, queries in by_kind.items():
        inner = " UNION ALL ".join(f"({sql})" for sql, _ in queries)
        # The ORM's own SQL, its parameters passed on: nothing from input is pasted in.
        selects.append(MERGED.format(inner=inner))
        params.append(kind)
        for _, part_params in queries:
            params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        return cursor.fetchall()


def _merged_in_python(parts) -> list[tuple[str, int, int, int]]:
    """The same answer from the rows themselves (SQLite has no range types), in one query."""
    labelled = [
        queryset.annotate(kind=Value(kind))
        .values_list("kind", *queryset.query.values_select)
        .order_by()
        for kind, queryset in parts
    ]
    rows = (
        labelled[0].union(*labelled[1:], all=True).order_by() if len(labelled) > 1 else labelled[0]
    )
    held = defaultdict(list)
    for kind, ref, a, b in rows:
        held[kind, ref].append((to_us(a), to_us(b)))
    rows = []
    for (kind, ref), pairs in held.items():
        pairs.sort()
        run_start, run_end = pairs[0]
        for a, b in pairs[1:]:
            if a <= run_end:
                run_end = max(run_end, b)
            else:
                rows.append((kind, ref, run_start, run_end))
                run_start, run_end = a, b
        rows.append((kind, ref, run_start, run_end))
    return rows
