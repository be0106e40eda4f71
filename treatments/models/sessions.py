"""The treatment session record, its addenda, adverse events and aftercare texts."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.adverse_events import SeriousCriterion, is_serious, reporting_deadline
from clinic.lib.vocabulary import Route
from clinic.lib.zones import in_chart_order
from clinic.models import Role
from clinic.published import PublishedText
from treatments.models.states import StateMachine, StateMachineModel, transition


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    NOT_TREATED = "not_treated", "Closed, not treated"


def _session_refused(current: SessionStatus, target: SessionStatus, targets: list) -> str:
    if not targets:
        return "This session is locked: add an addendum."
    return f"A session {current.label.lower()} cannot become {target.label.lower()}."


#: A session record is open until the dermatologist completes it or closes it as not treated;
#: both lock it (treatments.services.sessions).
SESSION_STATES = StateMachine(
    field="status",
    states=SessionStatus,
    refused=_session_refused,
    unknown="Unknown session status.",
    transitions=[
        transition(
            SessionStatus.IN_PROGRESS,
            SessionStatus.COMPLETED,
            "Complete the session",
            roles=[Role.DERMATOLOGIST],
        ),
        transition(
            SessionStatus.IN_PROGRESS,
            SessionStatus.NOT_TREATED,
            "Close as not treated",
            roles=[Role.DERMATOLOGIST],
        ),
    ],
)


class TreatmentSession(StateMachineModel, models.Model):
    """What happened at one treatment appointment (docs/clinical-rules.md §Treatment session).

    Completing it locks the record: later corrections are addenda, the original kept.
    """

    appointment = models.OneToOneField(
        "Appointment", on_delete=models.PROTECT, related_name="session"
    )
    plan = models.ForeignKey(
        "TreatmentPlan", on_delete=models.PROTECT, related_name="sessions_done"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS
    )
    # The day-of "anything changed?" screen (docs/clinical-rules.md §Contraindication screen).
    prescreen = models.ForeignKey(
        "patients.Screen", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_treated_reason = models.TextField(blank=True)
    skin_prepared = models.BooleanField("skin prepared (gentle cleansing)", default=False)
    lot = models.ForeignKey(
        "Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    amount = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    areas = models.JSONField(default=list, blank=True)
    device = models.CharField(max_length=120, blank=True)
    depths = models.JSONField("needle depths (mm) per area", default=dict, blank=True)
    laser_settings = models.TextField(blank=True)
    #: The treated zones of the face chart, each {"zone", "amount", "depth", "laser_settings"}
    #: (amount and depth as decimal strings or None); the route is the plan's and the lot the
    #: session's (docs/clinical-rules.md §Treated zones).
    zones = models.JSONField("treated zones", default=list, blank=True)
    immediate_reactions = models.JSONField(default=list, blank=True)
    post_care = models.JSONField("post-treatment care given", default=list, blank=True)
    notes = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The aftercare the patient was given, as it was: the manager's text of the time and the
    # computed instructions with their clock times.
    aftercare_text = models.TextField(blank=True)
    aftercare = models.JSONField(default=dict, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    state_machine = SESSION_STATES

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "-started_at"], name="session_patient_idx"),
            # The reports count completed sessions by their start (a range) and look up a
            # plan's previous or latest one (intervals kept, the plan's usual amount).
            models.Index(
                fields=["started_at", "plan", "lot"],
                condition=Q(status="completed"),
                name="session_completed_idx",
            ),
            models.Index(
                fields=["plan", "started_at", "amount"],
                condition=Q(status="completed"),
                name="session_completed_plan_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="session_ends_after_start",
            ),
            SESSION_STATES.constraint("session_status_valid"),
        ]

    def __str__(self):
        return f"Session of {timezone.localtime(self.started_at):%d %b %Y} for {self.patient}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def zone_names(self) -> list[str]:
        return [row.get("zone") for row in self.zones]

    @property
    def zone_rows(self) -> list[dict]:
        """The treated zones in chart order, with their labels, for the pages and the export."""
        by_zone = {row.get("zone"): row for row in self.zones}
        return [
            {**by_zone[zone.value], "zone": zone.value, "label": zone.label}
            for zone in in_chart_order(by_zone)
        ]


class SessionAddendum(models.Model):
    """A correction or addition to a locked session, by its author, at its time."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Addendum of {self.created_at:%d %b %Y} to {self.session}"


class AdverseEventOutcome(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    RESOLVED = "resolved", "Resolved"
    RESOLVED_WITH_SEQUELAE = "sequelae", "Resolved with lasting effects"


def _adverse_event_refused(current, target, targets: list) -> str:
    if not targets:
        return "This adverse event is resolved: its record is closed."
    return f"An adverse event {current.label.lower()} cannot become {target.label.lower()}."


#: An event is open (and editable) while ongoing; resolving it, with or without lasting effects,
#: closes it. Only its reporting to the regulator is recorded after that.
ADVERSE_EVENT_STATES = StateMachine(
    field="outcome",
    states=AdverseEventOutcome,
    refused=_adverse_event_refused,
    unknown="Unknown outcome.",
    transitions=[
        transition(
            AdverseEventOutcome.ONGOING,
            AdverseEventOutcome.RESOLVED,
            "Resolved",
            roles=[Role.DERMATOLOGIST],
        ),
        transition(
            AdverseEventOutcome.ONGOING,
            AdverseEventOutcome.RESOLVED_WITH_SEQUELAE,
            "Resolved with lasting effects",
            roles=[Role.DERMATOLOGIST],
        ),
    ],
)


class AdverseEventQuerySet(models.QuerySet):
    def to_report(self):
        """Serious events not yet marked reported to the regulator, soonest deadline first."""
        return self.filter(serious_on__isnull=False, reported_on__isnull=True).order_by(
            "serious_on", "pk"
        )


class AdverseEvent(StateMachineModel, models.Model):
    """Anything beyond the expected short-term effects (docs/clinical-rules.md §Treatment
    session, §Serious adverse events)."""

    class Kind(models.TextChoices):
        BLISTERING = "blistering", "Blistering"
        INFECTION = "infection", "Signs of infection"
        SEVERE_SWELLING = "severe_swelling", "Severe or lasting swelling"
        PIGMENT_CHANGE = "pigment_change", "Pigment change"
        ALLERGY = "allergy", "Allergic reaction"
        OTHER = "other", "Other"

    class Severity(models.TextChoices):
        MILD = "mild", "Mild"
        MODERATE = "moderate", "Moderate"
        SEVERE = "severe", "Severe"

    Outcome = AdverseEventOutcome

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="adverse_events"
    )
    session = models.ForeignKey(
        TreatmentSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adverse_events",
    )
    lot = models.ForeignKey(
        "Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="adverse_events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    onset_on = models.DateField()
    action_taken = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ONGOING)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_on = models.DateField(null=True, blank=True)
    # docs/clinical-rules.md §Serious adverse events: the criteria it meets (none: not serious),
    # and the day the clinic knew, from which the reporting deadline runs.
    serious_criteria = models.JSONField(default=list, blank=True)
    serious_on = models.DateField("known to be serious on", null=True, blank=True)
    other_products = models.TextField(
        "other products used",
        blank=True,
        help_text="Skincare, cosmetics and medicines the patient used around the time.",
    )
    reported_on = models.DateField("reported to the regulator on", null=True, blank=True)
    report_reference = models.CharField("report reference", max_length=80, blank=True)
    report_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = AdverseEventQuerySet.as_manager()
    state_machine = ADVERSE_EVENT_STATES

    class Meta:
        ordering = ["-onset_on", "-pk"]
        constraints = [
            ADVERSE_EVENT_STATES.constraint("adverse_event_outcome_valid"),
            models.CheckConstraint(
                condition=(Q(outcome=AdverseEventOutcome.ONGOING) & Q(resolved_on__isnull=True))
                | (
                    ~Q(outcome=AdverseEventOutcome.ONGOING)
                    & Q(resolved_on__isnull=False)
                    & Q(resolved_on__gte=F("onset_on"))
                ),
                name="adverse_event_resolved_on_date",
            ),
            models.CheckConstraint(
                condition=(Q(reported_on__isnull=True) & Q(report_reference=""))
                | (
                    Q(reported_on__isnull=False)
                    & ~Q(report_reference="")
                    & Q(serious_on__isnull=False)
                ),
                name="adverse_event_reported_with_reference",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_severity_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.outcome == AdverseEventOutcome.ONGOING

    @property
    def is_serious(self) -> bool:
        return is_serious(self.serious_criteria)

    @property
    def serious_criteria_labels(self) -> list[str]:
        return [c.label for c in SeriousCriterion if c.value in self.serious_criteria]

    @property
    def reporting_deadline(self):
        """The last day to report it, for a serious event (docs/clinical-rules.md §Serious
        adverse events); None otherwise."""
        return reporting_deadline(self.serious_on) if self.serious_on else None


class AftercareText(PublishedText):
    """The clinic's own aftercare wording for a route, kept in versions by the manager."""

    version_of = "route"

    route = models.CharField(max_length=16, choices=Route.choices)
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["route", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["route", "version"], name="aftercare_text_version")
        ]

    def __str__(self):
        return f"Aftercare for {self.get_route_display().lower()}, version {self.version}"
