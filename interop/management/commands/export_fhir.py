"""``manage.py export_fhir [--since DATE] [--output DIR]``: the clinic's records as FHIR R4 NDJSON,
one file per resource type (the Bulk Data layout)."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.models import AccessKind
from audit.services import record_access
from interop.fhir.export import bulk_export


def _day(text: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--since takes a date as YYYY-MM-DD, not {text!r}.") from None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class Command(BaseCommand):
    help = "Write every patient's record as FHIR R4 NDJSON files, one per resource type."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=_day, help="only resources created or changed on or after this date"
        )
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="folder to write into (default: var/fhir-export-<today>)",
        )

    def handle(self, *args, since=None, output=None, **options):
        folder = output or Path(settings.BASE_DIR) / "var" / f"fhir-export-{timezone.localdate()}"
        if folder.exists() and any(folder.glob("*.ndjson")):
            raise CommandError(f"{folder} already holds an export; choose another --output.")
        counts = bulk_export(folder, since=since)
        # The whole clinic left the building: that is a read of every record, and it is logged.
        record_access(
            by=None, request=None, kind=AccessKind.FHIR_BULK_EXPORT, obj_id=None, patient=None
        )
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{kind}.ndjson: {count}")
        self.stdout.write(f"Written to {folder}")
