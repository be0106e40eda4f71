"""Every resource type the export builds validates against FHIR R4B and carries the mapping the
README's table promises."""

import json

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from interop.fhir import codes
from interop.fhir.export import bundle_json, patient_resources
from tests.interop.factories import full_record
from treatments.models import TreatmentSession

EVERY_TYPE = {
    "Patient", "Practitioner", "Location", "Consent", "QuestionnaireResponse", "Observation",
    "Media", "CarePlan", "Appointment", "Encounter", "Procedure", "Medication", "AdverseEvent",
}  # fmt: skip


@pytest.fixture
def session(db):
    return full_record()


def _by_type(resources):
    found = {}
    for resource in resources:
        found.setdefault(resource.get_resource_type(), []).append(resource)
    return found


def test_every_resource_type_is_exported_and_validates(session):
    resources = patient_resources(session.patient)
    assert set(_by_type(resources)) == EVERY_TYPE
    for resource in resources:
        data = json.loads(resource.model_dump_json(exclude_none=True))
        # Parsed again from its JSON by its own R4B class: what a receiving system would do.
        reparsed = get_fhir_model_class(data["resourceType"]).model_validate(data)
        assert reparsed.id == resource.id


def test_the_bundle_parses_and_ids_are_unique_per_type(session):
    bundle = Bundle.model_validate_json(bundle_json(session.patient))
    assert bundle.type == "collection"
    keys = [(e.resource.get_resource_type(), e.resource.id) for e in bundle.entry]
    assert len(keys) == len(set(keys))


def test_the_procedure_has_route_areas_depth_and_lot(session):
    found = _by_type(patient_resources(session.patient))
    procedure = found["Procedure"][0].model_dump(mode="json", exclude_none=True)
    assert procedure["code"]["coding"][0] == {
        "system": codes.own("route"),
        "code": "microneedling",
        "display": "Microneedling",
    }
    assert [site["coding"][0]["code"] for site in procedure["bodySite"]] == session.areas
    depth = next(e for e in procedure["extension"] if e["url"].endswith("needle-depth"))
    assert depth["extension"][1]["valueQuantity"] == {
        "value": 1.0,
        "unit": "mm",
        "system": codes.UCUM,
        "code": "mm",
    }
    assert procedure["usedReference"] == [{"reference": f"Medication/{session.lot_id}"}]
    medication = found["Medication"][0]
    assert medication.batch.lotNumber == session.lot.lot_number
    assert medication.batch.expirationDate.isoformat() == session.lot.expiry_date.isoformat()


def test_observations_cover_every_score(session):
    observations = _by_type(patient_resources(session.patient))["Observation"]
    kinds = {o.code.coding[0].code for o in observations}
    assert {"fitzpatrick", "masi", "glogau", "iga", "gais", "satisfaction", "fine_lines",
            "melasma"} <= kinds  # fmt: skip
    masi = next(o for o in observations if o.code.coding[0].code == "masi")
    assert float(masi.valueQuantity.value) == 7.5
    fine_lines = next(o for o in observations if o.code.coding[0].code == "fine_lines")
    assert fine_lines.valueInteger == 1
    assert fine_lines.code.coding[0].system == codes.own("concern")


def test_consent_and_adverse_event_use_the_standard_codes(session):
    found = _by_type(patient_resources(session.patient))
    consent = found["Consent"][0]
    assert consent.category[0].coding[0].system == codes.LOINC
    assert consent.category[0].coding[0].code == "59284-0"
    event = found["AdverseEvent"][0]
    assert event.severity.coding[0].code == "moderate"
    assert event.seriousness.coding[0].code == "Non-serious"
    assert event.suspectEntity[0].instance.reference == f"Medication/{session.lot_id}"


def test_the_screen_answers_are_in_the_questionnaire_response(session):
    response = _by_type(patient_resources(session.patient))["QuestionnaireResponse"]
    answers = [
        (item.text, item.answer[0].valueString)
        for qr in response
        for group in qr.item
        for item in group.item
    ]
    assert ("Other allergies", "Latex") in answers


def test_building_the_bundle_runs_a_fixed_number_of_queries(session, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        patient_resources(session.patient)


def test_a_zone_charted_procedure_names_each_zone_as_a_body_site_with_its_dose(session):
    TreatmentSession.objects.filter(pk=session.pk).update(
        zones=[
            {"zone": "forehead", "amount": "0.2", "depth": "1.0", "laser_settings": ""},
            {"zone": "chin", "amount": "0.3", "depth": "0.75", "laser_settings": ""},
        ]
    )
    session.refresh_from_db()
    found = _by_type(patient_resources(session.patient))
    procedure = found["Procedure"][0].model_dump(mode="json", exclude_none=True)
    assert [site["coding"][0] for site in procedure["bodySite"]] == [
        {"system": codes.own("zone"), "code": "forehead", "display": "Forehead"},
        {"system": codes.own("zone"), "code": "chin", "display": "Chin"},
    ]
    zones = [e for e in procedure["extension"] if e["url"] == codes.extension("treated-zone")]
    assert [z["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] for z in zones] == [
        "forehead",
        "chin",
    ]
    assert zones[1]["extension"][1] == {"url": "amount", "valueDecimal": 0.3}
    assert zones[1]["extension"][2]["valueQuantity"]["value"] == 0.75
