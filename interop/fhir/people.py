"""Patient, Practitioner and Location (rooms)."""

from fhir.resources.R4B.location import Location
from fhir.resources.R4B.patient import Patient as FhirPatient
from fhir.resources.R4B.practitioner import Practitioner

from interop.fhir import codes

#: The clinic's sexes as FHIR's administrative gender.
GENDER = {"female": "female", "male": "male", "intersex": "other", "undisclosed": "unknown"}


def patient(record) -> FhirPatient:
    telecom = []
    if record.mobile:
        telecom.append({"system": "phone", "value": record.mobile.as_e164, "use": "mobile"})
    if record.email:
        telecom.append({"system": "email", "value": record.email})
    data = {
        "id": str(record.pk),
        "identifier": [{"system": codes.identifier_system("patient"), "value": str(record.pk)}],
        "active": record.archived_at is None,
        "name": [{"use": "official", "family": record.last_name, "given": [record.first_name]}],
        "gender": GENDER[record.sex],
        "birthDate": record.date_of_birth.isoformat(),
        "telecom": telecom or None,
        "address": [{"text": record.address}] if record.address.strip() else None,
        "communication": [{"language": codes.concept("urn:ietf:bcp:47", record.preferred_language)}]
        if record.preferred_language
        else None,
    }
    if record.emergency_contact_name:
        contact = {"name": {"text": record.emergency_contact_name}}
        if record.emergency_contact_phone:
            contact["telecom"] = [
                {"system": "phone", "value": record.emergency_contact_phone.as_e164}
            ]
        data["contact"] = [contact]
    if record.merged_into_id:
        data["link"] = [
            {"other": codes.ref("Patient", record.merged_into_id), "type": "replaced-by"}
        ]
    return FhirPatient(**_clean(data))


def practitioner(user) -> Practitioner:
    profile = getattr(user, "staff_profile", None)
    name = {"text": str(user)}
    if user.last_name:
        name.update(family=user.last_name, given=[user.first_name] if user.first_name else None)
    if profile is not None and profile.title:
        name["prefix"] = [profile.title]
    data = {
        "id": str(user.pk),
        "identifier": [{"system": codes.identifier_system("staff"), "value": str(user.pk)}],
        "active": user.is_active,
        "name": [_clean(name)],
    }
    if profile is not None and profile.professional_registration:
        data["qualification"] = [
            {
                "code": {"text": profile.job_title or "Professional registration"},
                "identifier": [{"value": profile.professional_registration}],
            }
        ]
    return Practitioner(**data)


def location(room) -> Location:
    return Location(
        id=str(room.pk),
        name=room.name,
        status="active" if room.active else "inactive",
        mode="instance",
        type=[codes.own_concept("room-kind", room.kind, room.get_kind_display())],
        physicalType=codes.concept(
            "http://terminology.hl7.org/CodeSystem/location-physical-type", "ro", "Room"
        ),
    )


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}
