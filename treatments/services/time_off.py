"""Time off over booked appointments: which appointments need moving.

A practitioner's time off may be saved over appointments already booked with them (leave
arranged late, illness): the clinic must then move those appointments, so saving is allowed and
the appointments are flagged. An appointment needs moving while it holds its time (it is not
cancelled), has not started yet, and its practitioner has time off overlapping it.

This is worked out by query every time it is shown, never stored: moving or cancelling the
appointment, or shortening or deleting the time off, ends it at once, and nothing can go stale.
"""

import datetime as dt

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from clinic.models import TimeOff
from treatments.models import Appointment, AppointmentStatus


def needs_moving(*, now: dt.datetime) -> Q:
    """The condition on an appointment, for ``filter()`` or (through ``needs_moving_flag``)
    ``annotate()``."""
    away = TimeOff.objects.filter(
        staff_id=OuterRef("practitioner_id"),
        starts_at__lt=OuterRef("ends_at"),
        ends_at__gt=OuterRef("starts_at"),
    )
    # The cheap conditions first: the database need not look for time off of the past.
    return Q(starts_at__gt=now) & ~Q(status=AppointmentStatus.CANCELLED) & Q(Exists(away))


def needs_moving_flag(*, now: dt.datetime) -> ExpressionWrapper:
    """``needs_moving`` as a column: ``annotate(needs_moving=needs_moving_flag(now=now))``."""
    return ExpressionWrapper(needs_moving(now=now), output_field=BooleanField())


def appointments_needing_moving(*, now: dt.datetime | None = None) -> QuerySet[Appointment]:
    """Every appointment that needs moving, soonest first."""
    now = timezone.now() if now is None else now
    return Appointment.objects.filter(needs_moving(now=now)).order_by("starts_at", "pk")


def appointments_under(time_off: TimeOff, *, now: dt.datetime | None = None):
    """The appointments that need moving because of this time off, soonest first, with what a
    list of them shows."""
    return (
        appointments_needing_moving(now=now)
        .filter(
            practitioner_id=time_off.staff_id,
            starts_at__lt=time_off.ends_at,
            ends_at__gt=time_off.starts_at,
        )
        .select_related("patient", "appointment_type")
    )
