"""Forms of the waitlist: what a patient waits for, and the time the desk offers by hand.

What the patient may wait for is offered as one choice, "type:<pk>" (a consultation or a
follow-up review) or "plan:<pk>" (the next session of one of their courses); whether they may
book it is the waitlist service's to say (eligibility, as for any booking).
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from clinic.models import AppointmentType, StaffProfile
from treatments.forms.portal_booking import ChosenTimeForm
from treatments.forms.scheduling import FIRST_YEAR, LAST_YEAR, OUT_OF_RANGE, bookable_plans
from treatments.services import scheduling

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
CHOOSE_WHAT = "Choose what you are waiting for."
ANY = "Any practitioner"


def wait_choices(patient) -> list[tuple[str, str]]:
    """What ``patient`` can be put on the waitlist for: consultations and reviews, and the next
    session of each bookable course."""
    choices = [
        (f"type:{t.pk}", t.name)
        for t in AppointmentType.objects.filter(active=True).exclude(
            kind=AppointmentType.Kind.TREATMENT
        )
    ]
    for plan in bookable_plans(patient):
        if scheduling.treatment_type_for(plan.route) is not None:
            choices.append(
                (f"plan:{plan.pk}", f"Next session of the {plan.get_route_display()} course")
            )
    return choices


class WaitlistForm(forms.Form):
    what = forms.ChoiceField(
        label="What are you waiting for?",
        error_messages={"required": CHOOSE_WHAT, "invalid_choice": CHOOSE_WHAT},
    )
    practitioner = forms.ModelChoiceField(
        label="Practitioner",
        queryset=StaffProfile.objects.none(),
        required=False,
        empty_label=ANY,
    )
    earliest = forms.DateField(
        label="First date that suits", widget=forms.DateInput(attrs={"type": "date"})
    )
    latest = forms.DateField(
        label="Last date that suits", widget=forms.DateInput(attrs={"type": "date"})
    )
    weekdays = forms.MultipleChoiceField(
        label="Days that suit",
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one day."},
    )
    time_from = forms.TimeField(label="Not before", widget=forms.TimeInput(attrs={"type": "time"}))
    time_to = forms.TimeField(label="Not after", widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["what"].choices = [("", "Choose..."), *wait_choices(patient)]
        self.fields["practitioner"].queryset = StaffProfile.objects.bookable().select_related(
            "user"
        )
        self.fields["practitioner"].label_from_instance = lambda obj: obj.display_name
        if not self.is_bound:
            self.initial.setdefault("weekdays", ["0", "1", "2", "3", "4"])
            self.initial.setdefault("time_from", dt.time(9))
            self.initial.setdefault("time_to", dt.time(18))

    def _year(self, name):
        day = self.cleaned_data[name]
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(OUT_OF_RANGE)
        return day

    def clean_earliest(self):
        return self._year("earliest")

    def clean_latest(self):
        return self._year("latest")

    def clean_weekdays(self):
        return frozenset(int(d) for d in self.cleaned_data["weekdays"])

    def wish(self) -> dict:
        """The service's keyword arguments for what was chosen."""
        data = dict(self.cleaned_data)
        kind, _, pk = data.pop("what").partition(":")
        plan = None
        if kind == "plan":
            plan = bookable_plans(self.patient).get(pk=int(pk))
            appointment_type = scheduling.treatment_type_for(plan.route)
        else:
            appointment_type = AppointmentType.objects.get(pk=int(pk))
        return {**data, "plan": plan, "appointment_type": appointment_type}


class HandOfferForm(ChosenTimeForm):
    """The time the desk offers an entry (one of those the page lists)."""
