"""The access report's filters: by patient, by user, by date."""

from django import forms
from django.contrib.auth import get_user_model

from clinic.validators import validate_not_before_1900


class AccessReportForm(forms.Form):
    patient = forms.IntegerField(label="Patient number", required=False, min_value=1)
    user = forms.EmailField(label="User's email", required=False, max_length=254)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput({"type": "date"}),
        validators=[validate_not_before_1900],
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput({"type": "date"}),
        validators=[validate_not_before_1900],
    )

    def clean_user(self):
        email = self.cleaned_data["user"].strip()
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError("No account has this email address.")
        return user

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date is before the start date.")
        return data
