"""A first consultation booked online at /book/ by someone not (yet) known to the clinic.

Two records. A ``BookingHold`` keeps the chosen time while the visitor's emailed code is pending:
it blocks the practitioner and the room as an appointment does (the slot finder and the booking
check read live holds), expires after ``HOLD_MINUTES`` and is deleted when the code is entered,
when it expires or when too many wrong codes came; nothing of an unconfirmed booking stays. An
``OnlineBooking`` is what a confirmed code leaves: the appointment, the patient record made for
it, and the desk's identity check, which ends in "a new patient" or "linked to the record they
already had" (never decided by the page itself).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField

from clinic.models import Role
from clinic.states import StateMachine, StateMachineModel, transition

#: How long a chosen time is held, and the code valid, once the code is sent.
HOLD_MINUTES = 15
#: Wrong codes allowed for one hold; the next wrong one releases the time.
CODE_TRIES = 5


class BookingHoldQuerySet(models.QuerySet):
    def live(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())

    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())


class BookingHold(models.Model):
    """A time held for a visitor at /book/ until they enter the code emailed to them.

    On PostgreSQL exclusion constraints (migration 0017) refuse two holds on one practitioner or
    room at overlapping times; expired holds are deleted before a new one is made.
    """

    #: The visitor's handle on their hold (kept in their session), never a guessable id.
    token = models.CharField(max_length=43, unique=True, editable=False)
    appointment_type = models.ForeignKey(
        "clinic.AppointmentType", on_delete=models.CASCADE, related_name="+"
    )
    practitioner = models.ForeignKey(
        "clinic.StaffProfile", on_delete=models.CASCADE, related_name="booking_holds"
    )
    room = models.ForeignKey("clinic.Room", on_delete=models.CASCADE, related_name="booking_holds")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    room_free_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    mobile = PhoneNumberField()
    email = models.EmailField()
    #: An HMAC of the code under the site's secret key: the code itself is never stored.
    code_hash = models.CharField(max_length=64)
    wrong_codes = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingHoldQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at"], name="bookinghold_starts_idx"),
            models.Index(fields=["expires_at"], name="bookinghold_expires_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="bookinghold_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(room_free_at__gte=F("ends_at")),
                name="bookinghold_room_free_after_end",
            ),
            models.CheckConstraint(
                condition=Q(wrong_codes__lte=CODE_TRIES), name="bookinghold_tries_bounded"
            ),
        ]

    def __str__(self):
        return f"Time held until {self.expires_at:%H:%M} for {self.starts_at:%d %b %H:%M}"

    def is_live(self, now=None) -> bool:
        return self.expires_at > (now or timezone.now())

    @property
    def tries_left(self) -> int:
        return CODE_TRIES - self.wrong_codes


class IdentityCheck(models.TextChoices):
    TO_CHECK = "to_check", "New, check identity"
    NEW = "new", "Confirmed as a new patient"
    LINKED = "linked", "Linked to the existing patient"


_I = IdentityCheck
#: The desk checks who booked online: a new patient, or someone the clinic already knows.
IDENTITY_STATES = StateMachine(
    field="identity",
    states=IdentityCheck,
    refused=lambda current, target, targets: f"This booking was already {current.label.lower()}.",
    unknown="Unknown identity check.",
    transitions=[
        transition(
            _I.TO_CHECK,
            _I.NEW,
            "Confirm as a new patient",
            roles=(Role.FRONT_DESK, Role.DERMATOLOGIST),
        ),
        transition(
            _I.TO_CHECK,
            _I.LINKED,
            "Link to this patient",
            roles=(Role.FRONT_DESK, Role.DERMATOLOGIST),
        ),
    ],
)


class OnlineBookingQuerySet(models.QuerySet):
    def to_check(self):
        return self.filter(identity=IdentityCheck.TO_CHECK)


class OnlineBooking(StateMachineModel, models.Model):
    """A consultation booked at /book/, and the desk's check of who booked it."""

    Identity = IdentityCheck
    state_machine = IDENTITY_STATES

    appointment = models.OneToOneField(
        "treatments.Appointment", on_delete=models.PROTECT, related_name="online_booking"
    )
    #: The record made from what the visitor typed (merged into ``linked_to`` when linked).
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="online_bookings"
    )
    #: The duplicate rules found a record that may be this person when they booked.
    likely_existing = models.BooleanField(default=False)
    identity = models.CharField(
        max_length=10, choices=IdentityCheck.choices, default=IdentityCheck.TO_CHECK
    )
    linked_to = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OnlineBookingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            IDENTITY_STATES.constraint("onlinebooking_identity_valid"),
            models.CheckConstraint(
                condition=Q(identity="linked", linked_to__isnull=False)
                | (~Q(identity="linked") & Q(linked_to__isnull=True)),
                name="onlinebooking_linked_has_record",
            ),
        ]

    def __str__(self):
        return f"Online booking {self.pk} ({self.get_identity_display()})"
