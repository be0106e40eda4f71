import pytest
import time_machine

from tests.treatments.reports.factories import NOW, small_clinic


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def world(db, frozen):
    return small_clinic()
