import pytest
from django.db import connection
from django.test import Client

from clinic.models import Role
from tests.factories import UserFactory
from tests.helpers import mark_second_factor_passed

ROLES = tuple(Role)


def pytest_addoption(parser):
    parser.addoption(
        "--fake-now",
        metavar="ISO-DATETIME",
        help="run the whole suite as if it were then (say 2027-03-28T20:30+01:00): a test whose "
        "outcome depends on today's date fails, and should freeze its own time",
    )


def pytest_configure(config):
    fake_now = config.getoption("--fake-now")
    if fake_now:
        import datetime as dt

        import time_machine

        config._fake_now = time_machine.travel(dt.datetime.fromisoformat(fake_now), tick=True)
        config._fake_now.start()


def pytest_unconfigure(config):
    if getattr(config, "_fake_now", None) is not None:
        config._fake_now.stop()


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
def committed(transactional_db, django_db_serialized_rollback):
    """Committed data that other threads' connections and the task worker see as it is written.

    The test flushes the database when it ends; the serialized rollback puts back what the
    migrations wrote (the role groups and their permissions) for the tests that follow.
    """


@pytest.fixture
def latest_migrations_after(committed):
    """For a test that migrates back and forth: when it ends, the database is migrated forward to
    every app's latest migration again, so that the tests after it find every table and column
    (a test's "after" migration is the latest only until someone adds one)."""
    from django.db.migrations.executor import MigrationExecutor

    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


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


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """Each test starts with no texts sent, as Django empties mail.outbox."""
    from treatments.services import sms

    sms.outbox.clear()


@pytest.fixture(autouse=True)
def empty_busy_cache():
    """Each test starts with nothing cached of the slot finder's busy time: a rolled-back test's
    ids come back in the next (SQLite reuses them), and its cached days must not."""
    from django.core.cache import caches

    caches["busy"].clear()
