"""The skin report rule, table-driven (docs/clinical-rules.md §Treatment session and "Aftercare").

Expected: mild redness, warmth or heat, swelling, itching, tenderness. Call the clinic for
"anything beyond them, or lasting over 72 hours".
"""

import pytest

from treatments.services.portal import beyond_expected, since_text, worklist_item_title

NONE = dict.fromkeys(("redness", "warmth", "swelling", "itching", "tenderness"), "none")


def answers(**given):
    return {**NONE, "anything_else": "", **given}


@pytest.mark.parametrize(
    ("given", "hours", "beyond", "reasons"),
    [
        # Nothing at all, at any time: expected.
        ({}, 2, False, []),
        ({}, 150, False, []),
        # docs/clinical-rules.md: the expected effects, mild or moderate, within 72 hours.
        ({"redness": "mild", "warmth": "mild", "itching": "mild"}, 24, False, []),
        ({"swelling": "moderate", "tenderness": "moderate"}, 48, False, []),
        ({"redness": "moderate"}, 72, False, []),  # "over 72 hours": 72 itself is not over
        # Severe is beyond the expected ("mild redness ..."), however soon.
        ({"swelling": "severe"}, 2, True, ["severe swelling"]),
        ({"warmth": "severe"}, 30, True, ["severe warmth or heat"]),
        (
            {"redness": "severe", "itching": "severe"},
            10,
            True,
            ["severe redness", "severe itching"],
        ),
        # Lasting over 72 hours: any effect still there.
        ({"redness": "mild"}, 72.5, True, ["mild redness lasting over 72 hours"]),
        ({"tenderness": "moderate"}, 100, True, ["moderate tenderness lasting over 72 hours"]),
        (
            {"swelling": "severe", "itching": "mild"},
            96,
            True,
            ["severe swelling lasting over 72 hours", "mild itching lasting over 72 hours"],
        ),
        # Anything else the patient notices is beyond them.
        (
            {"anything_else": "small blisters on the cheek"},
            5,
            True,
            ["something else: small blisters on the cheek"],
        ),
        ({"anything_else": "   "}, 5, False, []),
    ],
)
def test_beyond_expected_follows_domain_rules(given, hours, beyond, reasons):
    assert beyond_expected(answers(**given), hours_since_session=hours) == (beyond, reasons)


def test_unknown_intensity_is_refused():
    with pytest.raises(ValueError):
        beyond_expected(answers(redness="extreme"), hours_since_session=1)


@pytest.mark.parametrize(
    ("hours", "text"),
    [(0.5, "less than an hour"), (1, "1 hour"), (5.9, "5 hours"), (24, "1 day"), (50, "2 days")],
)
def test_since_text(hours, text):
    assert since_text(hours) == text


def test_worklist_item_title_names_patient_reasons_time_and_route():
    title = worklist_item_title(
        patient_name="Olivia Bennett", reasons=["severe swelling"], hours=50, route="microneedling"
    )
    assert title == "Olivia Bennett reports severe swelling 2 days after the microneedling session"


def test_worklist_item_title_keeps_free_text_out_and_fits_the_field():
    title = worklist_item_title(
        patient_name="Olivia Bennett",
        reasons=["severe redness", "something else: " + "x" * 500],
        hours=3,
        route="laser_assisted",
    )
    assert "xxx" not in title
    assert "severe redness and something else 3 hours after the laser-assisted infusion" in title
    long = worklist_item_title(
        patient_name="A" * 190, reasons=["severe swelling"], hours=3, route="topical"
    )
    assert len(long) == 200 and long.endswith("…")


def test_worklist_item_title_puts_severe_first_and_leaves_lasting_to_the_time():
    _, reasons = beyond_expected(
        answers(redness="moderate", swelling="severe", tenderness="mild"), hours_since_session=80
    )
    title = worklist_item_title(
        patient_name="Amara Okafor", reasons=reasons, hours=80, route="microneedling"
    )
    assert title == (
        "Amara Okafor reports severe swelling, moderate redness and mild tenderness "
        "3 days after the microneedling session"
    )
