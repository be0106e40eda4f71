"""The waitlist: patients waiting for an earlier time, the times freed for them, and the offers.

An entry says what the patient waits for (an appointment type, a practitioner or anyone, a range
of dates, the weekdays and hours that suit). A time freed by a cancellation or a move is kept as
a ``FreedSlot``, in the same transaction as the change that freed it, so that nothing is lost if
a worker stops. Each matching entry gets one ``WaitlistOffer`` of that time (unique per slot and
entry), and each offer is told once per channel (``WaitlistOfferMessage``, claimed like the
appointment messages). The first patient to accept books the time; the others are told it has
gone.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from clinic.models import Role
from treatments.models.messages import MESSAGE_STATES, MessageChannel, MessageStatus
from treatments.models.states import StateMachine, StateMachineModel, Workflow, transition


class EntryStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a time"
    BOOKED = "booked", "Booked"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


#: Entries that still wait for a time (and are offered the ones that suit).
LIVE_ENTRY_STATUSES = (EntryStatus.WAITING, EntryStatus.OFFERED)

_E = EntryStatus
_W = [Workflow.WAITLIST]
WITHDRAWERS = [Role.FRONT_DESK, Role.DERMATOLOGIST, Role.PATIENT]


def _entry_refused(current, target, targets) -> str:
    return f"A waitlist entry that is {current.label.lower()} cannot become {target.label.lower()}."


#: An entry's states. Offering, booking and expiry are the waitlist service's steps; the patient
#: or the desk withdraws an entry by hand.
ENTRY_STATES = StateMachine(
    field="status",
    states=EntryStatus,
    refused=_entry_refused,
    unknown="Unknown waitlist status.",
    transitions=[
        transition(_E.WAITING, _E.OFFERED, via=_W),
        transition(_E.OFFERED, _E.WAITING, via=_W),  # its offers ended without a booking
        transition(_E.WAITING, _E.BOOKED, via=_W),
        transition(_E.OFFERED, _E.BOOKED, via=_W),
        transition(_E.WAITING, _E.WITHDRAWN, "Leave the waitlist", roles=WITHDRAWERS),
        transition(_E.OFFERED, _E.WITHDRAWN, "Leave the waitlist", roles=WITHDRAWERS),
        transition(_E.WAITING, _E.EXPIRED, via=_W),  # its latest date has passed
        transition(_E.OFFERED, _E.EXPIRED, via=_W),
    ],
)


class WaitlistEntryQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_ENTRY_STATUSES)

    def in_joining_order(self):
        return self.order_by("joined_at", "pk")


class WaitlistEntry(StateMachineModel, models.Model):
    """A patient waiting for an earlier time of one appointment type."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    appointment_type = models.ForeignKey(
        "clinic.AppointmentType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="appointment type",
    )
    #: A course session waits within its plan: only times that keep the plan's interval suit.
    plan = models.ForeignKey(
        "TreatmentPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: Empty: any practitioner.
    practitioner = models.ForeignKey(
        "clinic.StaffProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    earliest = models.DateField("from")
    latest = models.DateField("until")
    #: The weekdays that suit, Monday 0 to Sunday 6, as digits ("024": Mon, Wed, Fri).
    weekdays = models.CharField(max_length=7)
    time_from = models.TimeField("from (time)")
    time_to = models.TimeField("until (time)")
    status = models.CharField(
        max_length=10, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    joined_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    booked_appointment = models.ForeignKey(
        "Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = WaitlistEntryQuerySet.as_manager()
    state_machine = ENTRY_STATES

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name_plural = "waitlist entries"
        indexes = [models.Index(fields=["status", "appointment_type"], name="waitlist_live_idx")]
        constraints = [
            ENTRY_STATES.constraint("waitlist_entry_status_valid"),
            models.CheckConstraint(
                condition=Q(latest__gte=F("earliest")), name="waitlist_latest_after_earliest"
            ),
            models.CheckConstraint(
                condition=Q(time_to__gt=F("time_from")), name="waitlist_time_to_after_from"
            ),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[0-6]{1,7}$"), name="waitlist_weekdays_valid"
            ),
            # One live wish per patient and appointment type: a second would be offered twice.
            models.UniqueConstraint(
                fields=["patient", "appointment_type"],
                condition=Q(status__in=LIVE_ENTRY_STATUSES),
                name="waitlist_one_live_entry",
            ),
        ]

    def __str__(self):
        return f"{self.patient} waiting for {self.appointment_type}"

    @property
    def weekday_set(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.weekdays)

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_ENTRY_STATUSES

    @property
    def weekday_labels(self) -> list[str]:
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return [names[d] for d in sorted(self.weekday_set)]


class FreedSlot(models.Model):
    """A booked time that became free (or one the desk offers by hand) and who took it."""

    class Cause(models.TextChoices):
        CANCELLED = "cancelled", "Cancelled"
        MOVED = "moved", "Moved"
        BY_HAND = "by_hand", "Offered by the desk"

    appointment = models.ForeignKey(
        "Appointment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: The appointment's schedule version that held the time (a move frees each old time once).
    schedule_version = models.PositiveIntegerField(null=True, blank=True)
    cause = models.CharField(max_length=10, choices=Cause.choices)
    appointment_type = models.ForeignKey(
        "clinic.AppointmentType", on_delete=models.PROTECT, related_name="+"
    )
    practitioner = models.ForeignKey(
        "clinic.StaffProfile", on_delete=models.PROTECT, related_name="+"
    )
    room = models.ForeignKey("clinic.Room", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    freed_at = models.DateTimeField()
    #: When a worker last matched it against the waitlist (recovery finds the ones never matched).
    offered_at = models.DateTimeField(null=True, blank=True)
    #: The booking a waitlisted patient made of it.
    refilled_by = models.OneToOneField(
        "Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="freed_slot_starts_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "schedule_version"],
                condition=Q(appointment__isnull=False),
                name="freed_slot_once_per_version",
            ),
            models.CheckConstraint(
                condition=Q(cause__in=["cancelled", "moved", "by_hand"]),
                name="freed_slot_cause_valid",
            ),
        ]

    def __str__(self):
        return f"{self.appointment_type} freed at {self.starts_at:%Y-%m-%d %H:%M}"


class OfferStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    GONE = "gone", "Taken by someone else"
    EXPIRED = "expired", "Ended"


_O = OfferStatus


def _offer_refused(current, target, targets) -> str:
    return f"An offer that is {current.label.lower()} cannot become {target.label.lower()}."


#: An offer's states: made by the waitlist service alone, as its steps.
OFFER_STATES = StateMachine(
    field="status",
    states=OfferStatus,
    refused=_offer_refused,
    unknown="Unknown offer status.",
    transitions=[
        transition(_O.OPEN, _O.ACCEPTED, via=_W),
        transition(_O.OPEN, _O.GONE, via=_W),
        transition(_O.OPEN, _O.EXPIRED, via=_W),
    ],
)


class WaitlistOffer(StateMachineModel, models.Model):
    """One freed time offered to one entry, once; its link's token is the patient's key."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    slot = models.ForeignKey(FreedSlot, on_delete=models.CASCADE, related_name="offers")
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    state_machine = OFFER_STATES

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            OFFER_STATES.constraint("waitlist_offer_status_valid"),
            models.UniqueConstraint(fields=["slot", "entry"], name="waitlist_offer_once"),
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status="accepted"),
                name="waitlist_offer_one_accepted",
            ),
        ]

    def __str__(self):
        return f"Offer of {self.slot} to {self.entry.patient}"


class WaitlistOfferMessage(StateMachineModel, models.Model):
    """The email or text telling a patient of an offer: one per offer and channel, claimed by
    one conditional UPDATE before it is sent (the appointment messages' states)."""

    offer = models.ForeignKey(WaitlistOffer, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(max_length=5, choices=MessageChannel.choices)
    status = models.CharField(
        max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.CharField(max_length=254, blank=True)
    last_error = models.TextField(blank=True)

    state_machine = MESSAGE_STATES

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "channel"], name="waitlist_message_once"),
            MESSAGE_STATES.constraint("waitlist_message_status_valid"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} about {self.offer}"
