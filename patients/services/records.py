"""Workflows on patient records that must happen whole or not at all."""

from django.db import transaction
from django.utils import timezone

from clinic.concurrency import save_versioned
from patients.models import Consent, ConsentChannel, ConsentText, Patient, Screen


@transaction.atomic
def patient_register(*, form) -> Patient:
    return form.save()


@transaction.atomic
def patient_update(*, form, loaded_version: int) -> Patient:
    """Save contact details unless someone else saved first (raises StaleEdit)."""
    patient = form.instance
    save_versioned(patient, loaded_version=loaded_version, save=form.save)
    return patient


@transaction.atomic
def patient_archive(*, patient: Patient) -> None:
    """Archive rather than delete: clinical records must outlive the patient's activity."""
    if patient.archived_at is None:
        patient.archived_at = timezone.now()
        patient.save(update_fields=["archived_at"])


@transaction.atomic
def patient_unarchive(*, patient: Patient) -> None:
    if patient.archived_at is not None:
        patient.archived_at = None
        patient.save(update_fields=["archived_at"])


@transaction.atomic
def screen_record(*, patient: Patient, author, form) -> Screen:
    """A new dated screen; earlier screens are never touched."""
    screen = form.save(commit=False)
    screen.patient = patient
    screen.author = author
    screen.save()
    return screen


@transaction.atomic
def consent_sign(
    *,
    patient: Patient,
    text: ConsentText,
    signed_name: str,
    witness,
    channel: str = ConsentChannel.IN_CLINIC,
    ip: str | None = None,
    user_agent: str = "",
) -> Consent:
    """Record the patient's signature on ``text`` with its evidence (the text's version and the
    hash of its wording are taken from ``text``). In the portal nobody witnesses it."""
    if channel not in ConsentChannel.values:
        raise ValueError(f"Unknown consent channel {channel!r}.")
    limit = Consent._meta.get_field("user_agent").max_length
    return Consent.objects.create(
        patient=patient,
        text=text,
        signed_name=signed_name,
        agreed=True,
        witnessed_by=witness,
        channel=channel,
        signed_from_ip=ip or None,
        user_agent=(user_agent or "")[:limit],
    )


@transaction.atomic
def consent_revoke(*, consent: Consent, by, reason: str) -> Consent:
    """Revoke from now on; the signature and its date stay on record."""
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_by = by
        consent.revocation_reason = reason
        consent.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return consent
