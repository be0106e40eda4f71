"""What patients send from the portal: skin reports, change requests and ratings."""


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.models import Role
from treatments.models.states import StateMachine, StateMachineModel, Transition, transition


class Intensity(models.TextChoices):
    NONE = "none", "None"
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class SkinReport(models.Model):
    """How the patient's skin is doing after a session, in their words (the portal)."""

    session = models.ForeignKey(
        "TreatmentSession", on_delete=models.PROTECT, related_name="skin_reports"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="skin_reports"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    redness = models.CharField(max_length=10, choices=Intensity.choices)
    warmth = models.CharField(max_length=10, choices=Intensity.choices)
    swelling = models.CharField(max_length=10, choices=Intensity.choices)
    itching = models.CharField(max_length=10, choices=Intensity.choices)
    tenderness = models.CharField(max_length=10, choices=Intensity.choices)
    anything_else = models.TextField(blank=True)
    beyond_expected = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"Skin report of {timezone.localtime(self.submitted_at):%d %b %Y}"




class RequestState(models.TextChoices):
    """A patient's request is open until the desk says what was done (``handled_at``), once."""

    OPEN = "open", "Open"
    HANDLED = "handled", "Handled"


REQUEST_STATES = StateMachine(
    field="state",
    states=RequestState,
    refused=lambda current, target, targets: "This request was already handled.",
    unknown="Unknown request state.",
    transitions=[
        transition(
            RequestState.OPEN,
            RequestState.HANDLED,
            "Mark handled",
            roles=[Role.FRONT_DESK, Role.DERMATOLOGIST],
        )
    ],
)


class ChangeRequest(StateMachineModel, models.Model):
    """A patient asks, in the portal, to move or cancel an appointment; the desk handles it."""

    class Kind(models.TextChoices):
        MOVE = "move", "Move"
        CANCEL = "cancel", "Cancel"

    appointment = models.ForeignKey(
        "Appointment", on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)

    state_machine = REQUEST_STATES

    class Meta:
        ordering = ["handled_at", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(handled_at__isnull=True),
                name="one_open_request_per_appointment",
            )
        ]

    def __str__(self):
        return f"Request to {self.get_kind_display().lower()} appointment {self.appointment_id}"

    @property
    def state(self) -> RequestState:
        return RequestState.HANDLED if self.handled_at is not None else RequestState.OPEN

    def transition_to(self, to, *, by=None, via=None) -> Transition:
        """Mark the request handled by ``by``, now (not saved)."""
        row = self.state_machine.check(self, to, by=by, via=via)
        self.handled_at = timezone.now()
        self.handled_by = by
        return row
