"""Aftercare for one session, with exact clock times, and pre-visit instructions.

docs/clinical-rules.md §Aftercare [skin, "Post-Treatment Care"]: for the patient, per session, "with
the exact clock times computed from when the session ended". docs/clinical-rules.md fixes the makeup
split; the other durations are [practice] choices, set conservatively in ``_RULES`` below.

Time: "72 hours" is elapsed time, because skin heals in elapsed time, not by the wall clock. A
session ending at 10:00 on Saturday 28 March 2026 in London (GMT) is followed 72 hours later at
11:00 BST on Tuesday 31 March, not at 10:00. The arithmetic is done in UTC and shown in the
session's own zone (``ended_at``'s tzinfo, the clinic's zone).

Plain Python: no database, no models.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from clinic.lib.screening import join_and
from clinic.lib.vocabulary import NEEDLING_ROUTES, Route

#: "what is expected" [skin, "Safety, Efficacy, and Clinical Evidence"].
EXPECTED_EFFECTS: tuple[str, ...] = (
    "mild redness",
    "warmth or heat",
    "swelling",
    "itching",
    "tenderness",
)
#: "use soothing products (ceramides, hyaluronic acid)".
SOOTHING: tuple[str, ...] = ("ceramides", "hyaluronic acid")
#: "avoid harsh products (vitamin C, retinols) and harsh chemicals".
AVOID: tuple[str, ...] = ("vitamin C", "retinols", "harsh chemicals")
#: "when to call the clinic (anything beyond them, or lasting over 72 hours)".
CALL_IF_LASTING_HOURS = 72


@dataclass(frozen=True, slots=True, kw_only=True)
class Instruction:
    key: str
    text: str
    #: When the instruction ends (aware, in the zone of the session's end); None = ongoing.
    until: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Aftercare:
    route: Route
    ended_at: datetime
    instructions: tuple[Instruction, ...]
    expected_effects: tuple[str, ...]
    call_clinic_if: str
    soothing: tuple[str, ...]
    avoid: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Rule:
    """One aftercare instruction and, per route, how many hours it lasts.

    A route missing from ``hours`` gets no such instruction; ``hours`` None = ongoing advice.
    ``text`` is completed with "until <time>" when the instruction has an end.
    """

    key: str
    text: str
    hours: dict[Route, int] | None


def _per_route(*, needling: int, transdermal: int, topical: int | None) -> dict[Route, int]:
    hours = dict.fromkeys(NEEDLING_ROUTES, needling)
    hours[Route.TRANSDERMAL] = transdermal
    if topical is not None:
        hours[Route.TOPICAL] = topical
    return hours


_RULES: tuple[_Rule, ...] = (
    # docs/clinical-rules.md: "no makeup for 24-72 hours (microneedling and laser-assisted: 72
    # hours; topical: none needed)". Transdermal is not named: 24 h, the low end of 24-72 h
    # [practice], as it leaves the skin barrier intact.
    _Rule(
        key="no_makeup",
        text="No makeup",
        hours=_per_route(needling=72, transdermal=24, topical=None),
    ),
    # docs/clinical-rules.md: "avoid direct sun and heat". [practice] As long as the makeup rule on
    # needled skin (72 h: its channels are open); 24 h after transdermal and topical, the day of
    # treatment.
    _Rule(
        key="avoid_sun_heat",
        text="Avoid direct sun and heat (sunbathing, saunas, steam rooms, hot baths, hot yoga, "
        "hard exercise)",
        hours=_per_route(needling=72, transdermal=24, topical=24),
    ),
    # docs/clinical-rules.md: "use protective creams and clothing": sun protection never ends.
    _Rule(
        key="sun_protection",
        text="Protect the treated skin from the sun every day: a broad-spectrum SPF 30+ cream "
        "and protective clothing",
        hours=None,
    ),
    # docs/clinical-rules.md: "avoid harsh products (vitamin C, retinols) and harsh chemicals", and
    # [skin] "for up to 24-72 hours": the top of that range after needling, the bottom otherwise.
    _Rule(
        key="avoid_harsh_products",
        text="No vitamin C, retinols (retinol, tretinoin, adapalene), acids or other harsh "
        "chemicals on the treated skin",
        hours=_per_route(needling=72, transdermal=24, topical=24),
    ),
    # docs/clinical-rules.md: "no exfoliation", no duration. [practice] A week after needling, until
    # the micro-channels have closed and the surface has renewed; 72 h after transdermal, 24 h after
    # topical so as not to scrub the product away.
    _Rule(
        key="no_exfoliation",
        text="No exfoliation: no scrubs, peels, exfoliating acids, brushes or facial devices",
        hours=_per_route(needling=7 * 24, transdermal=72, topical=24),
    ),
    _Rule(
        key="soothing",
        text=f"Use soothing products such as {join_and(SOOTHING)}",
        hours=None,
    ),
)

#: docs/clinical-rules.md §Aftercare: "Pre-visit instructions before needling [practice]: stop
#: retinoids 3-5 days before, no sunburn, come with clean skin". Topical and transdermal need clean
#: skin only.
_CLEAN_SKIN = "Come with clean skin: no makeup, creams or sunscreen on the area to be treated"
_NEEDLING_PRE_VISIT: tuple[str, ...] = (
    "Stop retinoids (retinol, tretinoin, adapalene) 3-5 days before your visit",
    "Avoid sunburn and tanning: sunburnt or tanned skin cannot be needled for 2 weeks",
    # docs/clinical-rules.md §Contraindication screen: "chemical peel or laser in the last 2 weeks"
    # blocks.
    "No chemical peel or laser treatment in the 2 weeks before your visit",
    _CLEAN_SKIN,
)
PRE_VISIT: dict[Route, tuple[str, ...]] = {
    Route.TOPICAL: (_CLEAN_SKIN,),
    Route.TRANSDERMAL: (_CLEAN_SKIN,),
    Route.MICRONEEDLING: _NEEDLING_PRE_VISIT,
    Route.LASER_ASSISTED: _NEEDLING_PRE_VISIT,
}

# English names, so that the patient's sheet does not depend on the server's locale.
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def after_hours(ended_at: datetime, hours: int) -> datetime:
    """``hours`` of elapsed time after ``ended_at``, on the local clock of ``ended_at``'s zone.

    Python's ``aware + timedelta`` moves the wall clock and keeps the zone, so across a DST change
    it would be an hour off the elapsed time; going through UTC is not.
    """
    return (ended_at.astimezone(UTC) + timedelta(hours=hours)).astimezone(ended_at.tzinfo)


def format_until(dt: datetime) -> str:
    """'Thursday 14 March, 14:30': day, date and 24-hour local time, in ``dt``'s own zone."""
    return f"{_DAYS[dt.weekday()]} {dt.day} {_MONTHS[dt.month - 1]}, {dt:%H:%M}"


def _duration(hours: int) -> str:
    return f"{hours // 24} days" if hours % 24 == 0 and hours > 72 else f"{hours} hours"


def aftercare_for(route: Route, *, ended_at: datetime) -> Aftercare:
    """The aftercare sheet for a session of ``route`` that ended at ``ended_at``.

    ``ended_at`` must be timezone-aware, in the clinic's zone: the times the patient reads are
    computed from it and shown on its local clock.
    """
    if ended_at.tzinfo is None or ended_at.utcoffset() is None:
        raise ValueError("ended_at must be timezone-aware (the clinic's zone)")
    route = Route(route)
    instructions = []
    for rule in _RULES:
        if rule.hours is None:
            instructions.append(Instruction(key=rule.key, text=rule.text, until=None))
        elif route in rule.hours:
            until = after_hours(ended_at, rule.hours[route])
            text = f"{rule.text} until {format_until(until)} ({_duration(rule.hours[route])})"
            instructions.append(Instruction(key=rule.key, text=text, until=until))
    call_after = after_hours(ended_at, CALL_IF_LASTING_HOURS)
    return Aftercare(
        route=route,
        ended_at=ended_at,
        instructions=tuple(instructions),
        expected_effects=EXPECTED_EFFECTS,
        call_clinic_if=(
            f"Call the clinic if you notice anything beyond {join_and(EXPECTED_EFFECTS)} "
            "(for example blisters, signs of infection, severe or lasting swelling, a change in "
            "skin colour or an allergic reaction), or if these effects last beyond "
            f"{format_until(call_after)} ({CALL_IF_LASTING_HOURS} hours)"
        ),
        soothing=SOOTHING,
        avoid=AVOID,
    )
