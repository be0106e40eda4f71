import pytest

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.scheduling.conftest import frozen, world  # noqa: F401


@pytest.fixture
def patient_client(client, world):  # noqa: F811
    """The world's patient, signed in to their portal."""
    patient = world.patient
    user = UserFactory(
        role=Role.PATIENT, first_name=patient.first_name, last_name=patient.last_name
    )
    patient.user = user
    patient.save(update_fields=["user"])
    client.force_login(user)
    client.user = user
    return client
