"""Forms of the adverse event pages: correcting an ongoing event, resolving it, and recording
that a serious one was reported to the regulator."""

from django import forms

from clinic.lib.adverse_events import SeriousCriterion
from clinic.validators import CheckedTextMixin, validate_not_before_1900
from patients.forms.registry import DateInput
from treatments.models import AdverseEvent


def serious_criteria_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Serious by the clinic's criteria",
        choices=SeriousCriterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick what applies (docs/clinical-rules.md §Serious adverse events). "
        "A serious event must be reported within 15 business days.",
    )


class AdverseEventEditForm(CheckedTextMixin, forms.ModelForm):
    """What happened, how severe, serious or not and what was done, while it is ongoing."""

    serious_criteria = serious_criteria_field()

    class Meta:
        model = AdverseEvent
        fields = [
            "kind",
            "severity",
            "onset_on",
            "description",
            "action_taken",
            "serious_criteria",
            "other_products",
        ]
        labels = {
            "kind": "Type",
            "onset_on": "Onset",
            "description": "What happened",
            "action_taken": "Action taken",
        }
        widgets = {
            "onset_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "action_taken": forms.Textarea(attrs={"rows": 2}),
            "other_products": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "kind": {"required": "Choose the type of event."},
            "severity": {"required": "Choose how severe it is."},
            "onset_on": {"required": "Give the date it started."},
            "description": {"required": "Describe what happened."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["onset_on"].validators.append(validate_not_before_1900)


RESOLVED_OUTCOMES = [
    (value, label)
    for value, label in AdverseEvent.Outcome.choices
    if value != AdverseEvent.Outcome.ONGOING
]


class AdverseEventResolveForm(CheckedTextMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="How it ended",
        choices=RESOLVED_OUTCOMES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it ended."},
    )
    resolved_on = forms.DateField(
        label="Resolved on",
        widget=DateInput(),
        validators=[validate_not_before_1900],
        error_messages={"required": "Give the date it resolved."},
    )
    action_taken = forms.CharField(
        label="Action taken",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Leave empty to keep what is recorded.",
    )


class AdverseEventReportedForm(CheckedTextMixin, forms.Form):
    reference = forms.CharField(
        label="Report reference",
        max_length=80,
        help_text="The reference the regulator (MedWatch, Yellow Card) or the manufacturer gave.",
        error_messages={
            "required": "Give the reference the regulator or manufacturer gave the report."
        },
    )
    reported_on = forms.DateField(
        label="Reported on",
        widget=DateInput(),
        validators=[validate_not_before_1900],
        error_messages={"required": "Give the date it was reported."},
    )
