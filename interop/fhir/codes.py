"""Code systems. External codes only where the code is certain; everything the clinic measures in
its own way (its routes, areas, scores and photo views) is in the clinic's own code systems, with
the label as the display, so a receiving system never reads a guessed SNOMED CT or LOINC code."""

from collections.abc import Iterable

#: The clinic's own code systems and identifiers live under this address.
BASE = "https://exoclinic.example/fhir"

LOINC = "http://loinc.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"
AE_SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
UCUM = "http://unitsofmeasure.org"

#: LOINC 59284-0 "Consent Document", the category HL7's own Consent examples use.
LOINC_CONSENT = "59284-0"


def own(name: str) -> str:
    """The clinic's code system ``name`` (``route``, ``area``, ``observation``...)."""
    return f"{BASE}/CodeSystem/{name}"


def identifier_system(kind: str) -> str:
    return f"{BASE}/identifier/{kind}"


def extension(name: str) -> str:
    return f"{BASE}/StructureDefinition/{name}"


def coding(system: str, code, display: str | None = None) -> dict:
    found = {"system": system, "code": str(code)}
    if display:
        found["display"] = display
    return found


def concept(system: str, code, display: str | None = None, *, text: str | None = None) -> dict:
    found = {"coding": [coding(system, code, display)]}
    if text or display:
        found["text"] = text or display
    return found


def own_concept(name: str, code, display: str) -> dict:
    return concept(own(name), code, display)


def areas(values: Iterable[str]) -> list[dict]:
    from clinic.lib.vocabulary import Area

    return [own_concept("area", Area(value).value, Area(value).label) for value in values]


def zones(values: Iterable[str]) -> list[dict]:
    """The face chart's zones, in the clinic's own "zone" system: SNOMED CT has body structures
    for some of them, but not one for each zone as the clinic draws it (its cheek, temple and
    perioral lines), so none is guessed."""
    from clinic.lib.zones import Zone

    return [own_concept("zone", Zone(value).value, Zone(value).label) for value in values]


def ref(resource_type: str, key) -> dict:
    return {"reference": f"{resource_type}/{key}"}
