"""What the patients app adds to the homes: merges waiting for a dermatologist."""

from patients.access import merges_for_user
from patients.models import PatientMerge


def merges_waiting_section(request) -> dict:
    """Pending merges of two clinical records, oldest first (two queries)."""
    pending = (
        merges_for_user(request.user)
        .filter(status=PatientMerge.Status.PENDING)
        .select_related("survivor", "merged")
        .order_by("requested_at", "pk")
    )
    return {"merges": list(pending[:5]), "more": max(pending.count() - 5, 0)}
