from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or SQLite's backup API) and the media files into one "
        "dated archive with a SHA-256 checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(settings.VAR_DIR / "backups"),
            help="Folder for the archive (default var/backups).",
        )

    def handle(self, *args, **options):
        try:
            archive = backups.backup(
                database=backups.Database.from_settings(settings.DATABASES["default"]),
                media_root=Path(settings.MEDIA_ROOT),
                output=Path(options["output"]),
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive}"))
        self.stdout.write(f"Checksum: {archive.name}.sha256 (sha256sum -c checks it)")
