import pytest
import time_machine

from tests.treatments.online_booking.factories import NOW


@pytest.fixture(autouse=True)
def frozen(request):
    """Monday 15 June 2026, 08:00 in London (the race tests run on the real clock)."""
    if "committed" in request.fixturenames or "live_server" in request.fixturenames:
        yield None
        return
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
