"""The clinic's bulk export, the demo clinic's round trip and the per-patient download."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class

from audit.models import AccessLog
from clinic.models import Role
from tests.interop.factories import full_record
from tests.interop.test_resources import EVERY_TYPE


def _read_all(folder):
    found = {}
    for path in sorted(folder.glob("*.ndjson")):
        kind = path.stem
        for line in path.read_text().splitlines():
            data = json.loads(line)
            assert data["resourceType"] == kind
            get_fhir_model_class(kind).model_validate(data)  # raises on an invalid resource
            found.setdefault(kind, []).append(data["id"])
    return found


@pytest.mark.django_db
def test_the_demo_clinic_round_trips_with_no_invalid_resource(settings, tmp_path, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("export_fhir", "--output", str(tmp_path / "all"))
    found = _read_all(tmp_path / "all")
    assert {"Patient", "Practitioner", "Location", "Consent", "QuestionnaireResponse",
            "Observation", "Media", "CarePlan", "Appointment", "Encounter", "Procedure",
            "Medication"} <= set(found)  # fmt: skip
    for kind, ids in found.items():
        assert len(ids) == len(set(ids)), f"{kind} has a repeated id"
    assert "Patient.ndjson" in capsys.readouterr().out
    assert AccessLog.objects.filter(kind="fhir_bulk_export").count() == 1


@pytest.mark.django_db
def test_since_leaves_out_what_did_not_change(tmp_path):
    full_record()
    call_command("export_fhir", "--output", str(tmp_path / "all"))
    assert set(_read_all(tmp_path / "all")) == EVERY_TYPE
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    call_command("export_fhir", "--since", tomorrow, "--output", str(tmp_path / "later"))
    assert _read_all(tmp_path / "later") == {}


@pytest.mark.django_db
def test_a_bad_date_or_a_used_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_fhir", "--since", "1 March", "--output", str(tmp_path))
    (tmp_path / "Patient.ndjson").write_text("")
    with pytest.raises(CommandError, match="already holds"):
        call_command("export_fhir", "--output", str(tmp_path))


@pytest.mark.django_db
def test_the_dermatologist_downloads_a_patients_bundle(client):
    session = full_record()
    client.force_login(session.clinician)
    response = client.get(reverse("interop:patient_bundle", args=[session.patient_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "attachment" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) > 10
    read = AccessLog.objects.get(kind="fhir_export")
    assert (read.user, read.patient_id) == (session.clinician, session.patient_id)


@pytest.mark.django_db
def test_the_desk_may_not_download_clinical_records(client_for):
    session = full_record()
    response = client_for(Role.FRONT_DESK).get(
        reverse("interop:patient_bundle", args=[session.patient_id])
    )
    assert response.status_code == 403
    assert not AccessLog.objects.filter(kind="fhir_export").exists()


@pytest.mark.django_db
def test_since_takes_a_patient_whose_details_alone_were_edited(tmp_path):
    patient = full_record().patient
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        patient.address = "4 New Street, London"
        patient.save()
        since = (later.date() - dt.timedelta(days=1)).isoformat()
        call_command("export_fhir", "--since", since, "--output", str(tmp_path / "edited"))
    # The patient, and none of their records, which did not change.
    assert _read_all(tmp_path / "edited") == {"Patient": [str(patient.pk)]}
    exported = json.loads((tmp_path / "edited" / "Patient.ndjson").read_text())
    assert exported["address"] == [{"text": "4 New Street, London"}]
