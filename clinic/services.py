"""Clinic-wide workflows: recording account changes, and the clinical policy switches."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from clinic.access import CLINICIANS
from clinic.models import (
    AccountChange,
    ClinicSettings,
    PolicyChange,
    PolicySetting,
    Role,
    User,
)

_CLINICAL_NAMES = frozenset(role.value for role in CLINICIANS)


def _role_label(name: str) -> str:
    return Role(name).label if name in Role.values else name


def account_changes_record(
    *,
    by: User | None,
    account: User,
    roles_before: set[str],
    roles_after: set[str],
    email_before: str,
    email_after: str,
) -> list[AccountChange]:
    """Record the roles given and taken away, and a clinician's new email address."""
    Kind = AccountChange.Kind
    changes = [
        AccountChange(by=by, account=account, kind=Kind.ROLE_GRANTED, detail=_role_label(name))
        for name in sorted(roles_after - roles_before)
    ] + [
        AccountChange(by=by, account=account, kind=Kind.ROLE_REMOVED, detail=_role_label(name))
        for name in sorted(roles_before - roles_after)
    ]
    clinical = (roles_before | roles_after) & _CLINICAL_NAMES
    if clinical and email_before and email_before.lower() != email_after.lower():
        changes.append(
            AccountChange(
                by=by,
                account=account,
                kind=Kind.EMAIL_CHANGED,
                detail=f"{email_before} → {email_after}",
            )
        )
    return AccountChange.objects.bulk_create(changes)


def account_password_record(*, by: User | None, account: User, kind: str) -> AccountChange | None:
    """Record a clinician's new password (never the password itself); others are not listed."""
    if not account.is_clinician:
        return None
    return AccountChange.objects.create(by=by, account=account, kind=kind)


@transaction.atomic
def clinic_policy_change(*, by: User, values: dict[str, bool], reason: str) -> list[PolicyChange]:
    """A dermatologist changes clinical policy switches, giving the reason; each one changed is
    recorded with its old and new value."""
    if not by.has_role(*CLINICIANS):
        raise PermissionDenied("Only a dermatologist changes the clinical policy.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the policy changes: it is kept with the change."})
    unknown = set(values) - set(ClinicSettings.POLICY_FIELDS)
    if unknown:
        raise ValueError(f"Not clinical policy switches: {', '.join(sorted(unknown))}")
    ClinicSettings.load()
    clinic = ClinicSettings.objects.select_for_update().get(pk=1)
    changed = [
        PolicyChange(
            by=by, setting=PolicySetting(name), old=getattr(clinic, name), new=new, reason=reason
        )
        for name, new in values.items()
        if getattr(clinic, name) != new
    ]
    if not changed:
        raise ValidationError("Nothing changed: every switch already reads as chosen.")
    for change in changed:
        setattr(clinic, change.setting, change.new)
    clinic._change_reason = reason  # kept in the clinic record's own history too
    clinic._history_user = by
    clinic.save(update_fields=[change.setting for change in changed])
    return PolicyChange.objects.bulk_create(changed)
