"""Forms of the patient portal, the dermatologist's worklist and the desk's change requests."""

from django import forms

from clinic.validators import CheckedTextMixin
from treatments.models import GAIS, ChangeRequest, Intensity
from treatments.services.portal import SATISFACTION_RANGE, SYMPTOMS

#: How each expected effect is asked about (docs/clinical-rules.md §Treatment session).
SYMPTOM_LABELS = {
    "redness": "Redness",
    "warmth": "Warmth or heat",
    "swelling": "Swelling",
    "itching": "Itching",
    "tenderness": "Tenderness (sore to touch)",
}


def _intensity_field(field: str, words: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=SYMPTOM_LABELS[field],
        choices=Intensity.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Say how much {words} you have: choose “None” if you have none.",
            "invalid_choice": "Choose none, mild, moderate or severe.",
        },
    )


class SkinReportForm(CheckedTextMixin, forms.Form):
    """How is your skin? Each expected effect from none to severe, and anything else."""

    anything_else = forms.CharField(
        label="Anything else you have noticed",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example blisters, pus, a rash, a change in skin colour, or swelling of "
        "the lips or around the eyes. Leave it empty if there is nothing else.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        symptoms = {field: _intensity_field(field, words) for field, words in SYMPTOMS}
        # The five effects first, in docs/clinical-rules.md's order, then the free text.
        self.fields = {**symptoms, "anything_else": self.fields["anything_else"]}

    @property
    def answers(self) -> dict[str, str]:
        return dict(self.cleaned_data)


class ChangeRequestForm(CheckedTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What would you like to do?",
        choices=[
            (ChangeRequest.Kind.MOVE, "Move it to another time"),
            (ChangeRequest.Kind.CANCEL, "Cancel it"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to move or to cancel the appointment.",
            "invalid_choice": "Choose whether to move or to cancel the appointment.",
        },
    )
    message = forms.CharField(
        label="Message to the clinic",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. To move: the days and times that suit you.",
    )


class HandleRequestForm(CheckedTextMixin, forms.Form):
    outcome = forms.CharField(
        label="What was done",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what was done, e.g. “Moved to Tuesday 10:00”."},
        help_text="e.g. “Moved to Tuesday 10:00” or “Cancelled, patient will call back”.",
    )


class WorklistItemDoneForm(CheckedTextMixin, forms.Form):
    """What was done about a worklist item. Whether the note is needed is the item's own rule
    (``WorklistItem.outcome_required``, enforced by ``portal.worklist_item_done``); the label
    says so."""

    EXAMPLE = "“Called the patient: swelling settling, reviewed photos”"

    outcome = forms.CharField(
        label="Outcome note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"e.g. {EXAMPLE}.",
    )

    def __init__(self, *args, worklist_item, **kwargs):
        super().__init__(*args, **kwargs)
        if worklist_item.outcome_required:
            field = self.fields["outcome"]
            field.label = "What was done"
            field.help_text = f"Needed to close this report, e.g. {self.EXAMPLE}."
            field.widget.attrs["aria-required"] = "true"


SATISFACTION_CHOICES = [
    (1, "1 – very dissatisfied"),
    (2, "2 – dissatisfied"),
    (3, "3 – neither"),
    (4, "4 – satisfied"),
    (5, "5 – very satisfied"),
]


class RatingForm(CheckedTextMixin, forms.Form):
    """The patient's own GAIS and satisfaction (docs/clinical-rules.md §Follow-up)."""

    gais = forms.TypedChoiceField(
        label="How does your skin look now, compared with before the course?",
        choices=GAIS.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how your skin looks now.",
            "invalid_choice": "Choose how your skin looks now.",
        },
    )
    satisfaction = forms.TypedChoiceField(
        label="How satisfied are you with the treatment?",
        choices=SATISFACTION_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": SATISFACTION_RANGE, "invalid_choice": SATISFACTION_RANGE},
    )
    comment = forms.CharField(
        label="Anything you would like to tell us (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
