"""Forms of the public booking page (/book/) and of the desk's identity check.

The chosen time arrives as the page offered it ("<instant>|<practitioner>|<room>",
treatments.forms.portal_booking); whether it may be held is the service's to say
(treatments.services.online_booking).
"""


from django import forms
from phonenumber_field.formfields import PhoneNumberField

from clinic.models import StaffProfile
from clinic.validators import CheckedTextMixin
from patients.forms.registry import DateInput, PatientForm
from treatments.forms.portal_booking import ChosenTimeForm

ANY = "any"
UNKNOWN_PRACTITIONER = "Choose a practitioner from the list, or any practitioner."


class PractitionerForm(forms.Form):
    """Whom the visitor would like to see (read from the query string)."""

    practitioner = forms.ChoiceField(
        label="Practitioner",
        required=False,
        error_messages={"invalid_choice": UNKNOWN_PRACTITIONER},
    )

    def __init__(self, *args, staff: list[StaffProfile], **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(member.pk): member for member in staff}
        self.fields["practitioner"].choices = [(ANY, "Any practitioner")] + [
            (pk, member.display_name) for pk, member in self.staff.items()
        ]

    def chosen(self) -> StaffProfile | None:
        """The practitioner asked for; None for anyone (also when the value was not offered)."""
        if not self.is_valid():
            return None
        return self.staff.get(self.cleaned_data["practitioner"])


class BookingDetailsForm(CheckedTextMixin, ChosenTimeForm):
    """The time chosen and who the visitor is: what a first consultation needs."""

    name_fields = ("first_name", "last_name")

    first_name = forms.CharField(label="First name", max_length=80)
    last_name = forms.CharField(label="Last name", max_length=80)
    date_of_birth = forms.DateField(label="Date of birth", widget=DateInput())
    mobile = PhoneNumberField(
        label="Mobile phone",
        help_text="A UK number such as 07911 123456, or an international one starting with +.",
    )
    email = forms.EmailField(
        label="Email", help_text="We send a 6-digit code here to confirm the booking."
    )

    clean_date_of_birth = PatientForm.clean_date_of_birth

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the email",
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "Enter the 6 digits from the email we sent you."},
    )


class IdentityForm(forms.Form):
    """Who booked: a new patient, or one of the records the duplicate rules offer."""

    NEW = "new"

    who = forms.ChoiceField(
        label="Who booked",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say whether this is a new patient or one the clinic already has.",
            "invalid_choice": "Choose one of the records offered.",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.pk): p for p in candidates}
        self.fields["who"].choices = [
            (pk, f"{p.full_name}, born {p.date_of_birth:%d/%m/%Y} (the same person: link)")
            for pk, p in self.candidates.items()
        ] + [(self.NEW, "A new patient")]

    def existing(self):
        return self.candidates.get(self.cleaned_data["who"])


