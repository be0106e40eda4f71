"""Appointments: a patient, a practitioner, a room and a time, with a status."""


from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.models import AppointmentType, Role
from treatments.models.states import StateMachine, StateMachineModel, Workflow, transition


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CHECKED_IN = "checked_in", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


#: Statuses whose appointment holds its time: everything but a cancellation.
HOLDING_STATUSES = frozenset(AppointmentStatus) - {AppointmentStatus.CANCELLED}

#: Who looks after appointments at the desk: the front desk and the dermatologists.
DESK_ROLES = (Role.FRONT_DESK, Role.DERMATOLOGIST)

TREATMENT_COMPLETED_BY_SESSION = (
    "A treatment appointment is completed by completing its treatment session record "
    "(lot, amount, areas and aftercare): the dermatologist records the session from the "
    "checked-in appointment."
)


def _completed_by_its_session(appointment: "Appointment") -> str:
    """A treatment appointment is never completed by hand: its session record completes it.
    Consultations and follow-up reviews are completed from the appointment."""
    return TREATMENT_COMPLETED_BY_SESSION if appointment.is_treatment else ""


def _refused(current: AppointmentStatus, target: AppointmentStatus, targets: list) -> str:
    return f"A {current.label.lower()} appointment cannot be marked {target.label.lower()}."


_S = AppointmentStatus
#: An appointment's states, the only changes between them, who makes each and its button.
APPOINTMENT_STATES = StateMachine(
    field="status",
    states=AppointmentStatus,
    refused=_refused,
    unknown="Unknown appointment status.",
    transitions=[
        transition(_S.BOOKED, _S.CHECKED_IN, "Check in", roles=DESK_ROLES),
        # A no-show only once the start time has passed: the scheduling service checks the time.
        transition(_S.BOOKED, _S.NO_SHOW, "Mark as no-show", roles=DESK_ROLES),
        transition(
            _S.BOOKED, _S.CANCELLED, "Cancel", roles=DESK_ROLES, via=[Workflow.PORTAL]
        ),
        transition(
            _S.CHECKED_IN,
            _S.COMPLETED,
            "Mark as completed",
            roles=DESK_ROLES,
            guard=_completed_by_its_session,
            via=[Workflow.SESSION_COMPLETION],
        ),
        # Also how a session closed as not treated ends its appointment.
        transition(_S.CHECKED_IN, _S.CANCELLED, "Cancel", roles=DESK_ROLES),
    ],
)


class AppointmentQuerySet(models.QuerySet):
    def holding(self):
        """Appointments that occupy their practitioner, room and patient."""
        return self.exclude(status=AppointmentStatus.CANCELLED)

    def booked_sessions(self):
        """Treatment sessions that hold their time: what fills a plan's session places. A
        follow-up review or a consultation linked to the plan is not a session, nor is a
        cancellation (a no-show keeps its place)."""
        return self.holding().filter(appointment_type__kind=AppointmentType.Kind.TREATMENT)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def with_calendar_details(self):
        return self.select_related(
            "patient", "appointment_type", "practitioner__user", "room", "plan"
        )


class Appointment(StateMachineModel, models.Model):
    """A booked time: a patient, a practitioner, a room and an appointment type.

    No double booking, ever: on PostgreSQL exclusion constraints (migration
    0004) refuse overlapping holding appointments of one practitioner, one room (including its
    turnover buffer) or one patient; on SQLite the booking service checks the same inside its
    transaction, which SQLite runs with an immediate write lock.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    appointment_type = models.ForeignKey(
        "clinic.AppointmentType",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="appointment type",
    )
    practitioner = models.ForeignKey(
        "clinic.StaffProfile", on_delete=models.PROTECT, related_name="appointments"
    )
    room = models.ForeignKey("clinic.Room", on_delete=models.PROTECT, related_name="appointments")
    plan = models.ForeignKey(
        "TreatmentPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The room is free again after the appointment type's turnover buffer.
    room_free_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    short_interval_reason = models.TextField("why sooner than the plan's interval", blank=True)
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late_cancellation = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every move or cancellation, so that a reminder queued for an older time is dropped.
    schedule_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = AppointmentQuerySet.as_manager()
    state_machine = APPOINTMENT_STATES

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            # The reports read a year of appointments by their start: the columns they count by
            # follow it in the index, which then answers them without reading the table (a
            # covering index, on PostgreSQL and SQLite alike).
            models.Index(
                fields=["starts_at", "status", "ends_at", "practitioner", "room",
                        "appointment_type", "plan", "late_cancellation"],
                name="appointment_starts_idx",
            ),
            models.Index(fields=["practitioner", "starts_at"], name="appointment_practitioner_idx"),
            models.Index(fields=["room", "starts_at"], name="appointment_room_idx"),
            models.Index(fields=["patient", "starts_at"], name="appointment_patient_idx"),
            models.Index(fields=["plan", "starts_at"], name="appointment_plan_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(room_free_at__gte=F("ends_at")), name="appointment_room_free_after_end"
            ),
            APPOINTMENT_STATES.constraint("appointment_status_valid"),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.appointment_type} for {self.patient} on {local:%a %d %b %Y, %H:%M}"

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def is_treatment_session(self) -> bool:
        """A treatment session (not a consultation or a follow-up review), as
        ``AppointmentQuerySet.booked_sessions()`` counts them."""
        return self.appointment_type.kind == AppointmentType.Kind.TREATMENT

    @property
    def route(self) -> str:
        return self.appointment_type.route

    @property
    def is_treatment(self) -> bool:
        """A treatment session (it has a route), not a consultation or a follow-up review."""
        return self.appointment_type.kind == AppointmentType.Kind.TREATMENT
