"""The intake: the contraindication screen asked of the patient, in plain words, before the visit.

docs/clinical-rules.md §Intake. Each question of ``QUESTIONS`` asks one answer of the screen
(docs/clinical-rules.md §Contraindication screen) in the patient's words, under the screen's own
field name, so that a confirmed intake becomes a screen answer for answer. What the patient
reports is only read by the rules once a dermatologist has confirmed it; before that,
``blocking_findings`` says whether an answer would stop treatment, so that the clinic hears of it
at once.

Plain Python: no database, no models.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clinic.lib.screening import ClinicPolicy, Finding, Level, ScreenFacts, screen_findings
from clinic.lib.vocabulary import Allergen, Area


class Ask(StrEnum):
    YES_NO = "yes_no"
    AREAS = "areas"  # where on the body, if anywhere
    DATE = "date"  # when, if ever: the rules measure windows from it
    ALLERGENS = "allergens"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Question:
    name: str  # the screen's field
    ask: Ask
    text: str
    help: str = ""


WHEN_HELP = "If you only remember the month, choose the first of that month. Leave empty if never."

#: In the order the patient is asked, grouped as the page shows them.
GROUPS: tuple[tuple[str, tuple[Question, ...]], ...] = (
    (
        "Your skin now",
        (
            Question(
                "active_infection_areas",
                Ask.AREAS,
                "Do you have a skin infection now, such as a cold sore, impetigo or a fungal "
                "rash? Tick where.",
                "Leave all unticked if you have none.",
            ),
            Question(
                "inflammatory_flare_areas",
                Ask.AREAS,
                "Is eczema, psoriasis, rosacea or red, inflamed acne flaring up now? Tick where.",
                "Leave all unticked if not.",
            ),
            Question(
                "lesion_areas",
                Ask.AREAS,
                "Do you have skin cancer, or a mole or spot that a doctor has not checked yet? "
                "Tick where.",
                "Leave all unticked if not.",
            ),
        ),
    ),
    (
        "Medicines and health",
        (
            Question(
                "isotretinoin_last_taken",
                Ask.DATE,
                "When did you last take isotretinoin (Roaccutane, Accutane) tablets for acne?",
                WHEN_HELP,
            ),
            Question(
                "anticoagulant",
                Ask.YES_NO,
                "Do you take a blood thinner such as warfarin, apixaban, rivaroxaban, edoxaban "
                "or dabigatran?",
            ),
            Question("antiplatelet", Ask.YES_NO, "Do you take aspirin or clopidogrel regularly?"),
            Question(
                "bleeding_disorder",
                Ask.YES_NO,
                "Do you have a condition that makes you bleed or bruise easily, such as "
                "haemophilia?",
            ),
            Question(
                "keloid_history",
                Ask.YES_NO,
                "Have you ever had raised, thick scars (keloids) after a cut, a piercing or "
                "surgery?",
            ),
            Question(
                "immunosuppressed",
                Ask.YES_NO,
                "Do you have a condition, or take a medicine, that weakens your immune system "
                "(such as steroid tablets, chemotherapy or transplant medicines)?",
            ),
            Question(
                "uncontrolled_diabetes",
                Ask.YES_NO,
                "Do you have diabetes that is not well controlled at the moment?",
            ),
            Question("pregnant_or_breastfeeding", Ask.YES_NO, "Are you pregnant or breastfeeding?"),
            Question(
                "current_medications",
                Ask.TEXT,
                "Which medicines, creams or supplements do you take?",
                "Leave empty if none.",
            ),
        ),
    ),
    (
        "Sun and earlier treatments",
        (
            Question(
                "last_sunburn_or_tan",
                Ask.DATE,
                "When did you last get sunburnt or tanned (in the sun or on a sunbed)?",
                WHEN_HELP,
            ),
            Question(
                "last_peel_or_laser",
                Ask.DATE,
                "When did you last have a chemical peel or a laser treatment?",
                WHEN_HELP,
            ),
        ),
    ),
    (
        "Allergies",
        (
            Question(
                "allergens",
                Ask.ALLERGENS,
                "Are you allergic to any of these?",
                "Leave all unticked if not.",
            ),
            Question("other_allergies", Ask.TEXT, "Any other allergies?", "Leave empty if none."),
        ),
    ),
)

QUESTIONS: tuple[Question, ...] = tuple(q for _, questions in GROUPS for q in questions)
#: The questions a submitted intake must answer: yes or no (a date, an area or a text may be
#: left empty, which means never, nowhere or none).
REQUIRED: frozenset[str] = frozenset(q.name for q in QUESTIONS if q.ask == Ask.YES_NO)


def unanswered(answers: Mapping[str, object]) -> list[Question]:
    """The yes/no questions still without an answer (None), in the page's order."""
    return [q for q in QUESTIONS if q.name in REQUIRED and answers.get(q.name) is None]


def facts(answers: Mapping[str, object], *, reported_on: date) -> ScreenFacts:
    """The patient's answers as the screening rules read them (unanswered: no)."""

    def areas(name):
        return frozenset(Area(a) for a in answers.get(name) or ())

    return ScreenFacts(
        screened_on=reported_on,
        active_infection_areas=areas("active_infection_areas"),
        isotretinoin_last_taken=answers.get("isotretinoin_last_taken"),
        keloid_history=bool(answers.get("keloid_history")),
        bleeding_disorder=bool(answers.get("bleeding_disorder")),
        anticoagulant=bool(answers.get("anticoagulant")),
        antiplatelet=bool(answers.get("antiplatelet")),
        inflammatory_flare_areas=areas("inflammatory_flare_areas"),
        last_sunburn_or_tan=answers.get("last_sunburn_or_tan"),
        last_peel_or_laser=answers.get("last_peel_or_laser"),
        pregnant_or_breastfeeding=bool(answers.get("pregnant_or_breastfeeding")),
        immunosuppressed=bool(answers.get("immunosuppressed")),
        uncontrolled_diabetes=bool(answers.get("uncontrolled_diabetes")),
        lesion_areas=areas("lesion_areas"),
        allergens=frozenset(Allergen(a) for a in answers.get("allergens") or ()),
    )


def blocking_findings(
    answers: Mapping[str, object], *, reported_on: date, visit_on: date, policy: ClinicPolicy
) -> list[Finding]:
    """The screen's blocks that the patient's answers would raise for a visit on ``visit_on``
    (docs/clinical-rules.md §Intake: such an answer alerts the responsible dermatologist)."""
    found = screen_findings(facts(answers, reported_on=reported_on), policy=policy, on=visit_on)
    return [f for f in found if f.level == Level.BLOCKED]
