import pytest
from django.db import connection
from django.test import Client

from clinic.models import Role
from tests.factories import UserFactory
from tests.helpers import mark_second_factor_passed

ROLES = tuple(Role)


@pytest.fixture(autouse=True)
def force_login_passes_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a whole login, password and second step: staff
    sessions are marked as having proved their factor (tests.helpers.mark_second_factor_passed).
    ``force_login(user, second_factor=False)`` stops after the password, for the tests of the
    second step itself."""
    original = Client.force_login

    def force_login(self, user, backend=None, *, second_factor=True):
        original(self, user, backend)
        if second_factor:
            mark_second_factor_passed(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


def pytest_runtest_setup(item):
    """``@pytest.mark.postgres_only``: what only PostgreSQL has (exclusion constraints, say)."""
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def make_user(db):
    return UserFactory


@pytest.fixture
def derm(db):
    return UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart")


@pytest.fixture
def desk(db):
    return UserFactory(role=Role.FRONT_DESK)


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.MANAGER)


@pytest.fixture
def patient_user(db):
    return UserFactory(role=Role.PATIENT)


@pytest.fixture
def client_for(db):
    """client_for(role): a client signed in as a new user of that role (None: anonymous)."""

    def make(role: Role | None, **user_fields) -> Client:
        client = Client()
        if role is not None:
            client.force_login(UserFactory(role=role, **user_fields))
        return client

    return make
