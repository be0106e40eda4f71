import datetime as dt

import pytest
import time_machine

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    """Tuesday 1 December 2026, 09:00 UTC, with the clock still."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limits(settings):
    """The session limits production has."""
    settings.STAFF_IDLE_MINUTES = 30
    settings.STAFF_SESSION_HOURS = 12
    settings.PATIENT_IDLE_MINUTES = 30
    return settings
