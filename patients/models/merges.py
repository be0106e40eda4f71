"""Merging a duplicate patient record into the one that stays.

The desk (or a dermatologist) finds two records of one person and merges them: every record of
the duplicate moves to the survivor, and the duplicate is archived, pointing at the survivor, its
own history kept. When both records hold clinical records, a dermatologist confirms the merge
before anything moves, since two clinical histories become one.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from clinic.access import CLINICIANS
from clinic.states import StateMachine, StateMachineModel, Workflow, transition


class MergeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a dermatologist"
    DONE = "done", "Merged"
    DECLINED = "declined", "Declined"


#: The only ways a merge moves: a pending merge is done, by the merge itself (which moves the
#: records, once a dermatologist confirms or at once when no review is needed), or declined by a
#: dermatologist. Both are final.
MERGE_STATES = StateMachine(
    field="status",
    states=MergeStatus,
    refused=lambda current, target, targets: f"This merge is already {current.label.lower()}.",
    unknown="Unknown merge decision.",
    transitions=[
        transition(
            MergeStatus.PENDING,
            MergeStatus.DONE,
            "Merge the records",
            roles=CLINICIANS,
            via=[Workflow.PATIENT_MERGE],
        ),
        transition(MergeStatus.PENDING, MergeStatus.DECLINED, "Keep them apart", roles=CLINICIANS),
    ],
)


class PatientMerge(StateMachineModel, models.Model):
    Status = MergeStatus

    state_machine = MERGE_STATES

    survivor = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="merges_kept"
    )
    merged = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="merges_absorbed"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=300, blank=True)
    #: What moved, by kind: {"appointments": 2, "screens": 1, ...}; empty until done.
    moved = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            MERGE_STATES.constraint("patientmerge_status_valid"),
            models.CheckConstraint(
                condition=~Q(survivor=F("merged")), name="patientmerge_two_records"
            ),
            # One open merge per duplicate: it cannot be absorbed twice or by two survivors.
            models.UniqueConstraint(
                fields=["merged"],
                condition=Q(status__in=["pending", "done"]),
                name="patientmerge_once_per_duplicate",
            ),
        ]

    def __str__(self):
        return f"Merge of patient {self.merged_id} into {self.survivor_id} ({self.status})"
