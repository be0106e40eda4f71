"""The clinicians' worklist: to-dos raised for a dermatologist."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from clinic.models import Role
from treatments.models.states import StateMachine, StateMachineModel, Transition, transition


class WorklistItemState(models.TextChoices):
    """An item is open until a dermatologist marks it done (``done_at``), once."""

    OPEN = "open", "Open"
    DONE = "done", "Done"


WORKLIST_ITEM_STATES = StateMachine(
    field="state",
    states=WorklistItemState,
    refused=lambda current, target, targets: "This item was already marked done.",
    unknown="Unknown worklist item state.",
    transitions=[
        transition(
            WorklistItemState.OPEN,
            WorklistItemState.DONE,
            "Done",
            roles=[Role.DERMATOLOGIST],
        )
    ],
)


class WorklistItem(StateMachineModel, models.Model):
    """Something a dermatologist must look at, shown on their home until done."""

    class Kind(models.TextChoices):
        SKIN_REPORT = "check_in", "Skin report beyond the expected"
        OTHER = "other", "Other"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="worklist_items"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="worklist_items",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    skin_report = models.OneToOneField(
        "SkinReport", null=True, blank=True, on_delete=models.PROTECT, related_name="worklist_item"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)

    state_machine = WORKLIST_ITEM_STATES

    class Meta:
        ordering = ["done_at", "-created_at"]
        indexes = [models.Index(fields=["done_at", "assigned_to"], name="worklist_open_idx")]

    def __str__(self):
        return self.title

    @property
    def outcome_required(self) -> bool:
        """A report of a skin reaction beyond the expected is closed only with what was done about
        it: the note is the record that the patient was followed up."""
        return self.kind == self.Kind.SKIN_REPORT

    @property
    def state(self) -> WorklistItemState:
        return WorklistItemState.DONE if self.done_at is not None else WorklistItemState.OPEN

    def transition_to(self, to, *, by=None, via=None) -> Transition:
        """Mark the item done by ``by``, now (not saved)."""
        row = self.state_machine.check(self, to, by=by, via=via)
        self.done_at = timezone.now()
        self.done_by = by
        return row
