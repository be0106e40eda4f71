"""The manager's access report and the chart's "who has opened this" panel."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessKind, AccessLog
from audit.services import record_access
from clinic.models import Role
from tests.factories import PatientFactory, UserFactory


@pytest.fixture
def reads(derm, desk):
    olivia = PatientFactory(first_name="Olivia", last_name="Bennett")
    # A surname no generated staff name has: the page also names who is signed in.
    mallory = PatientFactory(first_name='=HYPERLINK("http://x")', last_name="Quillfeather")
    record_access(by=derm, request=None, kind=AccessKind.ASSESSMENT, obj_id=11, patient=olivia)
    record_access(by=desk, request=None, kind=AccessKind.CHART, obj_id=mallory.pk, patient=mallory)
    return olivia, mallory


def test_the_report_filters_by_patient_and_user(client, manager, reads, derm):
    olivia, _mallory = reads
    client.force_login(manager)
    everything = client.get(reverse("audit:report"))
    assert "Olivia Bennett" in everything.text and "Quillfeather" in everything.text
    by_patient = client.get(reverse("audit:report"), {"patient": olivia.pk})
    assert "Olivia Bennett" in by_patient.text and "Quillfeather" not in by_patient.text
    by_user = client.get(reverse("audit:report"), {"user": derm.email.upper()})
    assert "Assessment 11" in by_user.text and "Quillfeather" not in by_user.text


def test_the_report_filters_by_date(client, manager, reads):
    client.force_login(manager)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.get(reverse("audit:report"), {"date_from": tomorrow.isoformat()})
    assert "No reads match" in response.text
    today = timezone.localdate().isoformat()
    response = client.get(reverse("audit:report"), {"date_from": today, "date_to": today})
    assert "Olivia Bennett" in response.text


def test_bad_filters_are_explained_next_to_the_field(client, manager, reads):
    client.force_login(manager)
    response = client.get(
        reverse("audit:report"),
        {"user": "nobody@example.org", "date_from": "2026-12-02", "date_to": "2026-12-01"},
    )
    assert response.status_code == 200
    assert "No account has this email address." in response.text
    assert "The end date is before the start date." in response.text
    assert "Olivia" not in response.text
    assert client.get(reverse("audit:report_csv"), {"patient": "abc"}).status_code == 400


def test_the_csv_is_formula_safe_and_has_no_clinical_content(client, manager, reads):
    _olivia, _mallory = reads
    client.force_login(manager)
    response = client.get(reverse("audit:report_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["When", "User", "Email", "Role", "What"]
    names = {row[7] for row in rows[1:]}
    assert "Olivia Bennett" in names
    assert any(name.startswith("'=HYPERLINK") for name in names)
    # The download itself is a read of the log, kept like any other.
    assert AccessLog.objects.filter(kind="access_report_csv", user=manager).exists()


def test_the_report_pages_with_a_bounded_number_of_queries(
    client, manager, derm, django_assert_max_num_queries
):
    patients = [PatientFactory() for _ in range(30)]
    for patient in patients:
        record_access(by=derm, request=None, kind="chart", obj_id=patient.pk, patient=patient)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audit:report")).status_code == 200


def test_dermatologists_see_who_opened_the_chart(client, reads, derm):
    olivia, _ = reads
    other = UserFactory(role=Role.DERMATOLOGIST, first_name="Rohan", last_name="Mehta")
    record_access(by=other, request=None, kind="photo", obj_id=3, patient=olivia)
    client.force_login(derm)
    page = client.get(reverse("patients:detail", args=[olivia.pk]))
    assert "Who has opened this record" in page.text
    assert "Rohan Mehta" in page.text and "Photo 3" in page.text


def test_the_desk_does_not_see_who_opened_the_chart(client, reads, desk):
    olivia, _ = reads
    client.force_login(desk)
    page = client.get(reverse("patients:detail", args=[olivia.pk]))
    assert page.status_code == 200 and "Who has opened this record" not in page.text
