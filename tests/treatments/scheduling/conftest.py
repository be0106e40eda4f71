import pytest
import time_machine

from tests.treatments.scheduling.factories import NOW, make_clinic


@pytest.fixture
def frozen():
    """Monday 15 June 2026, 08:00 in London."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, frozen):
    return make_clinic()
