from tests.treatments.scheduling.conftest import frozen, world  # noqa: F401
