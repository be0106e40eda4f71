"""Members of staff: their profiles, working hours and time off."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clinic.models.clinic import Weekday


class StaffProfileQuerySet(models.QuerySet):
    def bookable(self):
        """Practitioners who can be booked: they see patients and their login is active."""
        return self.filter(is_practitioner=True, user__is_active=True).select_related("user")


class StaffProfile(models.Model):
    """What the clinic keeps about a member of staff, beyond their login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    title = models.CharField(max_length=40, blank=True, help_text="e.g. Dr, Nurse")
    job_title = models.CharField(
        max_length=80, blank=True, help_text="e.g. Consultant dermatologist"
    )
    professional_registration = models.CharField(
        max_length=40, blank=True, help_text="e.g. GMC or NMC number"
    )
    is_practitioner = models.BooleanField(
        default=False, help_text="Sees patients and can be booked for appointments."
    )
    phone = models.CharField(max_length=32, blank=True)

    history = HistoricalRecords()
    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.user.get_full_name() or self.user.email
        return f"{self.title} {name}".strip()


class WorkingHours(models.Model):
    """One span of a practitioner's week, in the clinic's local time (split shifts: two spans)."""

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["staff", "weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")),
                name="working_hours_end_after_start",
                violation_error_message="The end must be after the start.",
            ),
        ]

    def __str__(self):
        return f"{Weekday(self.weekday).label} {self.starts:%H:%M}-{self.ends:%H:%M}"

    def clean(self):
        if self.starts and self.ends and self.ends <= self.starts:
            raise ValidationError({"ends": "The end must be after the start."})


#: Time off lies within the years the calendar shows: a date outside them is a typing error
#: (9999 for "until further notice"), and would be beyond time zone arithmetic.
TIME_OFF_EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
TIME_OFF_LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
TIME_OFF_YEARS = (
    f"Time off must fall between {TIME_OFF_EARLIEST.year} and {TIME_OFF_LATEST.year - 1}: "
    "check the year."
)


class TimeOff(models.Model):
    """A practitioner is away: holidays, training, illness.

    Time off may be saved over appointments already booked with the practitioner; those then
    need moving (treatments.services.time_off), and the admin says which.
    """

    staff = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="time_off_end_after_start",
                violation_error_message="The end must be after the start.",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__gte=TIME_OFF_EARLIEST, ends_at__lte=TIME_OFF_LATEST),
                name="time_off_within_calendar_years",
                violation_error_message=TIME_OFF_YEARS,
            ),
        ]

    def __str__(self):
        return f"{self.staff}: {self.starts_at:%d %b %Y} to {self.ends_at:%d %b %Y}"

    def clean(self):
        # The years first: a far-off date must not reach the comparisons below (nor the
        # database) where converting it to UTC could overflow.
        errors = {
            name: TIME_OFF_YEARS
            for name in ("starts_at", "ends_at")
            if getattr(self, name) is not None
            and not TIME_OFF_EARLIEST <= getattr(self, name) <= TIME_OFF_LATEST
        }
        if errors:
            raise ValidationError(errors)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end must be after the start."})
