"""The clinic itself: its settings and policy switches, their changes, its opening hours."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.models.audit import AppendOnly


def _time_zone_choices():
    return [(name, name) for name in sorted(available_timezones())]


class ClinicSettings(models.Model):
    """The clinic itself: one record, edited by the clinic manager in the admin."""

    name = models.CharField(max_length=120, default="Exoclinic")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    time_zone = models.CharField(
        max_length=64, choices=_time_zone_choices, default=settings.TIME_ZONE
    )
    # Policy switches (docs/clinical-rules.md §Contraindication screen and "Exosome products").
    human_derived_allowed = models.BooleanField(
        "human-derived products may be used",
        default=False,
        help_text="Human-derived exosomes are illegal in most parts of the world. Off by default.",
    )
    pregnancy_blocks = models.BooleanField(
        "pregnancy or breastfeeding blocks treatment",
        default=True,
        help_text="There is no safety data; on by default. Off makes it a caution.",
    )
    isotretinoin_blocks = models.BooleanField(
        "isotretinoin in the last 6 months blocks needling",
        default=False,
        help_text="Off: a caution that needs a written justification. On: a block.",
    )

    # A lot whose adverse events per 100 sessions exceed this is flagged on its recall page and
    # in the adverse-events report.
    adverse_event_threshold = models.DecimalField(
        "adverse events per 100 sessions that flag a lot",
        max_digits=5,
        decimal_places=1,
        default=Decimal("5.0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="A lot above this rate is flagged for review on its recall page.",
    )

    # Patients' own bookings (docs/clinical-rules.md §Who may book what).
    screen_valid_days = models.PositiveSmallIntegerField(
        "a screen is current for (days)",
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text="A treatment session is booked only with a contraindication screen this recent.",
    )
    notice_hours = models.PositiveSmallIntegerField(
        "notice for moving or cancelling (hours)",
        default=24,
        validators=[MaxValueValidator(24 * 14)],
        help_text="Closer to the start than this, a patient asks the desk instead of changing it "
        "in the portal, and a cancellation is marked late.",
    )
    waitlist_hold_minutes = models.PositiveSmallIntegerField(
        "a waitlist offer holds its time for (minutes)",
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
        help_text="A freed time offered to the waitlist can be taken from the offer's link for "
        "this long; after that the link says the offer has ended.",
    )

    require_two_factor_front_desk = models.BooleanField(
        "require two-factor for front desk",
        default=True,
        help_text=(
            "Dermatologists, managers and administrators always need a second factor; the "
            "front desk does while this is on."
        ),
    )
    feed_shows_patient_names = models.BooleanField(
        "calendar feeds show patient names",
        default=False,
        help_text=(
            "Off: feed entries read \"Microneedling (patient 12)\". Phones and calendar services "
            "keep what a feed sends, so names stay out unless the clinic decides otherwise."
        ),
    )

    # Changed only by a dermatologist, with a reason (clinic_policy_change, PolicyChange).
    POLICY_FIELDS = ("human_derived_allowed", "pregnancy_blocks", "isotretinoin_blocks")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "clinic settings"
        verbose_name_plural = "clinic settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="clinic_settings_singleton"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "ClinicSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def today(self) -> dt.date:
        """Today's date on the clinic's clock, whatever the server's zone or the active one."""
        return timezone.localdate(timezone.now(), self.zone)

    @property
    def policy(self):
        """The policy switches as the clinical rule modules take them."""
        from clinic.lib.screening import ClinicPolicy

        return ClinicPolicy(
            human_derived_allowed=self.human_derived_allowed,
            pregnancy_blocks=self.pregnancy_blocks,
            isotretinoin_blocks=self.isotretinoin_blocks,
        )


class PolicySetting(models.TextChoices):
    """The switches of ClinicSettings.POLICY_FIELDS, named as the clinic reads them."""

    HUMAN_DERIVED_ALLOWED = "human_derived_allowed", "Human-derived products may be used"
    PREGNANCY_BLOCKS = "pregnancy_blocks", "Pregnancy or breastfeeding blocks treatment"
    ISOTRETINOIN_BLOCKS = "isotretinoin_blocks", "Isotretinoin in the last 6 months blocks needling"


class PolicyChange(AppendOnly):
    """One clinical policy switch changed by a dermatologist, with the reason they gave."""

    Setting = PolicySetting

    at = models.DateTimeField(default=timezone.now, editable=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    setting = models.CharField(max_length=40, choices=Setting.choices)
    old = models.BooleanField()
    new = models.BooleanField()
    reason = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(setting__in=PolicySetting.values), name="policy_change_setting_valid"
            ),
            models.CheckConstraint(
                condition=~Q(old=models.F("new")), name="policy_change_changes_something"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="policy_change_has_a_reason"),
        ]

    def __str__(self):
        return f"{self.get_setting_display()}: {self.old} → {self.new}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    """When the clinic is open on one weekday, in the clinic's local time."""

    clinic = models.ForeignKey(
        ClinicSettings, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    closed = models.BooleanField(default=False)
    opens = models.TimeField(default=dt.time(9, 0))
    closes = models.TimeField(default=dt.time(18, 0))

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.UniqueConstraint(fields=["clinic", "weekday"], name="one_opening_per_weekday"),
            models.CheckConstraint(
                condition=Q(closed=True) | Q(closes__gt=models.F("opens")),
                name="opening_closes_after_opens",
                violation_error_message="Closing time must be after opening time.",
            ),
        ]

    def __str__(self):
        label = Weekday(self.weekday).label
        if self.closed:
            return f"{label}: closed"
        return f"{label}: {self.opens:%H:%M}-{self.closes:%H:%M}"

    def clean(self):
        if not self.closed and self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "Closing time must be after opening time."})
