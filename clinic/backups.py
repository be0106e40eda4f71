"""Backups: the database, dumped by its own tool, and the media files (clinical photos), in one
dated archive with a SHA-256 checksum beside it; and the way back onto an empty database.

An archive holds ``manifest.json`` (when, which database, every file's checksum), the dump
(``database.pgdump``, pg_dump's custom format, or ``database.sqlite3``, a copy made with
SQLite's online backup API) and ``media/``. ``ARCHIVE.sha256`` reads as ``sha256sum -c``
expects. Archives and restored photos are readable by the app's user only: they are health
records.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

FORMAT = 1
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    """Something that stops a backup or a restore, said so that the operator can act on it."""


@dataclass(frozen=True)
class Database:
    """The parts of a Django DATABASES entry a dump and a restore need."""

    vendor: str  # "postgresql" or "sqlite"
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, entry: dict) -> "Database":
        engine = entry["ENGINE"]
        if engine.endswith("postgresql"):
            vendor = "postgresql"
        elif engine.endswith("sqlite3"):
            vendor = "sqlite"
        else:
            raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")
        return cls(
            vendor=vendor,
            name=str(entry["NAME"]),
            user=entry.get("USER") or "",
            password=entry.get("PASSWORD") or "",
            host=entry.get("HOST") or "",
            port=str(entry.get("PORT") or ""),
        )

    def pg_args(self) -> list[str]:
        args = ["--dbname", self.name]
        pairs = (("--host", self.host), ("--port", self.port), ("--username", self.user))
        for flag, value in pairs:
            if value:
                args += [flag, value]
        return args

    def pg_env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], database: Database) -> None:
    """Run PostgreSQL's own tool; the arguments are ours and the settings', never user input."""
    try:
        subprocess.run(  # noqa: S603
            command, env=database.pg_env(), check=True, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (apt-get install postgresql-client)."
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None


def _dump(database: Database, folder: Path) -> str:
    if database.vendor == "postgresql":
        target = folder / PG_DUMP
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target), *database.pg_args()],
            database,
        )
        return PG_DUMP
    source = sqlite3.connect(database.name)
    target = sqlite3.connect(folder / SQLITE_DUMP)
    try:
        # The online backup API copies a consistent snapshot while the app keeps writing.
        source.backup(target)
    finally:
        target.close()
        source.close()
    return SQLITE_DUMP


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def backup(*, database: Database, media_root: Path, output: Path, now: dt.datetime | None = None):
    """Write ``exoclinic-YYYY-MM-DDTHHMMSSZ.tar.gz`` and its ``.sha256`` into ``output``;
    return the archive's path."""
    now = (now or timezone.now()).astimezone(dt.UTC)
    output.mkdir(parents=True, exist_ok=True, mode=0o700)
    archive = output / f"exoclinic-{now:%Y-%m-%dT%H%M%SZ}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} already exists.")
    with tempfile.TemporaryDirectory(prefix="exoclinic-backup-") as scratch:
        folder = Path(scratch)
        dump = _dump(database, folder)
        media = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(),
            "database": {"vendor": database.vendor, "file": dump},
            "files": {dump: sha256_of(folder / dump)}
            | {f"{MEDIA}/{p.relative_to(media_root).as_posix()}": sha256_of(p) for p in media},
        }
        descriptor = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(body), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(body))
            tar.add(folder / dump, arcname=dump)
            for path in media:
                tar.add(path, arcname=f"{MEDIA}/{path.relative_to(media_root).as_posix()}")
    checksum = archive.with_name(archive.name + ".sha256")
    checksum.write_text(f"{sha256_of(archive)}  {archive.name}\n")
    checksum.chmod(0o600)
    return archive


# --- Restore ---------------------------------------------------------------------------------


def verify_checksum(archive: Path) -> None:
    checksum = archive.with_name(archive.name + ".sha256")
    if not checksum.exists():
        raise BackupError(f"{checksum.name} is missing: the archive cannot be checked.")
    expected = checksum.read_text().split()[0]
    if sha256_of(archive) != expected:
        raise BackupError(f"{archive.name} does not match its checksum: it is damaged.")


def _table_count(database: Database) -> int:
    if database.vendor == "sqlite":
        if not Path(database.name).exists():
            return 0
        with sqlite3.connect(database.name) as connection:
            return connection.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
    import psycopg2

    connection = psycopg2.connect(
        dbname=database.name,
        user=database.user or None,
        password=database.password or None,
        host=database.host or None,
        port=database.port or None,
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def restore(*, archive: Path, database: Database, media_root: Path) -> dict:
    """Put an archive's database and media files back, onto an empty database and an empty
    media folder; return the manifest."""
    verify_checksum(archive)
    if _table_count(database):
        raise BackupError(
            f"The database {database.name} is not empty: restore only onto a new, empty "
            "database (createdb), so nothing is mixed or lost."
        )
    if _media_files(media_root):
        raise BackupError(f"{media_root} already holds files: restore into an empty folder.")
    with tempfile.TemporaryDirectory(prefix="exoclinic-restore-") as scratch:
        folder = Path(scratch)
        with tarfile.open(archive, mode="r:gz") as tar:
            tar.extractall(folder, filter="data")
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("This archive was written by another version of the backup.")
        for name, digest in manifest["files"].items():
            if sha256_of(folder / name) != digest:
                raise BackupError(f"{name} in the archive does not match the manifest.")
        vendor = manifest["database"]["vendor"]
        if vendor != database.vendor:
            raise BackupError(
                f"This archive holds a {vendor} database; the target is {database.vendor}."
            )
        dump = folder / manifest["database"]["file"]
        if vendor == "postgresql":
            _run(
                ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                 *database.pg_args(), str(dump)],
                database,
            )
        else:
            source, target = sqlite3.connect(dump), sqlite3.connect(database.name)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        media_root.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in manifest["files"]:
            if not name.startswith(MEDIA + "/"):
                continue
            target = media_root / name.removeprefix(MEDIA + "/")
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(folder / name, target)
            target.chmod(0o600)
    return manifest
