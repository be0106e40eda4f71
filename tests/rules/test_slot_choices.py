"""Free times as a patient chooses them: the same practitioner first (clinic/lib/slots/choices.py,
docs/clinical-rules.md §Who may book what). No database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from clinic.lib.slots import Slot
from clinic.lib.slots.choices import patient_choices

LONDON = ZoneInfo("Europe/London")


def slot(hour, practitioners, rooms=("A",)):
    start = dt.datetime(2026, 12, 8, hour, tzinfo=LONDON)
    return Slot(
        start=start,
        end=start + dt.timedelta(minutes=75),
        practitioner_ids=tuple(practitioners),
        room_ids=tuple(rooms),
    )


@pytest.mark.parametrize(
    ("found", "preferred", "same", "others"),
    [
        pytest.param([], "hart", [], [], id="nothing free"),
        pytest.param(
            [slot(9, ["hart", "mehta"])],
            "hart",
            [(9, "hart")],
            [],
            id="the same practitioner is free: only with them",
        ),
        pytest.param(
            [slot(9, ["mehta", "hart"])],
            "hart",
            [(9, "hart")],
            [],
            id="the same practitioner first, whatever the slot's order",
        ),
        pytest.param(
            [slot(9, ["mehta"])],
            "hart",
            [],
            [(9, "mehta")],
            id="the same practitioner is busy: another one",
        ),
        pytest.param(
            [slot(9, ["mehta", "lee"])],
            None,
            [],
            [(9, "mehta")],
            id="no preference: the first practitioner free",
        ),
        pytest.param(
            [slot(9, ["hart"]), slot(10, ["mehta"]), slot(11, ["hart", "mehta"])],
            "hart",
            [(9, "hart"), (11, "hart")],
            [(10, "mehta")],
            id="a day's times split, each in time order",
        ),
        pytest.param([slot(9, [])], "hart", [], [], id="a slot with no practitioner is skipped"),
    ],
)
def test_patient_choices(found, preferred, same, others):
    got_same, got_others = patient_choices(found, preferred=preferred)
    assert [(c.start.hour, c.practitioner_id) for c in got_same] == same
    assert [(c.start.hour, c.practitioner_id) for c in got_others] == others
    assert all(c.preferred for c in got_same) and not any(c.preferred for c in got_others)


def test_a_choice_takes_the_slots_preferred_room():
    (choice,), _ = patient_choices([slot(9, ["hart"], rooms=("B", "A"))], preferred="hart")
    assert choice.room_id == "B"
