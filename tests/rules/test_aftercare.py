"""Aftercare timing and pre-visit instructions (docs/clinical-rules.md §Aftercare).

Times are elapsed hours shown on the clinic's clock (Europe/London), tested across both 2026 DST
changes (29 March and 25 October). No database.
"""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from clinic.lib.aftercare import (
    AVOID,
    EXPECTED_EFFECTS,
    PRE_VISIT,
    SOOTHING,
    Aftercare,
    after_hours,
    aftercare_for,
    format_until,
)
from clinic.lib.vocabulary import Route

LONDON = ZoneInfo("Europe/London")
ENDED = datetime(2026, 6, 10, 14, 30, tzinfo=LONDON)  # a Wednesday, no DST change in reach


def until(care: Aftercare, key: str) -> datetime | None:
    return next(i.until for i in care.instructions if i.key == key)


def hours_of(care: Aftercare, key: str) -> float | None:
    end = until(care, key)
    return None if end is None else (end - care.ended_at).total_seconds() / 3600


def keys(care: Aftercare) -> list[str]:
    return [i.key for i in care.instructions]


# --- Durations per route -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "key", "hours"),
    [
        # docs/clinical-rules.md: "no makeup for 24-72 hours (microneedling and laser-assisted: 72
        # hours; topical: none needed)"; transdermal 24 h [practice]
        pytest.param(Route.MICRONEEDLING, "no_makeup", 72, id="makeup: microneedling 72 h"),
        pytest.param(Route.LASER_ASSISTED, "no_makeup", 72, id="makeup: laser-assisted 72 h"),
        pytest.param(Route.TRANSDERMAL, "no_makeup", 24, id="makeup: transdermal 24 h (practice)"),
        # docs/clinical-rules.md: "avoid direct sun and heat" [practice durations]
        pytest.param(Route.MICRONEEDLING, "avoid_sun_heat", 72, id="sun/heat: microneedling 72 h"),
        pytest.param(Route.LASER_ASSISTED, "avoid_sun_heat", 72, id="sun/heat: laser 72 h"),
        pytest.param(Route.TRANSDERMAL, "avoid_sun_heat", 24, id="sun/heat: transdermal 24 h"),
        pytest.param(Route.TOPICAL, "avoid_sun_heat", 24, id="sun/heat: topical 24 h"),
        # docs/clinical-rules.md: "avoid harsh products (vitamin C, retinols) and harsh chemicals"
        pytest.param(
            Route.MICRONEEDLING, "avoid_harsh_products", 72, id="harsh products: microneedling 72 h"
        ),
        pytest.param(
            Route.LASER_ASSISTED, "avoid_harsh_products", 72, id="harsh products: laser 72 h"
        ),
        pytest.param(
            Route.TRANSDERMAL, "avoid_harsh_products", 24, id="harsh products: transdermal 24 h"
        ),
        pytest.param(Route.TOPICAL, "avoid_harsh_products", 24, id="harsh products: topical 24 h"),
        # docs/clinical-rules.md: "no exfoliation" [practice durations]
        pytest.param(
            Route.MICRONEEDLING, "no_exfoliation", 168, id="exfoliation: microneedling 7 days"
        ),
        pytest.param(Route.LASER_ASSISTED, "no_exfoliation", 168, id="exfoliation: laser 7 days"),
        pytest.param(Route.TRANSDERMAL, "no_exfoliation", 72, id="exfoliation: transdermal 72 h"),
        pytest.param(Route.TOPICAL, "no_exfoliation", 24, id="exfoliation: topical 24 h"),
        # docs/clinical-rules.md: "use protective creams and clothing", "use soothing products":
        # ongoing
        pytest.param(Route.MICRONEEDLING, "sun_protection", None, id="sun protection: ongoing"),
        pytest.param(Route.TOPICAL, "soothing", None, id="soothing products: ongoing"),
    ],
)
def test_instruction_durations(route, key, hours):
    care = aftercare_for(route, ended_at=ENDED)
    assert hours_of(care, key) == hours


def test_topical_needs_no_makeup_rule():
    # docs/clinical-rules.md §Aftercare: "topical: none needed"
    assert "no_makeup" not in keys(aftercare_for(Route.TOPICAL, ended_at=ENDED))


@pytest.mark.parametrize("route", list(Route), ids=str)
def test_every_route_gets_the_full_sheet(route):
    # docs/clinical-rules.md §Aftercare: sun and heat, soothing, harsh products, exfoliation, what
    # to expect, when to call
    care = aftercare_for(route, ended_at=ENDED)
    assert {
        "avoid_sun_heat",
        "sun_protection",
        "avoid_harsh_products",
        "no_exfoliation",
        "soothing",
    } <= set(keys(care))
    assert care.route == route and care.ended_at == ENDED
    assert care.expected_effects == (
        "mild redness",
        "warmth or heat",
        "swelling",
        "itching",
        "tenderness",
    )
    assert care.soothing == SOOTHING == ("ceramides", "hyaluronic acid")
    assert care.avoid == AVOID == ("vitamin C", "retinols", "harsh chemicals")
    for instruction in care.instructions:
        if instruction.until is not None:  # the exact clock time is in the patient's text
            assert format_until(instruction.until) in instruction.text


def test_call_the_clinic_names_the_effects_and_the_time_72_hours_on():
    # docs/clinical-rules.md §Aftercare: "when to call the clinic (anything beyond them, or lasting
    # over 72 hours)"
    care = aftercare_for(Route.MICRONEEDLING, ended_at=ENDED)
    assert "Saturday 13 June, 14:30" in care.call_clinic_if
    for effect in EXPECTED_EFFECTS:
        assert effect in care.call_clinic_if


# --- Clock times: elapsed hours across DST -----------------------------------------------------


@pytest.mark.parametrize(
    ("ended", "hours", "expected"),
    [
        pytest.param(
            datetime(2026, 3, 28, 10, 0, tzinfo=LONDON),
            72,
            datetime(2026, 3, 31, 11, 0, tzinfo=LONDON),
            id="spring forward 29 Mar 2026: 72 h from 10:00 GMT is 11:00 BST",
        ),
        pytest.param(
            datetime(2026, 3, 29, 0, 30, tzinfo=LONDON),
            1,
            datetime(2026, 3, 29, 2, 30, tzinfo=LONDON),
            id="spring forward: one hour after 00:30 GMT is 02:30 BST",
        ),
        pytest.param(
            datetime(2026, 10, 24, 10, 0, tzinfo=LONDON),
            72,
            datetime(2026, 10, 27, 9, 0, tzinfo=LONDON),
            id="fall back 25 Oct 2026: 72 h from 10:00 BST is 09:00 GMT",
        ),
        pytest.param(
            datetime(2026, 10, 24, 18, 0, tzinfo=LONDON),
            24,
            datetime(2026, 10, 25, 17, 0, tzinfo=LONDON),
            id="fall back: 24 h from 18:00 BST is 17:00 GMT",
        ),
        pytest.param(
            datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
            1,
            datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
            id="fall back: one hour after 01:30 BST is the second 01:30 (GMT)",
        ),
        pytest.param(
            datetime(2026, 6, 10, 14, 30, tzinfo=LONDON),
            72,
            datetime(2026, 6, 13, 14, 30, tzinfo=LONDON),
            id="no DST change: same clock time",
        ),
    ],
)
def test_hours_are_elapsed_time_on_the_local_clock(ended, hours, expected):
    end = after_hours(ended, hours)
    assert end.tzinfo is LONDON
    assert end.replace(tzinfo=None) == expected.replace(tzinfo=None)
    assert end.utcoffset() == expected.utcoffset()  # the right side of the change
    assert end.astimezone(UTC) - ended.astimezone(UTC) == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("ended", "shown"),
    [
        pytest.param(
            datetime(2026, 3, 28, 10, 0, tzinfo=LONDON),
            "Tuesday 31 March, 11:00",
            id="spring 2026: no makeup 72 h after a microneedling session",
        ),
        pytest.param(
            datetime(2026, 10, 24, 10, 0, tzinfo=LONDON),
            "Tuesday 27 October, 09:00",
            id="autumn 2026: no makeup 72 h after a microneedling session",
        ),
    ],
)
def test_no_makeup_72_hours_across_dst(ended, shown):
    care = aftercare_for(Route.MICRONEEDLING, ended_at=ended)
    end = until(care, "no_makeup")
    assert end is not None and format_until(end) == shown
    assert end.tzinfo is LONDON
    assert f"until {shown} (72 hours)" in next(
        i.text for i in care.instructions if i.key == "no_makeup"
    )


def test_times_stay_in_the_zone_of_the_session_end():
    fixed = timezone(timedelta(hours=2))
    care = aftercare_for(Route.TRANSDERMAL, ended_at=datetime(2026, 6, 10, 9, 0, tzinfo=fixed))
    assert until(care, "no_makeup") == datetime(2026, 6, 11, 9, 0, tzinfo=fixed)
    assert until(care, "no_makeup").tzinfo is fixed  # type: ignore[union-attr]


def test_a_naive_end_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        aftercare_for(Route.TOPICAL, ended_at=datetime(2026, 6, 10, 14, 30))


def test_route_may_be_given_as_its_stored_value():
    assert aftercare_for("laser_assisted", ended_at=ENDED).route is Route.LASER_ASSISTED


@pytest.mark.parametrize(
    ("dt", "text"),
    [
        pytest.param(
            datetime(2024, 3, 14, 14, 30, tzinfo=LONDON),
            "Thursday 14 March, 14:30",
            id="the documented example",
        ),
        pytest.param(
            datetime(2026, 1, 5, 9, 5, tzinfo=LONDON),
            "Monday 5 January, 09:05",
            id="single-digit day, leading zero on the clock",
        ),
        pytest.param(
            datetime(2026, 12, 31, 23, 59, tzinfo=LONDON),
            "Thursday 31 December, 23:59",
            id="year end",
        ),
    ],
)
def test_format_until(dt, text):
    assert format_until(dt) == text


# --- Pre-visit (docs/clinical-rules.md §Aftercare: "Pre-visit instructions before needling")
# ---------------


@pytest.mark.parametrize(
    ("route", "must_mention"),
    [
        pytest.param(
            Route.MICRONEEDLING,
            ["retinoids", "3-5 days", "sunburn", "clean skin"],
            id="before microneedling: retinoids 3-5 days, no sunburn, clean skin",
        ),
        pytest.param(
            Route.LASER_ASSISTED,
            ["retinoids", "3-5 days", "sunburn", "clean skin"],
            id="before laser-assisted: retinoids 3-5 days, no sunburn, clean skin",
        ),
        pytest.param(Route.TOPICAL, ["clean skin"], id="before topical: clean skin"),
        pytest.param(Route.TRANSDERMAL, ["clean skin"], id="before transdermal: clean skin"),
    ],
)
def test_pre_visit(route, must_mention):
    text = " ".join(PRE_VISIT[route])
    for words in must_mention:
        assert words in text


@pytest.mark.parametrize("route", [Route.TOPICAL, Route.TRANSDERMAL], ids=str)
def test_no_needling_pre_visit_rules_for_non_needling_routes(route):
    assert not any("retinoid" in line for line in PRE_VISIT[route])


def test_pre_visit_covers_every_route_and_no_injection():
    assert set(PRE_VISIT) == set(Route)
    assert all("inject" not in route.value for route in PRE_VISIT)
