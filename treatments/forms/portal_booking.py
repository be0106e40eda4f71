"""Forms of the portal's booking pages: the time a patient chose, and why they cancel.

A chosen time arrives as one value, "<instant>|<practitioner>|<room>", as the page offered it;
whether that time may be booked is the service's to say (treatments.services.portal_booking).
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.lib.slots.choices import Choice
from clinic.models import Room, StaffProfile
from clinic.validators import CheckedTextMixin
from treatments.forms.scheduling import FIRST_YEAR, LAST_YEAR

CHOOSE = "Choose one of the times offered."


def choice_value(choice: Choice) -> str:
    return f"{choice.start.isoformat()}|{choice.practitioner_id}|{choice.room_id}"


class ChosenTimeForm(forms.Form):
    slot = forms.CharField(label="Time", error_messages={"required": CHOOSE})

    def clean_slot(self):
        try:
            when, practitioner_pk, room_pk = self.cleaned_data["slot"].split("|")
            starts_at = dt.datetime.fromisoformat(when)
            practitioner_pk, room_pk = int(practitioner_pk), int(room_pk)
        except ValueError:
            raise ValidationError(CHOOSE) from None
        if timezone.is_naive(starts_at) or not FIRST_YEAR <= starts_at.year <= LAST_YEAR:
            raise ValidationError(CHOOSE)
        practitioner = StaffProfile.objects.bookable().filter(pk=practitioner_pk).first()
        room = Room.objects.filter(active=True, pk=room_pk).first()
        if practitioner is None or room is None:
            raise ValidationError(CHOOSE)
        return starts_at, practitioner, room


class PortalCancelForm(CheckedTextMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why you are cancelling, so the clinic knows."},
    )
