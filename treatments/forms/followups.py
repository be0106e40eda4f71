"""The follow-up form (docs/clinical-rules.md §Follow-up).

One re-score field per concern of the plan's assessment and one photo field per view the
assessment was photographed in are added when the form is made; their names are
followups.score_field / followups.photo_field, which are also the keys of the service's errors.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.lib.vocabulary import Severity
from clinic.validators import CheckedTextMixin, validate_not_before_1900
from patients.forms.registry import DateInput
from patients.services import photos
from treatments.models import GAIS, FollowUpDecision
from treatments.services import followups
from treatments.services.followups import PhotoSlot, PhotoUpload

FILE_HELP = f"JPEG, PNG or WebP, up to {photos.MAX_UPLOAD_BYTES // photos.MB} MB."
DECISION_HELP = (
    "Continue or maintenance: the plan goes back into treatment. Complete: the course is "
    "completed. Adjust: the plan stays in follow-up and you are taken to it."
)


class FollowUpForm(CheckedTextMixin, forms.Form):
    reviewed_on = forms.DateField(
        label="Date of the review", widget=DateInput, initial=timezone.localdate
    )
    gais_clinician = forms.TypedChoiceField(
        label="GAIS, your rating",
        choices=[("", "—"), *GAIS.choices],
        coerce=int,
        error_messages={"required": followups.GAIS_ERROR, "invalid_choice": followups.GAIS_ERROR},
    )
    gais_patient = forms.TypedChoiceField(
        label="GAIS, the patient's rating",
        choices=[("", "Not given"), *GAIS.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": followups.GAIS_ERROR},
    )
    satisfaction = forms.IntegerField(
        label="Patient satisfaction (1-5)",
        required=False,
        min_value=1,
        max_value=5,
        help_text="1: very dissatisfied, 5: very satisfied. Leave empty if not asked.",
        error_messages={
            "min_value": followups.SATISFACTION_ERROR,
            "max_value": followups.SATISFACTION_ERROR,
            "invalid": followups.SATISFACTION_ERROR,
        },
    )
    side_effects = forms.CharField(
        label="Side effects since the last visit",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label="Clinical notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=FollowUpDecision.choices,
        widget=forms.RadioSelect,
        help_text=DECISION_HELP,
        error_messages={
            "required": followups.DECISION_ERROR,
            "invalid_choice": followups.DECISION_ERROR,
        },
    )

    def __init__(self, *args, concerns, slots: list[PhotoSlot], **kwargs):
        super().__init__(*args, **kwargs)
        self.concerns = list(concerns)
        self.slots = list(slots)
        for row in self.concerns:
            label = row.get_concern_display()
            self.fields[followups.score_field(row.concern)] = forms.TypedChoiceField(
                label=f"{label} now",
                choices=[("", "—"), *Severity.choices],
                coerce=int,
                help_text=f"At the assessment: {Severity(row.severity).label}.",
                error_messages={
                    "required": f"Re-score {label}: 0 (none) to 4 (severe).",
                    "invalid_choice": followups.SEVERITY_ERROR,
                },
            )
        for slot in self.slots:
            taken = f"At the assessment: {slot.taken_on:%-d %b %Y}. " if slot.taken_on else ""
            self.fields[slot.field] = forms.FileField(
                label=slot.label,
                required=False,
                help_text=f"{taken}{FILE_HELP}",
                widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            )

    def clean_reviewed_on(self):
        day = self.cleaned_data["reviewed_on"]
        if day > timezone.localdate():
            raise ValidationError(followups.FUTURE_ERROR)
        validate_not_before_1900(day)
        return day

    def clean(self):
        cleaned = super().clean()
        for slot in self.slots:
            upload = cleaned.get(slot.field)
            if upload:
                try:
                    photos.check_image(upload)
                except ValidationError as error:
                    self.add_error(slot.field, error)
        return cleaned

    def score_fields(self):
        return [self[followups.score_field(row.concern)] for row in self.concerns]

    def photo_fields(self):
        return [self[slot.field] for slot in self.slots]

    def service_data(self) -> dict:
        """The cleaned data as followups.followup_record takes it."""
        data = self.cleaned_data
        return {
            "reviewed_on": data["reviewed_on"],
            "gais_clinician": data["gais_clinician"],
            "gais_patient": data["gais_patient"],
            "satisfaction": data["satisfaction"],
            "side_effects": data["side_effects"],
            "notes": data["notes"],
            "decision": data["decision"],
            "scores": {
                row.concern: data[followups.score_field(row.concern)] for row in self.concerns
            },
            "photos": [
                PhotoUpload(slot.view, slot.area, data[slot.field])
                for slot in self.slots
                if data.get(slot.field)
            ],
        }
