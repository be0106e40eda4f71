"""People who log in, their roles, and the trail of changes to who may do what."""

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clinic.models.audit import AppendOnly


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
