import importlib

import pytest

from tests.browser.conftest import DATA_MIGRATIONS


@pytest.fixture
def committed(transactional_db):
    """A database whose rows other threads and the task worker see as they are written.

    A transactional test flushes the database when it ends, role groups included: the data
    migrations' rows are put back first, as the browser tests do.
    """
    from django.apps import apps

    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
