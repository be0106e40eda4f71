"""Forms of the booking pages: find a free time, book it, move it, cancel it, book a course.

The forms read and check what was typed; the rules of booking (opening hours, who is free, which
room can host the route, the plan and consent, the interval) are in treatments.services.scheduling,
whose ValidationErrors the views show at the field they name (``clinic.forms.add_service_errors``,
with ``SERVICE_FIELDS``).
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.models import AppointmentType, Room, StaffProfile
from clinic.validators import CheckedTextMixin
from treatments.models import BOOKABLE_STATES, MAX_SESSIONS, TreatmentPlan, interval_text

#: Typed dates outside these years are typing errors; the service refuses past and far-off
#: times with its own words, this keeps absurd years (0001, 9999) away from time zone arithmetic.
FIRST_YEAR, LAST_YEAR = 2000, 2100
OUT_OF_RANGE = f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}."
IN_THE_PAST = "This time is in the past."
#: Default and longest slot search.
SEARCH_DAYS = 14
MAX_SEARCH_DAYS = 62
#: A datetime-local input's value, minutes only.
LOCAL_INPUT = "%Y-%m-%dT%H:%M"

#: scheduling's ValidationError keys that are called something else in these forms.
SERVICE_FIELDS = {"appointment_type": "type"}


def bookable_plans(patient):
    return TreatmentPlan.objects.filter(patient=patient, state__in=BOOKABLE_STATES).order_by(
        "-created_at", "-pk"
    )


class TopErrorsMixin:
    """Errors shown above a form: the form's own, and those of its hidden fields."""

    @property
    def top_errors(self) -> list[str]:
        found = list(self.non_field_errors())
        for field in self.hidden_fields():
            found.extend(message for message in field.errors if message not in found)
        return found

    #: Whether the user may write why a session comes sooner than the plan's interval (a
    #: dermatologist: treatments.services.scheduling.can_approve_short_interval).
    can_approve = False

    @property
    def needs_reason(self) -> bool:
        """Whether to show the short-interval reason: to a user who may give it, when the service
        asked for it or it was given."""
        return self.can_approve and (
            bool(self["short_interval_reason"].value())
            or (self.is_bound and "short_interval_reason" in self.errors)
        )


class PractitionerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class RoomChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PlanChoice(forms.ModelChoiceField):
    """A plan as the desk may see it: route, course and state (never product or notes)."""

    def label_from_instance(self, obj):
        sessions = f"{obj.sessions} session{'s' if obj.sessions != 1 else ''}"
        return (
            f"{obj.get_route_display()}: {sessions}, every {interval_text(obj.interval_days)} "
            f"({obj.get_state_display().lower()})"
        )


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_INPUT)


def _check_year(value):
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        if value.year < FIRST_YEAR:
            # Plainly in the past, said in the booking service's own words.
            raise ValidationError(IN_THE_PAST)
        raise ValidationError(OUT_OF_RANGE)
    return value


class StartsAtField(forms.DateTimeField):
    """A date and time: typed in the clinic's local time (datetime-local), or the exact instant
    of a chosen slot (ISO 8601 with its offset, which is unambiguous on the night the clocks go
    back)."""

    widget = LocalDateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Date and time")
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Give the date and time.",
                "invalid": "Enter a date and time, e.g. 2026-03-30 10:00.",
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return _check_year(super().clean(value))


class SlotSearchForm(forms.Form):
    """Which days to look at, and optionally with whom and where."""

    practitioner = PractitionerChoice(
        queryset=StaffProfile.objects.none(), required=False, empty_label="Any practitioner"
    )
    room = RoomChoice(queryset=Room.objects.none(), required=False, empty_label="Any room")
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["practitioner"].queryset = StaffProfile.objects.bookable()
        self.fields["room"].queryset = Room.objects.filter(active=True)
        for name in ("start", "end"):
            self.fields[name].error_messages["invalid"] = "Enter a date, e.g. 2026-03-30."

    def clean_start(self):
        return _check_year(self.cleaned_data.get("start")) or self.today

    def clean_end(self):
        return _check_year(self.cleaned_data.get("end"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None or "end" in self.errors:
            return data
        if end is None:
            end = data["end"] = start + dt.timedelta(days=SEARCH_DAYS - 1)
        if end < start:
            self.add_error("end", "The end date is before the start date.")
        elif end < self.today:
            self.add_error("end", "These dates are in the past.")
        elif (end - start).days >= MAX_SEARCH_DAYS:
            self.add_error("end", f"Search at most {MAX_SEARCH_DAYS} days at a time.")
        return data


class BookingSearchForm(SlotSearchForm):
    """What to book for the patient, then when. A treatment session comes from a plan."""

    type = forms.ModelChoiceField(
        label="Appointment type",
        queryset=AppointmentType.objects.none(),
        empty_label="Choose…",
        error_messages={"required": "Choose the appointment type."},
    )
    plan = PlanChoice(
        label="Treatment plan",
        queryset=TreatmentPlan.objects.none(),
        required=False,
        empty_label="None",
        help_text="A treatment session is booked from one of the patient's plans.",
    )

    field_order = ["type", "plan", "practitioner", "room", "start", "end"]

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["type"].queryset = AppointmentType.objects.filter(active=True)
        self.fields["plan"].queryset = bookable_plans(patient)

    def clean(self):
        data = super().clean()
        check_type_and_plan(self, data.get("type"), data.get("plan"))
        return data


def check_type_and_plan(
    form, appointment_type: AppointmentType | None, plan: TreatmentPlan | None
) -> None:
    """The booking service says the same; saying it here saves a search that cannot end well."""
    if appointment_type is None or appointment_type.kind != AppointmentType.Kind.TREATMENT:
        return
    if plan is None:
        if "plan" in form.errors:
            return
        if form.fields["plan"].queryset.exists():
            form.add_error("plan", "Choose the treatment plan this session belongs to.")
        else:
            form.add_error(
                "plan",
                "This patient has no plan ready for booking: a dermatologist plans the course "
                "first.",
            )
    elif plan.route != appointment_type.route:
        form.add_error(
            "type",
            f"The plan is for {plan.get_route_display().lower()}, not "
            f"{appointment_type.get_route_display().lower()}.",
        )


class SlotForm(TopErrorsMixin, forms.Form):
    """A time with a practitioner and a room: the base of booking, moving and a course's row.

    ``confirming``: the slot was chosen from the free times; it is shown as a sentence and sent
    back as it was offered (hidden fields). ``can_approve``: the user may write why the session
    comes sooner than the plan's interval.
    """

    practitioner = PractitionerChoice(
        label="Practitioner",
        queryset=StaffProfile.objects.none(),
        error_messages={"required": "Choose the practitioner."},
    )
    room = RoomChoice(
        label="Room", queryset=Room.objects.none(), error_messages={"required": "Choose the room."}
    )
    starts_at = StartsAtField()
    short_interval_reason = forms.CharField(
        label="Why this session is needed sooner than the plan's interval",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, confirming: bool = False, can_approve: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_approve = can_approve
        self.fields["practitioner"].queryset = StaffProfile.objects.bookable()
        self.fields["room"].queryset = Room.objects.filter(active=True)
        if confirming:
            for name in ("practitioner", "room", "starts_at"):
                self.fields[name].widget = forms.HiddenInput()


class BookingForm(SlotForm):
    """One appointment at a chosen or typed time (prefix "book")."""

    prefix = "book"
    type = forms.ModelChoiceField(
        queryset=AppointmentType.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"required": "Choose the appointment type."},
    )
    plan = PlanChoice(
        queryset=TreatmentPlan.objects.none(), required=False, widget=forms.HiddenInput
    )

    field_order = ["type", "plan", "practitioner", "room", "starts_at", "short_interval_reason"]

    def __init__(self, *args, patient, choosing_type=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["type"].queryset = AppointmentType.objects.filter(active=True)
        self.fields["plan"].queryset = bookable_plans(patient)
        if choosing_type:
            # A time chosen elsewhere (the calendar): what to book is chosen here.
            for name, label, empty in (
                ("type", "Appointment type", "Choose…"),
                ("plan", "Treatment plan", "None"),
            ):
                field = self.fields[name]
                field.label, field.empty_label = label, empty
                field.widget = forms.Select()
                field.widget.choices = field.choices
            self.fields[
                "plan"
            ].help_text = "A treatment session is booked from one of the patient's plans."

    def clean(self):
        data = super().clean()
        check_type_and_plan(self, data.get("type"), data.get("plan"))
        return data


class MoveForm(SlotForm):
    """A new time (and practitioner or room) for a booked appointment (prefix "book")."""

    prefix = "book"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].label = "New date and time"


class ApprovalRequestForm(CheckedTextMixin, forms.Form):
    """The time a dermatologist is asked to approve, sooner than the plan's interval (the
    refused booking's own fields, prefix "book")."""

    prefix = "book"
    starts_at = StartsAtField()
    plan = forms.ModelChoiceField(queryset=TreatmentPlan.objects.none(), required=False)

    def __init__(self, *args, patient=None, **kwargs):
        super().__init__(*args, **kwargs)
        if patient is not None:
            self.fields["plan"].queryset = bookable_plans(patient)
            self.fields["plan"].required = True
            self.fields["plan"].error_messages["required"] = "Choose the treatment plan."


class CancelForm(CheckedTextMixin, TopErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for cancelling",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the appointment is cancelled."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Say why the appointment is cancelled.")
        return reason


class StatusForm(CheckedTextMixin, forms.Form):
    ACTIONS = {
        "check_in": "Check in",
        "no_show": "Mark as no-show",
        "complete": "Mark as completed",
    }

    action = forms.ChoiceField(choices=list(ACTIONS.items()))


class CourseStartForm(CheckedTextMixin, forms.Form):
    """Where the course preview starts from, and with whom if anyone in particular (GET)."""

    earliest = forms.DateField(
        label="First session from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, e.g. 2026-03-30."},
    )
    practitioner = PractitionerChoice(
        label="Preferred practitioner",
        queryset=StaffProfile.objects.none(),
        required=False,
        empty_label="Whoever is free first",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = StaffProfile.objects.bookable()

    def clean_earliest(self):
        return _check_year(self.cleaned_data.get("earliest"))


class CourseRowForm(SlotForm):
    """One session of the course preview: its time, practitioner and room, changeable."""

    def __init__(self, *args, number: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        for name, field in self.fields.items():
            if name != "short_interval_reason":
                field.label = f"Session {number}: {field.label.lower()}"
            else:
                field.label = f"Session {number}: why sooner than the plan's interval"


class BaseCourseFormSet(forms.BaseFormSet):
    def __init__(self, *args, first_number: int = 1, can_approve: bool = False, **kwargs):
        self.first_number = first_number
        self.can_approve = can_approve
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "number": self.first_number + (index or 0),
            "can_approve": self.can_approve,
        }


CourseFormSet = forms.formset_factory(
    CourseRowForm,
    formset=BaseCourseFormSet,
    extra=0,
    max_num=MAX_SESSIONS,
    validate_max=True,
)
