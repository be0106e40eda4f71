"""A patient's record as one FHIR Bundle, and the whole clinic as NDJSON files per resource type
(the FHIR Bulk Data layout: ``Patient.ndjson``, ``Observation.ndjson``...)."""

import datetime as dt
from collections import defaultdict
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from clinic.models import Room
from interop.fhir import care, clinical, codes, people
from interop.fhir.gather import one_patient, with_records
from patients.models import Patient
from treatments.models import Lot

CHUNK = 200


def _clinical(patient, *, drafts: bool = True) -> list:
    """Every resource about ``patient`` (already gathered), with when each last changed.

    ``drafts=False`` leaves out draft plans, the clinician's working copies, as the portal does."""
    details_changed = getattr(patient, "details_changed_at", None) or patient.created_at
    found = [(people.patient(patient), max(details_changed, patient.created_at))]
    found += [(clinical.consent(c), c.revoked_at or c.signed_at) for c in patient.fhir_consents]
    found += [(clinical.questionnaire_response(s), s.created_at) for s in patient.screens.all()]
    for assessment in patient.assessments.all():
        found += [(o, assessment.updated_at) for o in clinical.assessment_observations(assessment)]
    found += [(clinical.media(p), p.uploaded_at) for p in patient.photos.all()]
    for plan in patient.plans.all():
        if not drafts and plan.state == "draft":
            continue
        found.append((care.careplan(plan), plan.updated_at))
        for follow_up in plan.follow_ups.all():
            found += [
                (o, follow_up.created_at)
                for o in clinical.follow_up_observations(follow_up, patient.pk)
            ]
        for rating in plan.patient_ratings.all():
            found += [
                (o, rating.submitted_at) for o in clinical.rating_observations(rating, patient.pk)
            ]
    for appointment in patient.appointments.all():
        changed = appointment.cancelled_at or appointment.checked_in_at or appointment.created_at
        found.append((care.appointment(appointment), changed))
        if (visit := care.encounter(appointment)) is not None:
            found.append((visit, changed))
    found += [
        (care.procedure(s), s.ended_at or s.started_at) for s in patient.treatment_sessions.all()
    ]
    found += [(care.adverse_event(e), e.created_at) for e in patient.adverse_events.all()]
    return found


def _referenced(resources) -> dict[str, set[str]]:
    """Ids of the Practitioners, Locations and Medications the resources point at."""
    wanted: dict[str, set[str]] = defaultdict(set)

    def walk(value):
        if isinstance(value, dict):
            reference = value.get("reference")
            if isinstance(reference, str) and "/" in reference:
                kind, key = reference.split("/", 1)
                if kind in ("Practitioner", "Location", "Medication"):
                    wanted[kind].add(key)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for resource in resources:
        walk(resource.model_dump(mode="json", exclude_none=True))
    return wanted


def shared_resources(wanted: dict[str, set[str]]) -> list:
    """The staff, rooms and lots a set of resources refers to (three queries)."""
    users = get_user_model().objects.filter(pk__in=wanted.get("Practitioner", ()))
    rooms = Room.objects.filter(pk__in=wanted.get("Location", ()))
    lots = Lot.objects.filter(pk__in=wanted.get("Medication", ())).select_related("product")
    return [
        *(people.practitioner(u) for u in users.select_related("staff_profile").order_by("pk")),
        *(people.location(r) for r in rooms.order_by("pk")),
        *(care.medication(lot) for lot in lots.order_by("pk")),
    ]


def patient_resources(patient: Patient, *, drafts: bool = True) -> list:
    own = [resource for resource, _ in _clinical(one_patient(patient), drafts=drafts)]
    return own + shared_resources(_referenced(own))


def patient_bundle(patient: Patient, *, drafts: bool = True) -> Bundle:
    """The patient's whole record as one ``collection`` Bundle."""
    resources = patient_resources(patient, drafts=drafts)
    return Bundle(
        type="collection",
        timestamp=timezone.localtime().isoformat(),
        identifier={"system": codes.identifier_system("bundle"), "value": f"patient-{patient.pk}"},
        entry=[
            {"fullUrl": f"{codes.BASE}/{r.get_resource_type()}/{r.id}", "resource": r}
            for r in resources
        ],
    )


def bundle_json(patient: Patient, *, drafts: bool = True) -> str:
    return patient_bundle(patient, drafts=drafts).model_dump_json(exclude_none=True, indent=2)


def bulk_export(directory: Path, *, since: dt.datetime | None = None) -> dict[str, int]:
    """Write ``<ResourceType>.ndjson`` files into ``directory``: every resource changed at or after
    ``since`` (all of them without it), and the staff, rooms and lots they refer to. Patients are
    read ``CHUNK`` at a time, so memory stays flat as the clinic grows. Returns counts per type."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = defaultdict(int)
    handles: dict = {}
    wanted: dict[str, set[str]] = defaultdict(set)

    def write(resource):
        kind = resource.get_resource_type()
        if kind not in handles:
            handles[kind] = (directory / f"{kind}.ndjson").open("w", encoding="utf-8")
        handles[kind].write(resource.model_dump_json(exclude_none=True) + "\n")
        counts[kind] += 1

    try:
        ids = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = with_records(Patient.objects.filter(pk__in=ids[start : start + CHUNK]))
            for patient in chunk.order_by("pk"):
                chosen = [
                    r for r, changed in _clinical(patient) if since is None or changed >= since
                ]
                for resource in chosen:
                    write(resource)
                for kind, keys in _referenced(chosen).items():
                    wanted[kind] |= keys
        for resource in shared_resources(wanted):
            write(resource)
    finally:
        for handle in handles.values():
            handle.close()
    return dict(counts)
