"""The patient's intake before a consultation: the screen's questions answered in the portal,
with their skin concerns and goals (docs/clinical-rules.md §Intake).

What the patient reports stays here, apart from the screens the rules read: it becomes a screen
only when a dermatologist confirms it (``Screen.source`` "patient-reported"), so that nothing
patient-reported drives a recommendation before a clinician has read it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.models import Role
from treatments.models.states import StateMachine, StateMachineModel, Workflow, transition


class IntakeStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    CONFIRMED = "confirmed", "Confirmed"


def _intake_refused(current: IntakeStatus, target: IntakeStatus, targets: list) -> str:
    if current == IntakeStatus.CONFIRMED:
        return "This intake is already confirmed: it is a screen on the patient's chart now."
    return f"An intake {current.label.lower()} cannot become {target.label.lower()}."


_I = IntakeStatus
_PATIENT = [Workflow.INTAKE]
#: An intake's states. The patient moves it in the portal (saving, sending, changing answers
#: before the clinic has confirmed them); a dermatologist confirms a submitted one.
INTAKE_STATES = StateMachine(
    field="status",
    states=IntakeStatus,
    refused=_intake_refused,
    unknown="Unknown intake status.",
    transitions=[
        transition(_I.NOT_STARTED, _I.IN_PROGRESS, via=_PATIENT),
        transition(_I.NOT_STARTED, _I.SUBMITTED, via=_PATIENT),
        transition(_I.IN_PROGRESS, _I.SUBMITTED, via=_PATIENT),
        transition(_I.SUBMITTED, _I.IN_PROGRESS, via=_PATIENT),
        transition(
            _I.SUBMITTED,
            _I.CONFIRMED,
            "Confirm as a screen",
            roles=[Role.DERMATOLOGIST],
            refusal="Only a dermatologist confirms an intake.",
        ),
    ],
)


def _empty_list():
    return []


class Intake(StateMachineModel, models.Model):
    """One patient's intake for one consultation. Yes/no answers are empty until answered."""

    appointment = models.OneToOneField(
        "Appointment", on_delete=models.CASCADE, related_name="intake"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="intakes"
    )
    status = models.CharField(
        max_length=12, choices=IntakeStatus.choices, default=IntakeStatus.NOT_STARTED
    )

    # The screen's questions, under the screen's field names (clinic.lib.intake.QUESTIONS).
    active_infection_areas = models.JSONField(default=_empty_list, blank=True)
    inflammatory_flare_areas = models.JSONField(default=_empty_list, blank=True)
    lesion_areas = models.JSONField(default=_empty_list, blank=True)
    isotretinoin_last_taken = models.DateField(null=True, blank=True)
    anticoagulant = models.BooleanField(null=True, blank=True)
    antiplatelet = models.BooleanField(null=True, blank=True)
    bleeding_disorder = models.BooleanField(null=True, blank=True)
    keloid_history = models.BooleanField(null=True, blank=True)
    immunosuppressed = models.BooleanField(null=True, blank=True)
    uncontrolled_diabetes = models.BooleanField(null=True, blank=True)
    pregnant_or_breastfeeding = models.BooleanField(null=True, blank=True)
    current_medications = models.TextField(blank=True)
    last_sunburn_or_tan = models.DateField(null=True, blank=True)
    last_peel_or_laser = models.DateField(null=True, blank=True)
    allergens = models.JSONField(default=_empty_list, blank=True)
    other_allergies = models.TextField(blank=True)

    # What the patient would like: the concerns of the assessment, and their own words.
    concerns = models.JSONField("skin concerns", default=_empty_list, blank=True)
    concerns_in_own_words = models.TextField("your skin, in your own words", blank=True)
    goals = models.TextField("what you hope to achieve", blank=True)

    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    screen = models.OneToOneField(
        "patients.Screen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake",
    )
    #: The clinical alert a blocking answer raised, once per intake.
    alert = models.ForeignKey(
        "ClinicalAlert", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    state_machine = INTAKE_STATES

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            INTAKE_STATES.constraint("intake_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=[_I.SUBMITTED, _I.CONFIRMED])
                | Q(submitted_at__isnull=False),
                name="intake_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=_I.CONFIRMED)
                | Q(confirmed_at__isnull=False, confirmed_by__isnull=False, screen__isnull=False),
                name="intake_confirmed_has_screen",
            ),
        ]

    def __str__(self):
        return f"Intake for appointment {self.appointment_id} ({self.get_status_display()})"

    def answers(self) -> dict:
        """The screen's answers as clinic.lib.intake reads them."""
        from clinic.lib.intake import QUESTIONS

        return {q.name: getattr(self, q.name) for q in QUESTIONS}
