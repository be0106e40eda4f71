"""The migration that adds resolution dates gives every event already recorded as resolved a
date (the day it was recorded, never before its onset) and keeps every other field."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.treatments.adverse_events.factories import adverse_event

BEFORE = ("treatments", "0014_low_stock_level")
AFTER = ("treatments", "0015_adverse_event_reporting")


def test_resolved_events_get_a_resolution_date(latest_migrations_after):
    event = adverse_event()
    onset = event.onset_on
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("treatments", "AdverseEvent")
    old.objects.filter(pk=event.pk).update(outcome="resolved")
    ongoing = old.objects.create(
        patient_id=event.patient_id,
        kind="allergy",
        description="Itchy rash.",
        severity="mild",
        onset_on=onset,
        reported_by_id=event.reported_by_id,
    )

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])

    new = executor.loader.project_state([AFTER]).apps.get_model("treatments", "AdverseEvent")
    resolved = new.objects.get(pk=event.pk)
    assert resolved.outcome == "resolved"
    assert resolved.resolved_on == max(resolved.created_at.date(), onset)
    assert resolved.description == "Two small blisters on the left cheek."
    assert new.objects.get(pk=ongoing.pk).resolved_on is None

