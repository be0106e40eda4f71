"""The migration that keeps each signature's evidence: signatures made before it were made on the
clinic's tablet ("in clinic"), with the version and hash of the text they point at."""

import hashlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import ConsentFactory, ConsentTextFactory

BEFORE = ("patients", "0005_consent_text_in_effect_from")
AFTER = ("patients", "0010_consent_evidence")


def test_earlier_signatures_are_in_clinic_with_their_texts_hash(committed):
    text = ConsentTextFactory(kind="photo", title="Photo consent", body="Photos for your record.")
    consent = ConsentFactory(text=text)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
        new = executor.loader.project_state([AFTER]).apps.get_model("patients", "Consent")
        migrated = new.objects.get(pk=consent.pk)
        assert migrated.channel == "in_clinic"
        assert migrated.text_version == text.version == 1
        expected = hashlib.sha256(b"Photo consent\n\nPhotos for your record.").hexdigest()
        assert migrated.text_sha256 == expected == text.content_sha256
        assert migrated.signed_from_ip is None and migrated.user_agent == ""
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
