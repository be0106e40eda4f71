"""Forms of the calendar: the date and the practitioner or room to show, and the free time to
book."""

import datetime as dt

from django import forms

from clinic.models import Room, StaffProfile
from clinic.validators import LINE_VALIDATORS

#: The years the calendar shows; a date outside them is a typing error.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


class DateForm(forms.Form):
    date = forms.DateField(
        label="Go to date",
        required=False,
        # Kept through a calendar swap that lands while someone types a date (static/js/clinic.js).
        widget=forms.DateInput(attrs={"type": "date", "hx-preserve": "true"}, format="%Y-%m-%d"),
    )


class WeekForm(DateForm):
    who = forms.ChoiceField(
        label="Show", required=False, widget=forms.Select(attrs={"hx-preserve": "true"})
    )

    def __init__(self, *args, resources, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("", f"All {by.label}")] + [
            (str(resource.id), resource.name) for resource in resources
        ]


class BookAtForm(forms.Form):
    """The time and practitioner or room of a free cell, and a search for the patient."""

    at = forms.DateTimeField(widget=forms.HiddenInput)
    practitioner = forms.ModelChoiceField(
        queryset=StaffProfile.objects.bookable(),
        required=False,
        widget=forms.HiddenInput,
    )
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(active=True), required=False, widget=forms.HiddenInput
    )
    q = forms.CharField(
        label="Find the patient",
        required=False,
        max_length=100,
        help_text="Name, date of birth (23/11/1985), mobile or email.",
        validators=list(LINE_VALIDATORS),
    )

    def __init__(self, *args, now: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now

    def clean_at(self):
        at = self.cleaned_data["at"]
        if not EARLIEST <= at.date() <= LATEST:
            raise forms.ValidationError("That date is outside the calendar. Choose a time in it.")
        if at < self.now:
            raise forms.ValidationError("That time has passed. Choose a free time in the calendar.")
        return at
