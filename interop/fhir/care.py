"""CarePlan, Appointment, Encounter, Procedure (the session), Medication (the lot) and
AdverseEvent.

The lot is a **Medication**, not a Device: an exosome serum is a substance applied to the skin, and
Medication carries the product's form and the lot's number and expiry in ``batch``, which is what
a recall needs. The microneedling pen or laser is the Device of the procedure, named in
``Procedure.usedCode`` from the session's record.
"""

from fhir.resources.R4B.adverseevent import AdverseEvent
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.medication import Medication
from fhir.resources.R4B.procedure import Procedure

from clinic.lib.vocabulary import Route
from interop.fhir import codes
from interop.fhir.clinical import instant

CAREPLAN_STATUS = {
    "draft": "draft",
    "planned": "active",
    "in_treatment": "active",
    "follow_up": "active",
    "completed": "completed",
    "cancelled": "revoked",
}
APPOINTMENT_STATUS = {
    "booked": "booked",
    "checked_in": "arrived",
    "completed": "fulfilled",
    "cancelled": "cancelled",
    "no_show": "noshow",
}
ENCOUNTER_STATUS = {"checked_in": "arrived", "completed": "finished"}
AE_OUTCOME = {"ongoing": "ongoing", "resolved": "resolved", "sequelae": "resolvedWithSequelae"}


def _route(route: str) -> dict:
    return codes.own_concept("route", route, Route(route).label)


def careplan(plan) -> CarePlan:
    detail = {
        "kind": "Procedure",
        "code": _route(plan.route),
        "status": "completed"
        if plan.state == "completed"
        else ("cancelled" if plan.state == "cancelled" else "scheduled"),
        "description": (
            f"{plan.sessions} sessions of {Route(plan.route).label.lower()}, "
            f"at least {plan.interval_days} days apart"
        ),
        "productCodeableConcept": {"text": plan.product.name},
    }
    data = {
        "id": str(plan.pk),
        "status": CAREPLAN_STATUS[plan.state],
        "intent": "plan",
        "title": f"{Route(plan.route).label} course",
        "subject": codes.ref("Patient", plan.patient_id),
        "created": instant(plan.created_at),
        "author": codes.ref("Practitioner", plan.author_id),
        "activity": [{"detail": {k: v for k, v in detail.items() if v is not None}}],
        "supportingInfo": [codes.ref("Observation", f"assessment-{plan.assessment_id}-fitzpatrick")]
        if plan.assessment_id
        else None,
    }
    if plan.areas:
        data["description"] = "Areas: " + ", ".join(c["text"] for c in codes.areas(plan.areas))
    if plan.state == "cancelled" and plan.cancel_reason:
        data["note"] = [{"text": f"Cancelled: {plan.cancel_reason}"}]
    return CarePlan(**{k: v for k, v in data.items() if v is not None})


def appointment(record) -> Appointment:
    participants = [
        {"actor": codes.ref("Patient", record.patient_id), "status": "accepted"},
        {"actor": codes.ref("Practitioner", record.practitioner.user_id), "status": "accepted"},
        {"actor": codes.ref("Location", record.room_id), "status": "accepted"},
    ]
    data = {
        "id": str(record.pk),
        "status": APPOINTMENT_STATUS[record.status],
        "appointmentType": codes.own_concept(
            "appointment-type",
            record.appointment_type.kind,
            record.appointment_type.get_kind_display(),
        ),
        "serviceType": [{"text": record.appointment_type.name}],
        "start": instant(record.starts_at),
        "end": instant(record.ends_at),
        "created": instant(record.created_at),
        "participant": participants,
    }
    if record.plan_id:
        data["basedOn"] = [codes.ref("CarePlan", record.plan_id)]
    if record.status == "cancelled" and record.cancel_reason:
        data["cancelationReason"] = {"text": record.cancel_reason}
    return Appointment(**data)


def encounter(record) -> Encounter | None:
    """A visit that happened: an appointment the patient was checked in for or completed."""
    status = ENCOUNTER_STATUS.get(record.status)
    if status is None:
        return None
    start = record.checked_in_at or record.starts_at
    period = {"start": instant(start)}
    if status == "finished":
        period["end"] = instant(max(record.ends_at, start))
    return Encounter(
        id=str(record.pk),
        status=status,
        class_fhir=codes.coding(codes.ACT_CODE, "AMB", "ambulatory"),
        type=[{"text": record.appointment_type.name}],
        subject=codes.ref("Patient", record.patient_id),
        participant=[{"individual": codes.ref("Practitioner", record.practitioner.user_id)}],
        appointment=[codes.ref("Appointment", record.pk)],
        period=period,
        location=[{"location": codes.ref("Location", record.room_id)}],
    )


def medication(lot) -> Medication:
    product = lot.product
    return Medication(
        id=str(lot.pk),
        code={"text": product.name},
        status="inactive" if lot.recalled_at else "active",
        form=codes.own_concept("product-form", product.form, product.get_form_display()),
        batch={"lotNumber": lot.lot_number, "expirationDate": lot.expiry_date.isoformat()},
    )


def _zone_extension(row: dict) -> dict:
    """One treated zone: the zone, and the amount, needle depth and laser settings given there."""
    parts = [{"url": "zone", "valueCodeableConcept": codes.zones([row["zone"]])[0]}]
    if row.get("amount") is not None:
        parts.append({"url": "amount", "valueDecimal": float(row["amount"])})
    if row.get("depth") is not None:
        parts.append(
            {
                "url": "depth",
                "valueQuantity": {
                    "value": float(row["depth"]),
                    "unit": "mm",
                    "system": codes.UCUM,
                    "code": "mm",
                },
            }
        )
    if row.get("laser_settings"):
        parts.append({"url": "laser-settings", "valueString": row["laser_settings"]})
    return {"url": codes.extension("treated-zone"), "extension": parts}


def procedure(session) -> Procedure:
    """The session: route, zones or areas (body sites), needle depth per area and per zone, lot
    and device."""
    completed = session.status == "completed"
    data = {
        "id": str(session.pk),
        "status": "completed"
        if completed
        else ("not-done" if session.status == "not_treated" else "in-progress"),
        "code": _route(session.plan.route),
        "subject": codes.ref("Patient", session.patient_id),
        "encounter": codes.ref("Encounter", session.appointment_id),
        "basedOn": [codes.ref("CarePlan", session.plan_id)],
        "performer": [{"actor": codes.ref("Practitioner", session.clinician_id)}],
        # The treated zones when the session was charted on the face chart, else its areas.
        "bodySite": codes.zones(session.zone_names) or codes.areas(session.areas) or None,
        "performedPeriod": {
            "start": instant(session.started_at),
            **({"end": instant(session.ended_at)} if session.ended_at else {}),
        },
    }
    if session.lot_id:
        data["usedReference"] = [codes.ref("Medication", session.lot_id)]
    if session.device:
        data["usedCode"] = [{"text": session.device}]
    if session.status == "not_treated" and session.not_treated_reason:
        data["statusReason"] = {"text": session.not_treated_reason}
    extensions = [
        {
            "url": codes.extension("needle-depth"),
            "extension": [
                {"url": "area", "valueCodeableConcept": codes.areas([area])[0]},
                {
                    "url": "depth",
                    "valueQuantity": {
                        "value": float(depth),
                        "unit": "mm",
                        "system": codes.UCUM,
                        "code": "mm",
                    },
                },
            ],
        }
        for area, depth in sorted(session.depths.items())
        if depth not in (None, "")
    ]
    extensions += [_zone_extension(row) for row in session.zone_rows]
    if session.amount is not None:
        extensions.append(
            {"url": codes.extension("amount-used"), "valueDecimal": float(session.amount)}
        )
    if extensions:
        data["extension"] = extensions
    if session.aftercare_text:
        data["followUp"] = [{"text": session.aftercare_text}]
    return Procedure(**{k: v for k, v in data.items() if v is not None})


def adverse_event(event) -> AdverseEvent:
    data = {
        "id": str(event.pk),
        "actuality": "actual",
        "event": codes.own_concept("adverse-event", event.kind, event.get_kind_display()),
        "subject": codes.ref("Patient", event.patient_id),
        "date": event.onset_on.isoformat(),
        "recordedDate": instant(event.created_at),
        "recorder": codes.ref("Practitioner", event.reported_by_id),
        "seriousness": codes.concept(
            codes.AE_SERIOUSNESS,
            "Serious" if event.severity == "severe" else "Non-serious",
        ),
        "severity": codes.concept(codes.AE_SEVERITY, event.severity),
        "outcome": codes.concept(codes.AE_OUTCOME, AE_OUTCOME[event.outcome]),
    }
    if event.session_id:
        data["encounter"] = codes.ref("Encounter", event.session.appointment_id)
    if event.lot_id:
        data["suspectEntity"] = [{"instance": codes.ref("Medication", event.lot_id)}]
    return AdverseEvent(**data)
