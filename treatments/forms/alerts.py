"""What the dermatologist did about an alert, and the patient's report of a reaction."""

from django import forms
from phonenumber_field.formfields import PhoneNumberField

from clinic.validators import CheckedTextMixin


class AlertHandleForm(CheckedTextMixin, forms.Form):
    outcome = forms.CharField(
        label="What was done",
        required=False,  # the service says when it is missing, next to the field
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "aria-required": "true"}),
        help_text="The patient reads this note in the portal, e.g. “Called you: settling, "
        "seen in clinic tomorrow at 10:00”.",
    )


class ReactionReportForm(CheckedTextMixin, forms.Form):
    what = forms.CharField(
        label="What is happening to your skin, and since when",
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Tell us what is happening."},
    )
    severe = forms.TypedChoiceField(
        label="How bad is it?",
        choices=[
            ("yes", "Severe or getting worse (blisters, spreading redness, pain, fever)"),
            ("no", "Bothering me, but not getting worse"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say how bad it is.",
            "invalid_choice": "Choose one of the two answers.",
        },
    )


class AlertTextsForm(forms.Form):
    enabled = forms.BooleanField(
        label="Text me alerts as well as emailing them", required=False
    )
    mobile = PhoneNumberField(
        label="Mobile number",
        required=False,
        help_text="Texts say only that an alert needs you, with its link; at any hour.",
        error_messages={"invalid": "Enter a valid mobile number, e.g. 07911 123456."},
    )
