"""What can be booked: the appointment types."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clinic.lib.vocabulary import NEEDLING_ROUTES, Route


class AppointmentType(models.Model):
    """What can be booked, how long it takes, and how long the room needs afterwards."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", "Consultation (assessment)"
        TREATMENT = "treatment", "Treatment session"
        FOLLOW_UP = "follow_up", "Follow-up review"

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    route = models.CharField(
        max_length=20,
        choices=Route.choices,
        blank=True,
        help_text="For treatment sessions: the administration route.",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        "room turnover after (minutes)", default=0, validators=[MaxValueValidator(120)]
    )
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="treatment", route__gt="") | (~Q(kind="treatment") & Q(route="")),
                name="appointment_type_route_iff_treatment",
                violation_error_message="A treatment session has a route; other types have none.",
            ),
            models.UniqueConstraint(
                fields=["route"],
                condition=Q(kind="treatment", active=True),
                name="one_active_treatment_type_per_route",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="appointment_type_duration_5_480",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.TREATMENT and not self.route:
            raise ValidationError({"route": "Choose the route of this treatment session."})
        if self.kind != self.Kind.TREATMENT and self.route:
            raise ValidationError({"route": "Only treatment sessions have a route."})

    @property
    def needs_procedure_room(self) -> bool:
        return self.route in NEEDLING_ROUTES
