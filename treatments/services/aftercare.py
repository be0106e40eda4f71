"""The aftercare a session's patient is given, kept with the session.

docs/clinical-rules.md §Aftercare: per session, "with the exact clock times computed from when the
session ended". The times are computed by clinic/lib/aftercare.py from the session's recorded end,
on the clinic's clock; this module turns them into the snapshot kept on
``TreatmentSession.aftercare`` (never recomputed), with the manager's current wording for the
route, and queues the aftercare email.

The snapshot::

    {"route": "microneedling", "route_label": "Microneedling",
     "zone": "Europe/London",
     "ended_at": "2026-03-09T14:30:00+00:00",       # ISO, on the clinic's clock
     "ended_text": "Monday 9 March 2026, 14:30",
     "instructions": [{"key": "no_makeup",
                       "text": "No makeup until Thursday 12 March, 14:30 (72 hours)",
                       "until": "2026-03-12T14:30:00+00:00",   # or null: ongoing advice
                       "until_text": "Thursday 12 March, 14:30"}, ...],
     "expected_effects": ["mild redness", ...], "call_clinic_if": "Call the clinic if ...",
     "soothing": ["ceramides", "hyaluronic acid"], "avoid": ["vitamin C", ...],
     "text_version": 2}                                # the manager's AftercareText version

and ``TreatmentSession.aftercare_text`` keeps the manager's wording of that version.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from clinic.lib.aftercare import Aftercare, aftercare_for, format_until
from clinic.lib.vocabulary import Route
from treatments.models import AftercareText, Appointment, MessageKind, TreatmentSession


def _long(moment: dt.datetime) -> str:
    """'Monday 9 March 2026, 14:30' on the moment's own clock."""
    day, time = format_until(moment).rsplit(", ", 1)
    return f"{day} {moment.year}, {time}"


def aftercare_snapshot(care: Aftercare, *, text: AftercareText | None) -> dict:
    """The aftercare as it is kept with the session (see the module's docstring)."""
    return {
        "route": care.route.value,
        "route_label": care.route.label,
        "zone": str(care.ended_at.tzinfo),
        "ended_at": care.ended_at.isoformat(),
        "ended_text": _long(care.ended_at),
        "instructions": [
            {
                "key": item.key,
                "text": item.text,
                "until": item.until.isoformat() if item.until else None,
                "until_text": format_until(item.until) if item.until else "",
            }
            for item in care.instructions
        ],
        "expected_effects": list(care.expected_effects),
        "call_clinic_if": care.call_clinic_if,
        "soothing": list(care.soothing),
        "avoid": list(care.avoid),
        "text_version": text.version if text else None,
    }


def aftercare_keep(session: TreatmentSession, *, zone: ZoneInfo) -> None:
    """Compute the session's aftercare from its recorded end on the clinic's clock, and put it
    on the session with the manager's current text for the route (the caller saves)."""
    route = Route(session.plan.route)
    text = AftercareText.current(route)
    ended_at = timezone.localtime(session.ended_at, zone)
    session.aftercare = aftercare_snapshot(aftercare_for(route, ended_at=ended_at), text=text)
    session.aftercare_text = text.text if text else ""


def aftercare_queue(appointment: Appointment) -> None:
    """Queue the aftercare email; it goes once the transaction that completes the session has
    committed."""
    # treatments.services.messaging sends the patient's emails; imported here, when needed.
    from treatments.services import messaging

    messaging.queue_message(appointment=appointment, kind=MessageKind.AFTERCARE)
