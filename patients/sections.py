"""What the patients app adds to the homes: merges waiting for a dermatologist."""

from patients.models import PatientMerge


def merges_waiting_section(request) -> dict:
    """Pending merges of two clinical records, oldest first (two queries)."""
    pending = (
        PatientMerge.objects.filter(status=PatientMerge.Status.PENDING)
        .select_related("survivor", "merged")
        .order_by("requested_at", "pk")
    )
    return {"merges": list(pending[:5]), "more": max(pending.count() - 5, 0)}
