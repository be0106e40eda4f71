"""The intake's questions and which answers alert the clinic (docs/clinical-rules.md §Intake,
read with §Contraindication screen). Every case's id names the rule it checks. No database."""

from dataclasses import fields
from datetime import date

import pytest

from clinic.lib import intake
from clinic.lib.screening import ClinicPolicy, ScreenFacts

VISIT = date(2026, 12, 10)
TODAY = date(2026, 12, 1)
ALL_NO = dict.fromkeys(intake.REQUIRED, False)


DEFAULT = ClinicPolicy()


def blocks(policy=DEFAULT, **answers):
    found = intake.blocking_findings(
        {**ALL_NO, **answers}, reported_on=TODAY, visit_on=VISIT, policy=policy
    )
    return [f.code for f in found]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        pytest.param({}, [], id="intake: all no, nothing alerts"),
        pytest.param(
            {"active_infection_areas": ["face"]},
            ["active_infection"],
            id="contraindication screen: active skin infection in the area blocks needling",
        ),
        pytest.param(
            {"keloid_history": True}, ["keloid"], id="contraindication screen: keloid blocks"
        ),
        pytest.param(
            {"anticoagulant": True},
            ["anticoagulant"],
            id="contraindication screen: anticoagulant blocks",
        ),
        pytest.param(
            {"antiplatelet": True}, [], id="contraindication screen: antiplatelet is a caution only"
        ),
        pytest.param(
            {"last_sunburn_or_tan": date(2026, 12, 1)},
            ["recent_sun"],
            id="contraindication screen: sunburn within 2 weeks of the visit blocks",
        ),
        pytest.param(
            {"last_sunburn_or_tan": date(2026, 11, 1)},
            [],
            id="contraindication screen: sunburn 5 weeks before the visit does not",
        ),
        pytest.param(
            {"isotretinoin_last_taken": date(2026, 10, 1)},
            [],
            id="contraindication screen: isotretinoin is a caution by default",
        ),
        pytest.param(
            {"pregnant_or_breastfeeding": True},
            ["pregnancy"],
            id="contraindication screen: pregnancy blocks by default",
        ),
        pytest.param(
            {"immunosuppressed": True, "uncontrolled_diabetes": True},
            [],
            id="contraindication screen: immunosuppression and diabetes are cautions",
        ),
        pytest.param(
            {"lesion_areas": ["neck"]},
            ["lesion"],
            id="contraindication screen: an unassessed lesion blocks all routes there",
        ),
    ],
)
def test_which_answers_alert_the_dermatologist(answers, expected):
    assert blocks(**answers) == expected


def test_isotretinoin_blocks_where_the_clinic_says_so():
    assert blocks(ClinicPolicy(isotretinoin_blocks=True), isotretinoin_last_taken=date(2026, 10, 1))


def test_every_yes_no_question_must_be_answered_before_sending():
    """docs/clinical-rules.md §Intake: every yes/no question answered; others may be empty."""
    assert intake.unanswered(ALL_NO) == []
    missing = intake.unanswered({**ALL_NO, "keloid_history": None})
    assert [q.name for q in missing] == ["keloid_history"]
    assert {q.name for q in intake.unanswered({})} == intake.REQUIRED


def test_the_intake_asks_every_answer_of_the_screen():
    """Each of the screen's facts is asked, under its own name (so a confirmed intake is a
    screen answer for answer)."""
    asked = {q.name for q in intake.QUESTIONS}
    facts = {f.name for f in fields(ScreenFacts)} - {"screened_on"}
    assert facts <= asked
    assert len(asked) == len(intake.QUESTIONS)


def test_unanswered_counts_as_no_for_the_rules():
    facts = intake.facts({}, reported_on=TODAY)
    assert facts == ScreenFacts(screened_on=TODAY)
