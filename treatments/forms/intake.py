"""The intake the patient fills in the portal, and the dermatologist's confirmation of it."""

from django import forms

from clinic.lib.intake import GROUPS, QUESTIONS, Ask
from clinic.lib.vocabulary import Allergen, Area, Concern
from clinic.validators import CheckedTextMixin, validate_not_before_1900, validate_not_future
from patients.forms.registry import DateInput

YES_NO = [("yes", "Yes"), ("no", "No")]


class YesNoField(forms.TypedChoiceField):
    """Yes, no, or not answered yet (None): an intake in progress may leave it empty."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Answer yes or no."},
            **kwargs,
        )

    def prepare_value(self, value):
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return value


def _field(question) -> forms.Field:
    common = {"label": question.text, "help_text": question.help, "required": False}
    match question.ask:
        case Ask.YES_NO:
            return YesNoField(label=question.text, help_text=question.help)
        case Ask.AREAS:
            return forms.TypedMultipleChoiceField(
                choices=Area.choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case Ask.ALLERGENS:
            return forms.TypedMultipleChoiceField(
                choices=Allergen.choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case Ask.DATE:
            return forms.DateField(
                widget=DateInput(attrs={"class": "form-control"}),
                validators=[validate_not_before_1900, validate_not_future],
                error_messages={"invalid": "Enter a date such as 14 March 2025."},
                **common,
            )
        case _:
            return forms.CharField(
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                **common,
            )


class IntakeForm(CheckedTextMixin, forms.Form):
    """The screen's questions in plain words (clinic.lib.intake), then concerns and goals."""

    concerns = forms.TypedMultipleChoiceField(
        label="Which of these would you like help with?",
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    concerns_in_own_words = forms.CharField(
        label="Tell us about your skin in your own words",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    goals = forms.CharField(
        label="What do you hope to achieve?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.name] = _field(question)

    def groups(self):
        """(heading, bound fields) in the page's order; concerns and goals come last."""
        for heading, questions in GROUPS:
            yield heading, [self[q.name] for q in questions]
        yield (
            "What you would like",
            [
                self["concerns"],
                self["concerns_in_own_words"],
                self["goals"],
            ],
        )

    @staticmethod
    def initial_from(intake) -> dict:
        names = [*(q.name for q in QUESTIONS), "concerns", "concerns_in_own_words", "goals"]
        return {name: getattr(intake, name) for name in names}


class IntakeConfirmForm(CheckedTextMixin, forms.Form):
    note = forms.CharField(
        label="Note for the screen (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Anything you checked with the patient or corrected.",
    )
