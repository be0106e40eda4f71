from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic import backups


class Command(BaseCommand):
    help = (
        "Restore a backup archive onto an empty database (DATABASE_URL) and an empty media "
        "folder; refuses a database that already has tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by manage.py backup.")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            manifest = backups.restore(
                archive=archive,
                database=backups.Database.from_settings(settings.DATABASES["default"]),
                media_root=Path(settings.MEDIA_ROOT),
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        files = sum(1 for name in manifest["files"] if name.startswith(backups.MEDIA + "/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created']}: the database and {files} "
                "media files."
            )
        )
