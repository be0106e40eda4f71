"""The chart's "Who has opened this record" panel: the latest reads of the patient's record."""

from audit.models import AccessLog
from clinic.models import Role
from patients.panels import Panel

SHOWN = 15


def who_opened_panel(patient, role) -> Panel | None:
    """Dermatologists see who read this patient's record, newest first (one query)."""
    if role != Role.DERMATOLOGIST:
        return None
    reads = list(AccessLog.objects.filter(patient=patient).select_related("user")[:SHOWN])
    return Panel(
        key="who-opened",
        title="Who has opened this record",
        template="audit/panel_who_opened.html",
        context={"reads": reads, "shown": SHOWN},
    )
