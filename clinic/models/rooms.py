"""The rooms treatments and consultations happen in."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from clinic.lib.vocabulary import Route


class Room(models.Model):
    """A room treatments or consultations happen in."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", "Consultation"
        PROCEDURE = "procedure", "Procedure"

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    routes = models.JSONField(
        "routes it can host",
        default=list,
        blank=True,
        help_text="Treatments are given in procedure rooms; a consultation room hosts none.",
    )
    active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()})"

    def clean(self):
        unknown = set(self.routes) - set(Route.values)
        if unknown:
            raise ValidationError({"routes": f"Unknown routes: {', '.join(sorted(unknown))}."})
        if self.kind != self.Kind.PROCEDURE and self.routes:
            raise ValidationError(
                {
                    "routes": (
                        "Treatments are given in procedure rooms: a consultation room hosts none."
                    )
                }
            )

    def hosts(self, route: str | None) -> bool:
        """Whether an appointment of this route can take place here (None: no treatment)."""
        return route is None or route in self.routes
