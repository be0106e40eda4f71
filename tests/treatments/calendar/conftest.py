import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from tests.factories import RoomFactory
from tests.treatments.calendar.factories import LONDON, open_clinic, practitioner

#: Monday 15 June 2026, 08:00 in London (BST): the calendar's "today" in these tests.
NOW = dt.datetime(2026, 6, 15, 7, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def clinic(db, frozen):
    """Open 09:00-18:00 every day; Dr Hart works 09-17, Dr Mehta 12-18; two procedure rooms."""
    return SimpleNamespace(
        settings=open_clinic(),
        hart=practitioner("Amelia", "Hart"),
        mehta=practitioner("Rohan", "Mehta", starts=dt.time(12), ends=dt.time(18)),
        room_a=RoomFactory(
            name="Treatment room A",
            routes=["topical", "transdermal", "microneedling", "laser_assisted"],
        ),
        room_b=RoomFactory(name="Treatment room B", routes=["topical"]),
        tz=LONDON,
    )
