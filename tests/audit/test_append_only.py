"""The access log is append-only: in the app, in the admin and in the database."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AccessKind, AccessLog, AppendOnly
from audit.services import record_access
from tests.factories import PatientFactory


@pytest.fixture
def entry(derm):
    return record_access(
        by=derm, request=None, kind=AccessKind.CHART, obj_id=1, patient=PatientFactory()
    )


def test_an_entry_keeps_who_what_and_role(entry, derm):
    stored = AccessLog.objects.get(pk=entry.pk)
    assert (stored.user, stored.role, stored.kind) == (derm, "dermatologist", "chart")
    assert stored.patient_id is not None and stored.at is not None


def test_save_refuses_a_change(entry):
    entry.kind = AccessKind.PHOTO
    with pytest.raises(AppendOnly):
        entry.save()
    assert AccessLog.objects.get(pk=entry.pk).kind == "chart"


def test_delete_and_bulk_changes_raise(entry):
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AccessLog.objects.all().delete()
    with pytest.raises(AppendOnly):
        AccessLog.objects.filter(pk=entry.pk).update(role="manager")
    assert AccessLog.objects.filter(pk=entry.pk, role="dermatologist").exists()


def test_an_unknown_kind_is_refused(derm):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        record_access(by=derm, request=None, kind="gossip", obj_id=None, patient=None)
    assert "kind" in refused.value.message_dict


def _raw(sql, pk):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [pk])


def test_the_database_refuses_an_update(entry):
    """SQLite's trigger and PostgreSQL's both refuse an UPDATE that bypasses the app."""
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_accesslog SET role = 'manager' WHERE id = %s", entry.pk)
    assert AccessLog.objects.get(pk=entry.pk).role == "dermatologist"


@pytest.mark.postgres_only
def test_postgres_refuses_update_and_delete(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE audit_accesslog SET role = 'manager' WHERE id = %s", entry.pk)
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("DELETE FROM audit_accesslog WHERE id = %s", entry.pk)
    assert AccessLog.objects.filter(pk=entry.pk, role="dermatologist").exists()


def test_the_admin_is_read_only(client, entry, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x" * 20)
    client.force_login(admin)
    listing = client.get(reverse("admin:audit_accesslog_changelist"))
    assert listing.status_code == 200 and "Chart" in listing.text
    assert client.get(reverse("admin:audit_accesslog_add")).status_code == 403
    client.post(reverse("admin:audit_accesslog_delete", args=[entry.pk]), {"post": "yes"})
    assert AccessLog.objects.filter(pk=entry.pk).exists()
    page = client.get(reverse("admin:audit_accesslog_change", args=[entry.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text


def test_merging_records_leaves_the_reads_where_they_were(derm, desk):
    from patients.services import merges

    survivor, duplicate = PatientFactory(), PatientFactory()
    read = record_access(
        by=derm, request=None, kind=AccessKind.CHART, obj_id=duplicate.pk, patient=duplicate
    )
    merges.merge_request(survivor=survivor, merged=duplicate, by=desk)
    assert AccessLog.objects.get(pk=read.pk).patient_id == duplicate.pk
