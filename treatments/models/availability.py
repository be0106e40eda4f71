"""Which version of a practitioner's or a room's busy time the slot finder may reuse."""

from django.db import models


class BusyVersion(models.Model):
    """A token that changes whenever a practitioner's or a room's busy time may have changed.

    The slot finder caches each resource's merged busy intervals per day under this token
    (treatments.services.busy). Database triggers (migration 0017) give the resource a new
    token in the same transaction as every insert, update or delete of an appointment that
    touches its times, status, practitioner or room, and of the practitioner's time off or
    working hours: whatever writes them (a service, the admin, a bulk update), no cached
    interval outlives the data it was read from. A token is never reused, not even after a
    rolled-back transaction (a PostgreSQL sequence; a 63-bit random number on SQLite), so
    nothing cached inside a transaction that did not commit can be found again.
    """

    class Resource(models.TextChoices):
        STAFF = "staff", "Practitioner"
        ROOM = "room", "Room"

    resource = models.CharField(max_length=5, choices=Resource.choices)
    ref = models.BigIntegerField(help_text="The practitioner's staff profile or the room.")
    token = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "ref"], name="busy_version_unique"),
            models.CheckConstraint(
                condition=models.Q(resource__in=["staff", "room"]), name="busy_version_resource"
            ),
        ]

    def __str__(self):
        return f"{self.resource} {self.ref}: {self.token}"
