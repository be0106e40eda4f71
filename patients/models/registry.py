"""The patient record: who the person is, how to reach them, and finding them again."""

import datetime as dt
import re
import unicodedata

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Collate
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from phonenumber_field.phonenumber import to_python as to_phone
from simple_history.models import HistoricalRecords

# The languages the clinic's staff and printed material can serve; extend as the clinic grows.
LANGUAGES = [
    ("en", "English"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("fr", "French"),
    ("de", "German"),
    ("hi", "Hindi"),
    ("it", "Italian"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("es", "Spanish"),
    ("tr", "Turkish"),
    ("ur", "Urdu"),
]


def name_key(value: str) -> str:
    """A name as search compares it: lower case, accents and punctuation folded away."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9 ]+", "", folded.lower()).strip()


PHONE = r"[+\d][\d\s().-]{5,}"
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def _as_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class PatientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def search(self, query: str):
        """Find patients by name, date of birth, mobile or email; each served by an index.

        A date (23/11/1985 or 1985-11-23) matches the date of birth, an address with @
        the email, a phone number the mobile (in any common writing), anything else the
        start of first and last names in either order ("ben oli" finds Olivia Bennett).
        """
        text = query.strip()
        if not text:
            return self
        day = _as_date(text)
        if day is not None:
            return self.filter(date_of_birth=day)
        if "@" in text:
            return self.filter(email=text.lower())
        if re.fullmatch(PHONE, text):
            phone = to_phone(text)
            return self.filter(mobile=phone.as_e164) if phone and phone.is_valid() else self.none()
        tokens = name_key(text).split()
        if not tokens:
            return self.none()
        if len(tokens) == 1:
            return self.filter(_one_word(tokens[0]))
        first, last = tokens[0], tokens[-1]
        return self.filter(
            Q(first_name_key__startswith=first, last_name_key__startswith=last)
            | Q(last_name_key__startswith=first, first_name_key__startswith=last)
        )

    def in_name_order(self, query: str):
        """``search(query)`` in name order, ready to paginate: the same patients.

        A one-word name ("tho") matches the start of the last name or of the first name. On
        PostgreSQL each half is read from an index in the order shown (``patient_name_c_idx``,
        the keys in the "C" collation, which for the folded keys is byte order, SQLite's own),
        at most a page's worth each, and the halves merged: a page costs its own rows, where one
        query with ``OR`` walked the name index from "a" and threw away every name before "tho".
        """
        text = query.strip()
        tokens = name_key(text).split()
        if connection.vendor == "postgresql" and len(tokens) == 1 and _is_name(text):
            return NameMatches(self, tokens[0])
        return self.search(query)

    def likely_duplicates(self, *, first_name, last_name, date_of_birth, email="", mobile=None):
        """Records that may be the same person: same name and birth date, or same email or phone."""
        match = Q(
            first_name_key=name_key(first_name),
            last_name_key=name_key(last_name),
            date_of_birth=date_of_birth,
        )
        if email:
            match |= Q(email=email.strip().lower())
        if mobile:
            match |= Q(mobile=mobile)
        return self.filter(match)


def _is_name(text: str) -> bool:
    """Whether ``search`` reads ``text`` as a name (not a date, an email or a phone number)."""
    return _as_date(text) is None and "@" not in text and not re.fullmatch(PHONE, text)


def _one_word(word: str) -> Q:
    return Q(last_name_key__startswith=word) | Q(first_name_key__startswith=word)


class NameMatches:
    """The patients of a queryset whose last or first name starts with ``word``, in name order:
    what a paginator needs (``count()`` and slices), each slice one query of two ordered
    halves (PostgreSQL)."""

    ORDER = ("last_c", "first_c", "pk")

    def __init__(self, patients, word: str):
        self.patients, self.word = patients, word

    def count(self) -> int:
        return self.patients.filter(_one_word(self.word)).count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if stop is not None and stop <= start:
            # An empty page (a search that finds nobody): Django makes a slice [:0] an empty
            # queryset, whose union is the sliced half itself, which cannot be reordered.
            return []
        keyed = self.patients.annotate(
            last_c=Collate("last_name_key", "C"), first_c=Collate("first_name_key", "C")
        ).order_by(*self.ORDER)
        by_last = keyed.filter(last_c__startswith=self.word)[:stop]
        by_first = keyed.filter(first_name_key__startswith=self.word)[:stop]
        return list(by_last.union(by_first).order_by(*self.ORDER)[start:stop])


class Patient(models.Model):
    """A person the clinic treats. Registered by the front desk; archived, never deleted."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNDISCLOSED = "undisclosed", "Prefers not to say"

    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    # Folded copies that the search index serves (see name_key).
    first_name_key = models.CharField(max_length=80, editable=False, default="")
    last_name_key = models.CharField(max_length=80, editable=False, default="")
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex.choices)
    email = models.EmailField(blank=True)
    mobile = PhoneNumberField(blank=True, help_text="Stored in international (E.164) form.")
    address = models.TextField(blank=True)
    emergency_contact_name = models.CharField(max_length=120, blank=True)
    emergency_contact_phone = PhoneNumberField(blank=True)
    preferred_language = models.CharField(max_length=8, choices=LANGUAGES, default="en", blank=True)
    desk_notes = models.TextField(
        blank=True, help_text="Practical notes for the desk (access needs, parking). Not clinical."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient",
        help_text="The patient's own portal login, if they have one.",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        editable=False,
        help_text="Set when this record was a duplicate, merged into the record that stays.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["first_name_key", "last_name_key"])
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name_key", "first_name_key", "pk"]
        indexes = [
            models.Index(fields=["last_name_key", "first_name_key"], name="patient_name_idx"),
            models.Index(fields=["first_name_key"], name="patient_first_name_idx"),
            models.Index(fields=["date_of_birth"], name="patient_dob_idx"),
            models.Index(fields=["mobile"], name="patient_mobile_idx"),
            models.Index(fields=["email"], name="patient_email_idx"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age_on(self, day) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def has_valid_consent(self, kind: str) -> bool:
        """Whether the patient has signed consent of ``kind`` and not revoked it."""
        return self.consents.valid().filter(kind=kind).exists()
