"""The migrations that add zones mark every concern and session recorded by area on all the zones
of its areas, and keep every record's areas, depths and settings as they were
(docs/clinical-rules.md §Treated zones > Zones: "Records from before zones")."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import AssessmentConcernFactory
from tests.treatments.sessions.factories import completed_session

BEFORE = [("patients", "0006_photo_profile_views"), ("treatments", "0018_waitlist")]
AFTER = [("patients", "0008_fill_concern_zones"), ("treatments", "0020_fill_session_zones")]

FACE = [
    "forehead",
    "glabella",
    "temple_left",
    "temple_right",
    "nose",
    "cheek_left",
    "cheek_right",
    "nasolabial_left",
    "nasolabial_right",
    "perioral",
    "chin",
    "jawline_left",
    "jawline_right",
]


def test_records_from_before_zones_get_their_areas_zones_and_keep_their_areas(
    latest_migrations_after,
):
    session = completed_session(areas=["face"], depths={"face": "1.0"})
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Concern = old.get_model("patients", "AssessmentConcern")
    concern = Concern.objects.create(
        assessment_id=session.plan.assessment_id,
        concern="dark_circles",
        severity=2,
        areas=["periorbital", "neck"],
    )
    none = Concern.objects.create(
        assessment_id=session.plan.assessment_id, concern="texture", severity=1, areas=[]
    )
    old_session = old.get_model("treatments", "TreatmentSession").objects.get(pk=session.pk)
    before = (old_session.areas, old_session.depths, old_session.amount, old_session.lot_id)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps
    moved = new.get_model("patients", "AssessmentConcern").objects.get(pk=concern.pk)
    assert moved.areas == ["periorbital", "neck"]
    assert moved.zones == [
        "periorbital_left",
        "periorbital_right",
        "neck_anterior",
        "neck_left",
        "neck_right",
    ]
    assert new.get_model("patients", "AssessmentConcern").objects.get(pk=none.pk).zones == []

    recorded = new.get_model("treatments", "TreatmentSession").objects.get(pk=session.pk)
    assert (recorded.areas, recorded.depths, recorded.amount, recorded.lot_id) == before
    assert [row["zone"] for row in recorded.zones] == FACE
    assert all(row["depth"] == "1.0" and row["amount"] is None for row in recorded.zones)


def test_the_migration_leaves_zones_already_marked(latest_migrations_after):
    concern = AssessmentConcernFactory(areas=["face"], zones=["chin"])
    executor = MigrationExecutor(connection)
    executor.migrate([("patients", "0007_zones")])
    executor = MigrationExecutor(connection)
    executor.migrate([("patients", "0008_fill_concern_zones")])
    concern.refresh_from_db()
    assert concern.zones == ["chin"]
