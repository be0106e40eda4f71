"""Exosome products and their lots, and treatment plans.

DOMAIN.md "Exosome products" and "The workflow".

The clinic manager keeps the catalogue (products and lots) in the admin; a dermatologist writes a
treatment plan from a skin assessment, choosing the route with the software's recommendation.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.screening import ClinicPolicy, ProductFacts
from clinic.lib.vocabulary import Allergen, Area, ProductForm, ProductSource, Route

HUMAN_DERIVED_FORBIDDEN = "Not usable: the clinic's policy forbids human-derived products"


class IsolationMethod(models.TextChoices):
    """How the exosomes were isolated (DOMAIN.md "Exosome products")."""

    SIZE_EXCLUSION = "sec", "Size-exclusion chromatography"
    TANGENTIAL_FLOW = "tff", "Tangential flow filtration"


def _labels(enum, values) -> list[str]:
    return [enum(value).label for value in values]


class ProductQuerySet(models.QuerySet):
    def allowed_by(self, policy: ClinicPolicy):
        """Products the clinic's policy lets it use: human-derived only where the setting allows."""
        queryset = self.filter(active=True)
        if not policy.human_derived_allowed:
            queryset = queryset.exclude(source=ProductSource.HUMAN)
        return queryset


class Product(models.Model):
    """An exosome product in the clinic's catalogue."""

    name = models.CharField(max_length=120, unique=True)
    manufacturer = models.CharField(max_length=120)
    source = models.CharField(max_length=12, choices=ProductSource.choices)
    species = models.CharField(
        max_length=80, blank=True, help_text="For animal-derived products, e.g. salmon."
    )
    form = models.CharField(max_length=12, choices=ProductForm.choices)
    isolation_method = models.CharField(max_length=8, choices=IsolationMethod.choices)
    gmp_certified = models.BooleanField("GMP certified", default=False)
    gmp_certificate = models.CharField("GMP certificate reference", max_length=80, blank=True)
    storage = models.CharField(
        "storage conditions", max_length=160, help_text="e.g. 2–8 °C, away from light."
    )
    routes = models.JSONField(
        "made for routes", default=list, help_text="The administration routes it is made for."
    )
    allergens = models.JSONField(default=list, blank=True)
    active = models.BooleanField(
        default=True, help_text="Untick when the clinic stops stocking it: it is no longer offered."
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=ProductSource.ANIMAL) | ~Q(species=""),
                name="product_animal_has_species",
                violation_error_message="Say which species an animal-derived product comes from.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.source == ProductSource.ANIMAL and not self.species.strip():
            errors["species"] = "Say which species an animal-derived product comes from."
        if not self.routes:
            errors["routes"] = "Choose at least one route the product is made for."
        elif not set(self.routes) <= set(Route.values):
            errors["routes"] = (
                "Unknown route: the routes are topical, transdermal, microneedling and "
                "laser-assisted infusion."
            )
        if not set(self.allergens or []) <= set(Allergen.values):
            errors["allergens"] = "Unknown allergen."
        if errors:
            raise ValidationError(errors)

    def facts(self) -> ProductFacts:
        """This product as the clinical rule modules read it."""
        return ProductFacts(
            name=self.name,
            source=ProductSource(self.source),
            species=self.species,
            allergens=frozenset(Allergen(a) for a in self.allergens),
            routes=frozenset(Route(r) for r in self.routes),
        )

    @property
    def route_labels(self) -> list[str]:
        return [route.label for route in Route if route.value in self.routes]

    @property
    def allergen_labels(self) -> list[str]:
        return [allergen.label for allergen in Allergen if allergen.value in self.allergens]

    @property
    def source_text(self) -> str:
        """'Animal-derived (salmon)'."""
        label = self.get_source_display()
        return f"{label} ({self.species})" if self.species else label

    def policy_problem(self, policy: ClinicPolicy) -> str:
        """Why the clinic may not use this product at all, or "" when it may."""
        if self.source == ProductSource.HUMAN and not policy.human_derived_allowed:
            return HUMAN_DERIVED_FORBIDDEN
        if not self.active:
            return "Not usable: the clinic no longer stocks it"
        return ""


class LotUnit(models.TextChoices):
    VIAL = "vial", "vials"
    AMPOULE = "ampoule", "ampoules"
    ML = "ml", "ml"
    JAR = "jar", "jars"


class LotStatus(models.TextChoices):
    USABLE = "usable", "Usable"
    EXPIRED = "expired", "Expired"
    EMPTY = "empty", "Empty"
    RECALLED = "recalled", "Withdrawn (recall)"
    FORBIDDEN = "forbidden", "Not usable: policy forbids the product"


class LotQuerySet(models.QuerySet):
    def usable(self, *, on: dt.date, policy: ClinicPolicy):
        """Lots that may be used on ``on``: in date, not empty, not withdrawn, product allowed.

        A lot is usable up to and including its expiry date ("use by"); DOMAIN.md "Lots": an
        expired lot cannot be used.
        """
        products = Product.objects.allowed_by(policy)
        return self.filter(
            expiry_date__gte=on,
            quantity_remaining__gt=0,
            recalled_at__isnull=True,
            product__in=products,
        )


class Lot(models.Model):
    """One delivered lot (batch) of a product. Every session records the lot it used."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    lot_number = models.CharField(max_length=40)
    expiry_date = models.DateField(help_text="Usable up to and including this date.")
    received_on = models.DateField(default=timezone.localdate)
    quantity_received = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    quantity_remaining = models.DecimalField(
        max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    unit = models.CharField(max_length=8, choices=LotUnit.choices, default=LotUnit.VIAL)
    recalled_at = models.DateTimeField("withdrawn at", null=True, blank=True, editable=False)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    recall_reason = models.TextField("reason for withdrawal", blank=True, editable=False)

    history = HistoricalRecords()
    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["product__name", "expiry_date", "lot_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "lot_number"], name="lot_number_per_product"
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__gt=0), name="lot_received_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_remaining__gte=0)
                & Q(quantity_remaining__lte=F("quantity_received")),
                name="lot_remaining_within_received",
                violation_error_message="The quantity remaining must be between 0 and the "
                "quantity received.",
            ),
            models.CheckConstraint(
                condition=Q(recalled_at__isnull=True) | ~Q(recall_reason=""),
                name="lot_recall_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.product.name}, lot {self.lot_number}"

    def clean(self):
        if (
            self.quantity_received is not None
            and self.quantity_remaining is not None
            and self.quantity_remaining > self.quantity_received
        ):
            message = "The quantity remaining cannot exceed the quantity received."
            raise ValidationError({"quantity_remaining": message})

    def status(self, *, on: dt.date, policy: ClinicPolicy) -> LotStatus:
        if self.recalled_at is not None:
            return LotStatus.RECALLED
        if self.expiry_date < on:
            return LotStatus.EXPIRED
        if self.quantity_remaining <= 0:
            return LotStatus.EMPTY
        if self.product.policy_problem(policy):
            return LotStatus.FORBIDDEN
        return LotStatus.USABLE

    @property
    def remaining_text(self) -> str:
        return _quantity(self.quantity_remaining)

    @property
    def quantity_text(self) -> str:
        """'3 of 20 vials'."""
        return f"{_quantity(self.quantity_remaining)} of {_quantity(self.quantity_received)} " + (
            self.get_unit_display()
        )


def _quantity(value: Decimal) -> str:
    """12.50 -> '12.5', 20.00 -> '20' (never '2E+1')."""
    return f"{value.normalize():f}"


class PlanState(models.TextChoices):
    """A plan's states (DOMAIN.md "The workflow"); the transitions are in treatments/plans.py."""

    DRAFT = "draft", "Draft"
    PLANNED = "planned", "Planned"
    IN_TREATMENT = "in_treatment", "In treatment"
    FOLLOW_UP = "follow_up", "Follow-up"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


MAX_SESSIONS = 12
MAX_INTERVAL_DAYS = 365


class TreatmentPlan(models.Model):
    """A course: one assessment, one route and product, N sessions at an interval.

    DOMAIN.md "The workflow": the software recommends and explains, the dermatologist decides.
    What the software advised when the plan was saved is kept in ``recommendation``.
    """

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="plans")
    assessment = models.ForeignKey(
        "patients.Assessment", on_delete=models.PROTECT, related_name="plans"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=16, choices=Route.choices)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
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
            models.CheckConstraint(
                condition=Q(state__in=PlanState.values), name="plan_state_known"
            ),
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


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CHECKED_IN = "checked_in", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


#: Statuses whose appointment holds its time: everything but a cancellation.
HOLDING_STATUSES = frozenset(AppointmentStatus) - {AppointmentStatus.CANCELLED}


class AppointmentQuerySet(models.QuerySet):
    def holding(self):
        """Appointments that occupy their practitioner, room and patient."""
        return self.exclude(status=AppointmentStatus.CANCELLED)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def with_calendar_details(self):
        return self.select_related("patient", "kind", "practitioner__user", "room", "plan")


class Appointment(models.Model):
    """A booked time: a patient, a practitioner, a room and an appointment type.

    No double booking, ever (issue 5): on PostgreSQL exclusion constraints (migration
    0004) refuse overlapping holding appointments of one practitioner, one room (including its
    turnover buffer) or one patient; on SQLite the booking service checks the same inside its
    transaction, which SQLite runs with an immediate write lock.
    """

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.ForeignKey(
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
        TreatmentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
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

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at"], name="appointment_starts_idx"),
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
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.kind} for {self.patient} on {local:%a %d %b %Y, %H:%M}"

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING_STATUSES

    @property
    def route(self) -> str:
        return self.kind.route


# --- Issue 5: messages and calendar feeds ------------------------------------------------------


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Booking confirmation"
    REMINDER = "reminder", "Reminder"
    MOVED = "moved", "Appointment moved"
    CANCELLED = "cancelled", "Appointment cancelled"
    AFTERCARE = "aftercare", "Aftercare instructions"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent (no longer true)"
    FAILED = "failed", "Failed"


class OutboundMessage(models.Model):
    """One email to a patient about one appointment, sent at most once.

    The unique (appointment, kind, schedule_version) key means a message for one version of an
    appointment's schedule exists once, however often the booking code or a worker runs; a worker
    claims a message by moving it from pending to sending in one conditional UPDATE, so two
    workers never both send it. A reminder queued for an older schedule_version is skipped.
    """

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=14, choices=MessageKind.choices)
    schedule_version = models.PositiveIntegerField()
    send_after = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["send_after", "pk"]
        indexes = [models.Index(fields=["status", "send_after"], name="message_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind", "schedule_version"], name="message_once_per_version"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for appointment {self.appointment_id}"


class CalendarFeed(models.Model):
    """A practitioner's private iCalendar feed: the token in its URL is the only key."""

    staff = models.ForeignKey(
        "clinic.StaffProfile", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_feed_per_staff",
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.staff}"


# --- Issue 6: the treatment session, aftercare, check-ins, follow-up -------------------------


class SessionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    NOT_TREATED = "not_treated", "Closed, not treated"


class TreatmentSession(models.Model):
    """What happened at one treatment appointment (DOMAIN.md "A treatment session").

    Completing it locks the record: later corrections are addenda, the original kept.
    """

    appointment = models.OneToOneField(
        Appointment, on_delete=models.PROTECT, related_name="session"
    )
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="sessions_done")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=SessionStatus.choices, default=SessionStatus.IN_PROGRESS
    )
    # The day-of "anything changed?" screen (DOMAIN.md "Contraindication screen").
    prescreen = models.ForeignKey(
        "patients.Screen", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    not_treated_reason = models.TextField(blank=True)
    skin_prepared = models.BooleanField("skin prepared (gentle cleansing)", default=False)
    lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
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

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["patient", "-started_at"], name="session_patient_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"Session of {timezone.localtime(self.started_at):%d %b %Y} for {self.patient}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


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


class AdverseEvent(models.Model):
    """Anything beyond the expected short-term effects (DOMAIN.md "A treatment session")."""

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

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", "Ongoing"
        RESOLVED = "resolved", "Resolved"
        RESOLVED_WITH_SEQUELAE = "sequelae", "Resolved with lasting effects"

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
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="adverse_events"
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-onset_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_severity_display().lower()})"


class AftercareText(models.Model):
    """The clinic's own aftercare wording for a route, kept in versions by the manager."""

    route = models.CharField(max_length=16, choices=Route.choices)
    version = models.PositiveIntegerField(editable=False)
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)
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

    def save(self, *args, **kwargs):
        if self.version is None:
            latest = AftercareText.objects.filter(route=self.route).aggregate(
                v=models.Max("version")
            )
            self.version = (latest["v"] or 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls, route: str) -> "AftercareText | None":
        return cls.objects.filter(route=route).order_by("-version").first()


class Intensity(models.TextChoices):
    NONE = "none", "None"
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class SkinCheckIn(models.Model):
    """How the patient's skin is doing after a session, in their words (issue 6, the portal)."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="check_ins"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="skin_check_ins"
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
        return f"Skin check-in of {timezone.localtime(self.submitted_at):%d %b %Y}"


class ClinicalTask(models.Model):
    """Something a dermatologist must look at, shown on their home until done."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", "Skin check-in beyond the expected"
        OTHER = "other", "Other"

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="tasks")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinical_tasks",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    check_in = models.OneToOneField(
        SkinCheckIn, null=True, blank=True, on_delete=models.PROTECT, related_name="task"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["done_at", "-created_at"]
        indexes = [models.Index(fields=["done_at", "assigned_to"], name="task_open_idx")]

    def __str__(self):
        return self.title


class ChangeRequest(models.Model):
    """A patient asks, in the portal, to move or cancel an appointment; the desk handles it."""

    class Kind(models.TextChoices):
        MOVE = "move", "Move"
        CANCEL = "cancel", "Cancel"

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True)

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


class GAIS(models.IntegerChoices):
    """Global Aesthetic Improvement Scale (DOMAIN.md "Follow-up and outcomes")."""

    VERY_MUCH_IMPROVED = 1, "Very much improved"
    MUCH_IMPROVED = 2, "Much improved"
    IMPROVED = 3, "Improved"
    NO_CHANGE = 4, "No change"
    WORSE = 5, "Worse"


class FollowUpDecision(models.TextChoices):
    CONTINUE = "continue", "Continue the course"
    ADJUST = "adjust", "Adjust the plan"
    COMPLETE = "complete", "Complete the course"
    MAINTENANCE = "maintenance", "Maintenance (a session every few months)"


class FollowUp(models.Model):
    """A follow-up review of a plan's results (DOMAIN.md "Follow-up and outcomes")."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="follow_ups")
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="follow_up"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(default=timezone.localdate)
    gais_clinician = models.PositiveSmallIntegerField("GAIS (clinician)", choices=GAIS.choices)
    gais_patient = models.PositiveSmallIntegerField(
        "GAIS (patient)", choices=GAIS.choices, null=True, blank=True
    )
    satisfaction = models.PositiveSmallIntegerField(
        "patient satisfaction (1-5)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    side_effects = models.TextField("side effects since the last visit", blank=True)
    decision = models.CharField(max_length=12, choices=FollowUpDecision.choices)
    notes = models.TextField(blank=True)
    photos = models.ManyToManyField("patients.Photo", blank=True, related_name="follow_ups")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="follow_up_satisfaction_1_5",
            ),
        ]

    def __str__(self):
        return f"Follow-up of {self.reviewed_on:%d %b %Y}"


class FollowUpScore(models.Model):
    """A concern of the original assessment re-scored 0-4 at a follow-up."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="scores")
    concern = models.CharField(max_length=24)
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(4)]
    )

    class Meta:
        ordering = ["concern"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "concern"], name="one_rescore_per_concern"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=0, severity__lte=4), name="rescore_severity_0_4"
            ),
        ]

    def __str__(self):
        return f"{self.concern}: {self.severity}"


class PatientRating(models.Model):
    """The patient's own GAIS and satisfaction for a plan, given in the portal."""

    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.PROTECT, related_name="patient_ratings"
    )
    gais = models.PositiveSmallIntegerField("how your skin looks now", choices=GAIS.choices)
    satisfaction = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="patient_rating_satisfaction_1_5",
            ),
        ]

    def __str__(self):
        return f"Patient rating of {self.submitted_at:%d %b %Y}"
