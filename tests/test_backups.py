"""manage.py backup and restore: a backup of the demo clinic, restored into a fresh database,
holds every record and every photo; a non-empty database or a damaged archive is refused."""

import importlib
import os
import sqlite3
import stat
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from clinic import backups
from patients.models import Photo

# serialized_rollback: the flush at the end must not let post_migrate refill the content types
# under the next test that reloads them (the worker and concurrency tests).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROLE_MIGRATIONS = [
    ("clinic.migrations.0002_roles", "fill_roles"),
    ("clinic.migrations.0004_manager_keeps_schedules", "fill_manager_permissions"),
]


@pytest.fixture
def demo_clinic(settings):
    # A flush by an earlier transactional test removes the role groups the demo needs.
    for module, function in ROLE_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Photo.objects.exists()


def _source() -> backups.Database:
    return backups.Database.from_settings(connection.settings_dict)


def _counts_in_source() -> dict[str, int]:
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _assert_everything_restored(count_in_target, media_root: Path) -> None:
    expected = _counts_in_source()
    assert sum(expected.values()) > 100
    restored = {table: count_in_target(table) for table in expected}
    assert restored == expected
    photos = list(Photo.objects.all())
    assert photos
    for photo in photos:
        for field in (photo.image, photo.thumbnail):
            copy = media_root / "photos" / field.name
            assert copy.read_bytes() == Path(field.path).read_bytes()
            assert stat.S_IMODE(copy.stat().st_mode) == 0o600


def test_a_sqlite_backup_restores_every_record_and_photo(demo_clinic, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backup (the PostgreSQL one is below)")
    archive = backups.backup(
        database=_source(), media_root=Path(settings.MEDIA_ROOT), output=tmp_path / "out"
    )
    assert archive.name.startswith("exoclinic-") and archive.name.endswith("Z.tar.gz")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    target = tmp_path / "restored.sqlite3"
    media = tmp_path / "media"
    backups.restore(
        archive=archive,
        database=backups.Database(vendor="sqlite", name=str(target)),
        media_root=media,
    )
    restored = sqlite3.connect(target)
    _assert_everything_restored(
        lambda table: restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0],  # noqa: S608
        media,
    )
    restored.close()


@pytest.mark.postgres_only
def test_a_postgresql_backup_restores_every_record_and_photo_into_a_fresh_database(
    demo_clinic, tmp_path
):
    import psycopg2

    source = _source()
    archive = backups.backup(
        database=source, media_root=Path(settings.MEDIA_ROOT), output=tmp_path / "out"
    )
    fresh = f"{source.name}_restored"
    admin = psycopg2.connect(
        dbname="postgres", user=source.user, host=source.host, port=source.port or None
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    target = backups.Database(
        vendor="postgresql", name=fresh, user=source.user, host=source.host, port=source.port
    )
    media = tmp_path / "media"
    try:
        backups.restore(archive=archive, database=target, media_root=media)
        restored = psycopg2.connect(
            dbname=fresh, user=source.user, host=source.host, port=source.port or None
        )
        with restored.cursor() as cursor:

            def count(table):
                cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                return cursor.fetchone()[0]

            _assert_everything_restored(count, media)
        restored.close()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.close()


def test_restore_refuses_a_database_that_has_tables(tmp_path):
    archive = backups.backup(
        database=_source(), media_root=tmp_path / "none", output=tmp_path / "out"
    )
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(archive=archive, database=_source(), media_root=tmp_path / "media")
    assert not (tmp_path / "media").exists()


def test_restore_refuses_a_damaged_archive(tmp_path):
    archive = backups.backup(
        database=_source(), media_root=tmp_path / "none", output=tmp_path / "out"
    )
    with archive.open("ab") as stream:
        stream.write(b"\0")
    with pytest.raises(backups.BackupError, match="does not match its checksum"):
        backups.restore(
            archive=archive,
            database=backups.Database(vendor="sqlite", name=str(tmp_path / "new.sqlite3")),
            media_root=tmp_path / "media",
        )
    assert not (tmp_path / "new.sqlite3").exists()


def test_the_commands_write_and_refuse_as_the_operator_sees_them(tmp_path, capsys):
    call_command("backup", "--output", str(tmp_path))
    (archive,) = tmp_path.glob("*.tar.gz")
    checksum = tmp_path / (archive.name + ".sha256")
    assert checksum.read_text() == f"{backups.sha256_of(archive)}  {archive.name}\n"
    with tarfile.open(archive) as tar:
        assert "manifest.json" in tar.getnames()
    assert str(archive) in capsys.readouterr().out
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))
