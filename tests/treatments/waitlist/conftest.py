import datetime as dt

import pytest

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.scheduling.conftest import frozen, world  # noqa: F401
from tests.treatments.scheduling.factories import MONDAY, NOW
from treatments.services import waitlist


def portal_user(patient):
    user = UserFactory(role=Role.PATIENT, first_name=patient.first_name,
                       last_name=patient.last_name)
    patient.user = user
    patient.save(update_fields=["user"])
    return user


def join(patient, appointment_type, *, by=None, **wish):
    """``patient`` on the waitlist: the next two weeks, every day, 09:00-18:00, unless said."""
    fields = {
        "earliest": MONDAY,
        "latest": MONDAY + dt.timedelta(days=13),
        "weekdays": set(range(7)),
        "time_from": dt.time(9),
        "time_to": dt.time(18),
    } | wish
    return waitlist.waitlist_join(
        patient=patient,
        appointment_type=appointment_type,
        by=by or UserFactory(role=Role.FRONT_DESK),
        now=NOW,
        **fields,
    )


@pytest.fixture
def patient_client(client, world):  # noqa: F811
    user = portal_user(world.patient)
    client.force_login(user)
    client.user = user
    return client
