import datetime as dt

from django import forms
from django.utils import timezone
from phonenumber_field.formfields import PhoneNumberField

from clinic.validators import CheckedTextMixin, validate_not_before_1900
from patients.models import Patient

OLDEST_AGE = 120
VERSION_LOST = (
    "This form lost track of the version of the record it was opened at, so it cannot be saved "
    "safely. Open the patient's details again and make your changes there."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PatientForm(CheckedTextMixin, forms.ModelForm):
    """Who the patient is and how to reach them: what the front desk keeps."""

    name_fields = ("first_name", "last_name", "emergency_contact_name")

    mobile = PhoneNumberField(
        label="Mobile phone",
        required=False,
        help_text="A UK number such as 07911 123456, or an international one starting with +.",
    )
    emergency_contact_phone = PhoneNumberField(label="Emergency contact phone", required=False)

    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "email",
            "mobile",
            "address",
            "emergency_contact_name",
            "emergency_contact_phone",
            "preferred_language",
            "desk_notes",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
            "desk_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_date_of_birth(self) -> dt.date:
        dob = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if dob > today:
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if today.year - dob.year > OLDEST_AGE:
            raise forms.ValidationError(
                f"Check the year: {dob:%Y} would make the patient over {OLDEST_AGE}."
            )
        validate_not_before_1900(dob)
        return dob

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("mobile"):
            self.add_error(
                "mobile", "Give a mobile number or an email address, so we can reach them."
            )
        return cleaned


class PatientRegisterForm(PatientForm):
    """Registration, with the duplicate check: likely matches are shown before saving."""

    not_a_duplicate = forms.BooleanField(
        label="None of these is the same person: register a new patient",
        required=False,
    )

    class Meta(PatientForm.Meta):
        fields = PatientForm.Meta.fields


class PatientEditForm(PatientForm):
    """Editing contact details; carries the version it was loaded at (optimistic locking)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": VERSION_LOST, "invalid": VERSION_LOST},
    )


class PatientSearchForm(CheckedTextMixin, forms.Form):
    q = forms.CharField(
        label="Find a patient",
        required=False,
        max_length=100,
        help_text="Name, date of birth (23/11/1985), mobile number or email.",
    )
    archived = forms.BooleanField(label="Include archived patients", required=False)
