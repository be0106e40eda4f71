"""Free times as the booking pages list them: grouped by the clinic's local day, one option per
start and free practitioner (in the slot's preferred room), each a link that chooses it."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from clinic.lib import slots
from clinic.models import Room, StaffProfile
from treatments.services.availability import Resources

#: Free times shown per day in a search over several days; one day shows up to ONE_DAY_MAX.
PER_DAY = 12
ONE_DAY_MAX = 120


@dataclass(frozen=True, slots=True)
class SlotOption:
    start: dt.datetime
    end: dt.datetime
    practitioner: StaffProfile
    room: Room
    url: str


@dataclass(frozen=True, slots=True)
class SlotDay:
    day: dt.date
    options: list[SlotOption]
    hidden: int
    all_url: str
    #: The options as the page lists them, one link each (written here: a search lists hundreds,
    #: and the template language took half the page's time to write them).
    buttons: SafeString


def option_buttons(options: list[SlotOption], tz: dt.tzinfo) -> SafeString:
    """Each option as a list item with its link: the time on the clinic's clock, the
    practitioner and the room, every value escaped."""
    return format_html_join(
        "\n",
        '<li><a class="btn btn-outline-primary btn-sm" href="{}">{} · {} · {}</a></li>',
        (
            (option.url, f"{option.start.astimezone(tz):%H:%M}",
             option.practitioner.display_name, option.room.name)
            for option in options
        ),
    )


def slot_days(
    found: list[slots.Slot],
    resources: Resources,
    *,
    link: Callable[[dt.datetime, int, int], str],
    day_link: Callable[[dt.date], str],
    one_day: bool,
) -> tuple[list[SlotDay], int]:
    """Free times grouped by local day, and how many there are. A search over several days
    shows the first PER_DAY of each day with a link to the whole day."""
    cap = ONE_DAY_MAX if one_day else PER_DAY
    days: dict[dt.date, list] = {}
    for slot in found:
        local = slot.start.astimezone(resources.tz)
        for practitioner_id in slot.practitioner_ids:
            days.setdefault(local.date(), []).append((slot, practitioner_id))
    result, total = [], 0
    for day, pairs in days.items():
        options = [
            SlotOption(
                start=slot.start,
                end=slot.end,
                practitioner=resources.staff[practitioner_id],
                room=resources.room_records[slot.room_ids[0]],
                url=link(slot.start, practitioner_id, slot.room_ids[0]),
            )
            for slot, practitioner_id in pairs[:cap]
        ]
        total += len(pairs)
        result.append(
            SlotDay(day, options, len(pairs) - len(options), day_link(day),
                    option_buttons(options, resources.tz))
        )
    return result, total


def with_query(base: str, params: dict, anchor: str = "") -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}{anchor}" if query else base + anchor


def search_params(data: dict, keys) -> dict:
    """A search's cleaned values as query parameters."""
    params = {}
    for key in keys:
        value = data.get(key)
        if isinstance(value, dt.date):
            params[key] = value.isoformat()
        else:
            params[key] = str(value.pk) if value is not None else ""
    return params
