"""The reports' filters: a date range, and optionally a practitioner, a route and a product."""

import datetime as dt

from django import forms

from clinic.lib.vocabulary import Route
from clinic.models import StaffProfile
from treatments.models import Product

#: A longer range is refused: three years of a busy clinic is already a slow page.
MAX_DAYS = 3 * 366
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


class PractitionerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ReportFilterForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (included)", widget=forms.DateInput(attrs={"type": "date"}))
    practitioner = PractitionerChoice(
        queryset=StaffProfile.objects.filter(is_practitioner=True).select_related("user"),
        required=False,
        empty_label="Everyone",
    )
    route = forms.ChoiceField(choices=[("", "Every route"), *Route.choices], required=False)
    product = forms.ModelChoiceField(
        queryset=Product.objects.all(), required=False, empty_label="Every product"
    )

    def _in_years(self, field: str) -> dt.date:
        value = self.cleaned_data[field]
        if not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                f"Choose a date between {EARLIEST.year} and {LATEST.year}: check the year."
            )
        return value

    def clean_start(self):
        return self._in_years("start")

    def clean_end(self):
        return self._in_years("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The range ends before it starts: check both dates.")
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end", "Choose a range of at most three years.")
        return cleaned
