"""Finding duplicate patient records and merging one into the other, whole or not at all.

A likely duplicate is a record with the same name and date of birth, the same email or mobile,
or the same date of birth and a similar name (``clinic.lib.names``). Merging moves every record of
the duplicate to the survivor, fills the survivor's blank contact details from it, and archives
the duplicate pointing at the survivor; each moved record keeps its history. When both records
hold clinical records, a dermatologist confirms the merge before anything moves.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.access import CLINICIANS
from clinic.lib.names import similar_names
from clinic.states import Workflow
from patients.models import Patient, PatientMerge

#: Records of a patient that the front desk may see and move without clinical review; every
#: other relation to a patient is clinical (a new kind of record is clinical until said here).
DESK_SAFE_RECORDS = frozenset({"appointments", "consents"})

#: Contact details the survivor takes from the duplicate when its own are blank.
CONTACT_FIELDS = ("email", "mobile", "address", "emergency_contact_name", "emergency_contact_phone")

MAX_SHOWN = 10


def possible_duplicates(
    *,
    first_name: str,
    last_name: str,
    date_of_birth,
    email: str = "",
    mobile=None,
    exclude: Patient | None = None,
) -> list[Patient]:
    """Records that may be the same person, exact matches first (at most ``MAX_SHOWN``).

    Two queries whatever the registry's size: the exact matches (indexed name keys, email and
    mobile), and the patients born that day, whose names are compared in Python.
    """
    records = Patient.objects.filter(merged_into__isnull=True)
    if exclude is not None:
        records = records.exclude(pk=exclude.pk)
    found = list(
        records.likely_duplicates(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            email=email,
            mobile=mobile,
        )[:MAX_SHOWN]
    )
    seen = {patient.pk for patient in found}
    for patient in records.filter(date_of_birth=date_of_birth).exclude(pk__in=seen):
        if similar_names(first_name, last_name, patient.first_name, patient.last_name):
            found.append(patient)
    return found[:MAX_SHOWN]


def duplicates_of(patient: Patient) -> list[Patient]:
    return possible_duplicates(
        first_name=patient.first_name,
        last_name=patient.last_name,
        date_of_birth=patient.date_of_birth,
        email=patient.email,
        mobile=patient.mobile,
        exclude=patient,
    )


def _relations():
    """Every relation that points a record at a patient, but history rows and merges."""
    return [
        rel
        for rel in Patient._meta.related_objects
        if rel.related_name
        and not rel.related_name.endswith("+")
        and rel.one_to_many
        and rel.related_model not in (Patient, PatientMerge)
    ]


def _records(rel, patient: Patient):
    return rel.related_model._base_manager.filter(**{rel.field.name: patient})


def record_counts(patient: Patient) -> dict[str, int]:
    """How many records of each kind the patient has, by relation name (one query each)."""
    return {rel.related_name: _records(rel, patient).count() for rel in _relations()}


def has_clinical_records(patient: Patient) -> bool:
    return any(
        _records(rel, patient).exists()
        for rel in _relations()
        if rel.related_name not in DESK_SAFE_RECORDS
    )


def _check_mergeable(survivor: Patient, merged: Patient) -> None:
    if survivor.pk == merged.pk:
        raise ValidationError({"other": "Choose a different record to merge into this one."})
    for patient in (survivor, merged):
        if patient.merged_into_id:
            raise ValidationError(
                {"other": f"{patient.full_name}'s record was already merged into another."}
            )
    if survivor.is_archived:
        raise ValidationError(
            {"other": "This record is archived: make it active again before merging into it."}
        )
    if PatientMerge.objects.filter(
        merged__in=[survivor, merged], status=PatientMerge.Status.PENDING
    ).exists():
        raise ValidationError(
            {"other": "A merge of these records is already waiting for a dermatologist."}
        )


@transaction.atomic
def merge_request(*, survivor: Patient, merged: Patient, by) -> PatientMerge:
    """Merge ``merged`` into ``survivor`` now, or, when both hold clinical records and ``by`` is
    not a dermatologist, leave the merge waiting for a dermatologist's confirmation."""
    survivor, merged = _locked(survivor, merged)
    _check_mergeable(survivor, merged)
    merge = PatientMerge(survivor=survivor, merged=merged, requested_by=by)
    needs_review = has_clinical_records(survivor) and has_clinical_records(merged)
    if needs_review and not by.has_role(*CLINICIANS):
        merge.save()
        return merge
    merge.save()
    return _perform(merge, by=by)


@transaction.atomic
def merge_confirm(*, merge: PatientMerge, by) -> PatientMerge:
    if not by.has_role(*CLINICIANS):
        raise ValidationError("Only a dermatologist confirms a merge of two clinical records.")
    merge = PatientMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.status != PatientMerge.Status.PENDING:
        merge.state_machine.require(merge.status, PatientMerge.Status.DONE)  # names its state
    survivor, merged = _locked(merge.survivor, merge.merged)
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError("One of these records was merged elsewhere since the request.")
    return _perform(merge, by=by)


@transaction.atomic
def merge_decline(*, merge: PatientMerge, by, reason: str) -> PatientMerge:
    if not by.has_role(*CLINICIANS):
        raise ValidationError("Only a dermatologist decides on a merge of two clinical records.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why these records are not merged."})
    merge = PatientMerge.objects.select_for_update().get(pk=merge.pk)
    merge.transition_to(PatientMerge.Status.DECLINED, by=by)
    merge.decided_by, merge.decided_at, merge.decline_reason = by, timezone.now(), reason
    merge.save()
    return merge


def _locked(survivor: Patient, merged: Patient) -> tuple[Patient, Patient]:
    rows = Patient.objects.select_for_update().in_bulk([survivor.pk, merged.pk])
    return rows[survivor.pk], rows[merged.pk]


def _clashing_appointment(survivor: Patient, merged: Patient):
    """An appointment of the duplicate at the same time as one of the survivor's, if any."""
    for appointment in merged.appointments.holding():
        clash = survivor.appointments.holding().overlapping(
            appointment.starts_at, appointment.ends_at
        )
        if clash.exists():
            return appointment
    return None


def _perform(merge: PatientMerge, *, by) -> PatientMerge:
    survivor, merged = merge.survivor, merge.merged
    clash = _clashing_appointment(survivor, merged)
    if clash is not None:
        when = timezone.localtime(clash.starts_at)
        raise ValidationError(
            f"Both records have an appointment at {when:%a %-d %b %Y %H:%M}: cancel or move one "
            "of them, then merge."
        )
    moved: dict[str, int] = {}
    try:
        with transaction.atomic():
            for rel in _relations():
                field = rel.field.name
                rows = list(_records(rel, merged))
                for row in rows:  # saved one by one, so that each keeps its own history
                    setattr(row, field, survivor)
                    row.save(update_fields=[field])
                if rows:
                    moved[rel.related_name] = len(rows)
            _move_portal_login(survivor, merged)
            for name in CONTACT_FIELDS:
                if not getattr(survivor, name) and getattr(merged, name):
                    setattr(survivor, name, getattr(merged, name))
            survivor.version += 1
            survivor.save()
            merged.archived_at = merged.archived_at or timezone.now()
            merged.merged_into = survivor
            merged.version += 1
            merged.save()
    except IntegrityError:
        raise ValidationError(
            "These records hold something that cannot be combined (two bookings at one time, "
            "say). Nothing was merged."
        ) from None
    merge.transition_to(PatientMerge.Status.DONE, via=Workflow.PATIENT_MERGE)
    merge.decided_by, merge.decided_at, merge.moved = by, timezone.now(), moved
    merge.save()
    return merge


def _move_portal_login(survivor: Patient, merged: Patient) -> None:
    """The survivor keeps its own portal login; else takes the duplicate's. A second login is
    switched off, so the person has one way in."""
    login = merged.user
    if login is None:
        return
    merged.user = None
    merged.save(update_fields=["user"])
    if survivor.user_id is None:
        survivor.user = login
    else:
        get_user_model().objects.filter(pk=login.pk).update(is_active=False)
