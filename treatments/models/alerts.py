"""Clinical alerts: something a patient reported that a dermatologist must see at once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from phonenumber_field.modelfields import PhoneNumberField

from clinic.models import Role
from treatments.models.states import StateMachine, StateMachineModel, transition


class AlertUrgency(models.TextChoices):
    URGENT = "urgent", "Urgent"
    SOON = "soon", "Soon"


class AlertSource(models.TextChoices):
    SKIN_REPORT = "skin_report", "Skin report beyond the expected"
    ADVERSE_REACTION = "adverse_reaction", "Reaction reported by the patient"
    INTAKE = "intake", "Intake answer that blocks treatment"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Not read yet"
    READ = "read", "Read by the clinic"
    HANDLED = "handled", "Handled"


_A = AlertStatus
_DERM = [Role.DERMATOLOGIST]
ALERT_STATES = StateMachine(
    field="status",
    states=AlertStatus,
    refused=lambda current, target, targets: (
        f"An alert {current.label.lower()} cannot become {target.label.lower()}."
    ),
    unknown="Unknown alert status.",
    transitions=[
        transition(_A.OPEN, _A.READ, "Mark read", roles=_DERM),
        transition(_A.OPEN, _A.HANDLED, "Handled", roles=_DERM),
        transition(_A.READ, _A.HANDLED, "Handled", roles=_DERM),
    ],
)


class ClinicalAlert(StateMachineModel, models.Model):
    """A report that needs the responsible dermatologist now: emailed at once, a banner on the
    chart and a line on their home until handled, escalated to the other dermatologists when an
    urgent one is left unhandled (``ALERT_ESCALATE_HOURS``). The patient sees that it was read,
    and the outcome note."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="clinical_alerts"
    )
    reason = models.CharField(max_length=300)
    urgency = models.CharField(max_length=8, choices=AlertUrgency.choices)
    source = models.CharField(max_length=16, choices=AlertSource.choices)
    skin_report = models.ForeignKey(
        "SkinReport", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    #: Nobody: every dermatologist is responsible (no session or plan names one yet).
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinical_alerts",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    read_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)
    #: When the responsible dermatologist was emailed, and when the others were (escalation);
    #: each set by one conditional UPDATE, so each email goes once.
    notified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    state_machine = ALERT_STATES

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["status", "urgency"], name="alert_open_idx")]
        constraints = [
            ALERT_STATES.constraint("alert_status_valid"),
            models.CheckConstraint(
                condition=Q(urgency__in=AlertUrgency.values), name="alert_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=AlertSource.values), name="alert_source_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_urgency_display()} alert for patient {self.patient_id}"

    @property
    def is_open(self) -> bool:
        return self.status != AlertStatus.HANDLED


class AlertTexts(models.Model):
    """A dermatologist's choice to have alerts texted to them as well as emailed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_texts"
    )
    mobile = PhoneNumberField(blank=True, help_text="Stored in international (E.164) form.")
    enabled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "alert texts"
        constraints = [
            models.CheckConstraint(
                condition=Q(enabled=False) | ~Q(mobile=""), name="alert_texts_need_a_mobile"
            )
        ]

    def __str__(self):
        return f"Alert texts of user {self.user_id}"
