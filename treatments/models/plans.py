"""The treatment plan: a course on one route, written from a skin assessment.

docs/clinical-rules.md §Workflow.
"""


from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from clinic.lib.vocabulary import Area, Route
from clinic.models import Role
from treatments.models.appointments import Appointment
from treatments.models.states import (
    StateMachine,
    StateMachineModel,
    Workflow,
    transition,
)
from treatments.models.states import (
    TransitionRefused as TransitionRefused,  # the one refusal of every state machine, re-exported
)


class PlanState(models.TextChoices):
    """A plan's states (docs/clinical-rules.md §Workflow); the transitions are ``PLAN_STATES``
    below."""

    DRAFT = "draft", "Draft"
    PLANNED = "planned", "Planned"
    IN_TREATMENT = "in_treatment", "In treatment"
    FOLLOW_UP = "follow_up", "Follow-up"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


MAX_SESSIONS = 12
MAX_INTERVAL_DAYS = 365

#: Plan states in which sessions may be booked.
BOOKABLE_STATES = frozenset({PlanState.PLANNED, PlanState.IN_TREATMENT, PlanState.FOLLOW_UP})


class TreatmentPlanQuerySet(models.QuerySet):
    def with_booked_sessions(self):
        """Each plan with ``booked``: how many of its sessions are booked, counted as
        ``TreatmentPlan.booked_sessions()`` counts them (one subquery, not a query per plan)."""
        counted = (
            Appointment.objects.booked_sessions()
            .filter(plan=OuterRef("pk"))
            .order_by()
            .values("plan")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(booked=Coalesce(Subquery(counted), 0))


# The plan's state machine.
# The treatment plan's states and the only transitions allowed between them.
#
# docs/clinical-rules.md §Workflow: draft -> planned (route chosen, sessions decided) -> in
# treatment (first session done) -> follow-up -> completed; or cancelled at any point (with a
# reason). And "Follow-up and outcomes": the decision at a follow-up is continue, adjust the plan,
# complete, or maintenance.
#
# Choices where docs/clinical-rules.md is silent:
# - planned -> draft: a planned course may be reopened to revise it before the first session.
# - planned -> in treatment happens when the first session record is completed
#   (treatments.services.sessions.session_complete), never from a button: "first session done"
#   means a session recorded with its lot, depths and aftercare.
# - follow-up -> in treatment: "continue" (or "maintenance": a session every few months) goes back
#   into treatment on the same plan.
# - completed and cancelled are final. A new course after completion is a new plan from a new
#   assessment, so that the finished course keeps its own outcome record.
#
# This table is the single place that says which transition is allowed, who makes it and what its
# button says; services.plans.plan_transition enforces it and adds the checks a transition needs
# (a reason to cancel, a valid choice to plan).

#: States whose plan may still be edited (route, product, course): before the first session.
EDITABLE: frozenset[PlanState] = frozenset({PlanState.DRAFT, PlanState.PLANNED})

#: Plans are moved by the dermatologists.
PLAN_ROLES = (Role.DERMATOLOGIST,)

FIRST_SESSION_STARTS_TREATMENT = (
    "A plan goes into treatment when its first session record is completed: record the session "
    "from the patient's checked-in appointment."
)


def _refused(current: PlanState, target: PlanState, targets: list[PlanState]) -> str:
    if not targets:
        return f"A {current.label.lower()} plan cannot change state."
    allowed = ", ".join(sorted(state.label.lower() for state in targets))
    return (
        f"A {current.label.lower()} plan cannot become {target.label.lower()} (it can become: "
        f"{allowed})."
    )


_P = PlanState
PLAN_STATES = StateMachine(
    field="state",
    states=PlanState,
    refused=_refused,
    unknown="Unknown plan state.",
    transitions=[
        transition(_P.DRAFT, _P.PLANNED, "Mark as planned", roles=PLAN_ROLES),
        transition(_P.DRAFT, _P.CANCELLED, "Cancel the plan", roles=PLAN_ROLES),
        transition(_P.PLANNED, _P.DRAFT, "Reopen as draft", roles=PLAN_ROLES),
        transition(
            _P.PLANNED,
            _P.IN_TREATMENT,
            via=[Workflow.SESSION_COMPLETION],
            refusal=FIRST_SESSION_STARTS_TREATMENT,
        ),
        transition(_P.PLANNED, _P.CANCELLED, "Cancel the plan", roles=PLAN_ROLES),
        transition(_P.IN_TREATMENT, _P.FOLLOW_UP, "Move to follow-up", roles=PLAN_ROLES),
        transition(_P.IN_TREATMENT, _P.CANCELLED, "Cancel the plan", roles=PLAN_ROLES),
        transition(_P.FOLLOW_UP, _P.IN_TREATMENT, "Continue treatment", roles=PLAN_ROLES),
        transition(_P.FOLLOW_UP, _P.COMPLETED, "Complete the course", roles=PLAN_ROLES),
        transition(_P.FOLLOW_UP, _P.CANCELLED, "Cancel the plan", roles=PLAN_ROLES),
    ],
)


class TreatmentPlan(StateMachineModel, models.Model):
    """A course: one assessment, one route and product, N sessions at an interval.

    docs/clinical-rules.md §Workflow: the software recommends and explains, the dermatologist
    decides. What the software advised when the plan was saved is kept in ``recommendation``.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="plans")
    assessment = models.ForeignKey(
        "patients.Assessment", on_delete=models.PROTECT, related_name="plans"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=16, choices=Route.choices)
    product = models.ForeignKey(
        "Product", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    areas = models.JSONField("treated areas", default=list)
    sessions = models.PositiveSmallIntegerField(
        "number of sessions", validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSIONS)]
    )
    interval_days = models.PositiveSmallIntegerField(
        "interval between sessions (days)",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_DAYS)],
    )
    # Microneedling only: {area: depth in mm, as a decimal string}.
    depths = models.JSONField("needle depths", default=dict, blank=True)
    laser_settings = models.TextField("laser settings and notes", blank=True)
    justification = models.TextField(blank=True)
    notes = models.TextField("clinical notes", blank=True)
    # What the software advised at the time of saving: every route's status, rank and reasons.
    recommendation = models.JSONField(default=dict, blank=True)
    screen = models.ForeignKey(
        "patients.Screen",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The screen the recommendation read.",
    )
    state = models.CharField(max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    cancel_reason = models.TextField("reason for cancelling", blank=True)
    state_changed_at = models.DateTimeField(auto_now_add=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()
    objects = TreatmentPlanQuerySet.as_manager()
    state_machine = PLAN_STATES

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "treatment plan"
        indexes = [models.Index(fields=["patient", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions__gte=1, sessions__lte=MAX_SESSIONS),
                name="plan_sessions_1_12",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1, interval_days__lte=MAX_INTERVAL_DAYS),
                name="plan_interval_at_least_a_day",
            ),
            PLAN_STATES.constraint("plan_state_known"),
            models.CheckConstraint(condition=Q(route__in=Route.values), name="plan_route_known"),
            models.CheckConstraint(
                condition=~Q(state=PlanState.CANCELLED) | ~Q(cancel_reason=""),
                name="plan_cancel_has_reason",
            ),
            # "planned (route chosen, sessions decided)": a product too, from planned on.
            models.CheckConstraint(
                condition=Q(state__in=[PlanState.DRAFT, PlanState.CANCELLED])
                | Q(product__isnull=False),
                name="plan_product_from_planned_on",
            ),
        ]

    def __str__(self):
        return f"{self.get_route_display()} plan of {self.created_at:%d %b %Y}"

    @property
    def area_labels(self) -> list[str]:
        return [area.label for area in Area if area.value in self.areas]

    @property
    def depth_rows(self) -> list[tuple[str, str]]:
        return [(area.label, self.depths[area.value]) for area in Area if area.value in self.depths]

    @property
    def course_text(self) -> str:
        return course_text(self.sessions, self.interval_days)

    @property
    def state_badge(self) -> str:
        return STATE_BADGES[self.state]

    def booked_sessions(self):
        """The plan's booked treatment sessions, the one count of them: its appointments that
        are treatment sessions holding their time. A follow-up review linked to the plan is not
        one of its sessions."""
        return self.appointments.booked_sessions()

    @property
    def is_bookable(self) -> bool:
        return self.state in BOOKABLE_STATES

    def has_sessions_to_book(self) -> bool:
        """Bookable, with fewer sessions booked than the course has."""
        return self.is_bookable and self.booked_sessions().count() < self.sessions


STATE_BADGES = {
    PlanState.DRAFT: "text-bg-secondary",
    PlanState.PLANNED: "text-bg-primary",
    PlanState.IN_TREATMENT: "text-bg-info",
    PlanState.FOLLOW_UP: "text-bg-warning",
    PlanState.COMPLETED: "text-bg-success",
    PlanState.CANCELLED: "text-bg-dark",
}


def interval_text(days: int) -> str:
    """'42 days (6 weeks)', '1 day', '10 days'."""
    text = f"{days} day{'s' if days != 1 else ''}"
    if days >= 7 and days % 7 == 0:
        weeks = days // 7
        text += f" ({weeks} week{'s' if weeks != 1 else ''})"
    return text


def course_text(sessions: int, interval_days: int) -> str:
    """'4 sessions, every 42 days (6 weeks): 18 weeks from the first session to the last'."""
    text = f"{sessions} session{'s' if sessions != 1 else ''}"
    if sessions > 1:
        span = (sessions - 1) * interval_days
        span_text = f"{span // 7} weeks" if span % 7 == 0 else f"{span} days"
        text += f", every {interval_text(interval_days)}: {span_text} from the first session to "
        text += "the last"
    return text
