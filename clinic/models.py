"""Clinic-wide records: people and their roles, the clinic itself, rooms and staff."""

import datetime as dt
from functools import cached_property
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic.lib.vocabulary import NEEDLING_ROUTES, Route


class Role(models.TextChoices):
    """The four kinds of people who use Exoclinic (docs/clinical-rules.md §People).

    Each role is a auth Group of the same name, created by a migration together with
    the model permissions it needs in the admin.
    """

    DERMATOLOGIST = "dermatologist", "Dermatologist"
    FRONT_DESK = "front_desk", "Front desk"
    PATIENT = "patient", "Patient"
    MANAGER = "clinic_manager", "Clinic manager"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Logins are case-insensitive: "Derm@Demo.Clinic" is the same person.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who logs in, identified by email address."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @cached_property
    def role(self) -> Role | None:
        """The user's role, from the first role group they belong to (one query, cached)."""
        names = set(self.groups.values_list("name", flat=True))
        return next((role for role in Role if role.value in names), None)

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and self.role in roles

    @property
    def is_clinician(self) -> bool:
        """Holds a clinical role, active or not: a deactivated account is still protected, or it
        could be taken over and then switched back on."""
        from clinic.access import CLINICIANS  # the access layer names the role groups

        return self.role in CLINICIANS


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


class ThrottleEvent(models.Model):
    """One email sent under a limit (clinic/throttle.py): kept for the limit's window, then gone.

    In the database rather than a per-process cache, so several app servers share the count.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=254)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_scope_key_at_idx")]

    def __str__(self):
        return f"{self.scope} {self.key} at {self.at:%Y-%m-%d %H:%M}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} records are never changed.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} records are never deleted.")


class AppendOnly(models.Model):
    """A record that is written once and then only read: an audit trail."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} records are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} records are never deleted.")


class AccountChangeKind(models.TextChoices):
    ROLE_GRANTED = "role_granted", "Role given"
    ROLE_REMOVED = "role_removed", "Role taken away"
    PASSWORD_SET = "password_set", "Password set by an administrator"
    PASSWORD_CHANGED = "password_changed", "Password changed by its owner"
    PASSWORD_RESET = "password_reset", "Password reset through the emailed link"
    EMAIL_CHANGED = "email_changed", "Email address changed"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor login reset"


class AccountChange(AppendOnly):
    """A change to who may do what: a role given or taken away, a clinician's password or email.

    Shown to dermatologists (``account_changes``), so that an account taken over is noticed by
    the people whose charts it opens. Never holds a password.
    """

    Kind = AccountChangeKind

    at = models.DateTimeField(default=timezone.now, editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        help_text="Empty when no signed-in person made the change (a command, say).",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_changes"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True, help_text="The role, or old → new.")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at"], name="account_change_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AccountChangeKind.values), name="account_change_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.account} ({self.at:%Y-%m-%d %H:%M})"


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
