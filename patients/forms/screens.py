from django import forms
from django.utils import timezone

from clinic.lib.vocabulary import Allergen, Area
from clinic.validators import CheckedTextMixin, validate_not_before_1900
from patients.forms.registry import DateInput
from patients.models import Screen

DATE_FIELDS = ("isotretinoin_last_taken", "last_sunburn_or_tan", "last_peel_or_laser")
AREA_FIELDS = ("active_infection_areas", "inflammatory_flare_areas", "lesion_areas")


class ScreenForm(CheckedTextMixin, forms.ModelForm):
    """The contraindication screen of docs/clinical-rules.md, asked question by question."""

    active_infection_areas = forms.MultipleChoiceField(
        label="Active skin infection (bacterial, viral such as cold sores, fungal) in",
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    inflammatory_flare_areas = forms.MultipleChoiceField(
        label=(
            "Active flare of eczema, psoriasis or rosacea, or moderate or severe inflammatory "
            "acne, in"
        ),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lesion_areas = forms.MultipleChoiceField(
        label="Skin cancer or an unassessed lesion in",
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    allergens = forms.MultipleChoiceField(
        label="Allergies to product sources or ingredients",
        choices=Allergen.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Screen
        fields = [
            "screened_on",
            "active_infection_areas",
            "isotretinoin_last_taken",
            "keloid_history",
            "bleeding_disorder",
            "anticoagulant",
            "antiplatelet",
            "inflammatory_flare_areas",
            "last_sunburn_or_tan",
            "last_peel_or_laser",
            "pregnant_or_breastfeeding",
            "immunosuppressed",
            "uncontrolled_diabetes",
            "lesion_areas",
            "allergens",
            "other_allergies",
            "current_medications",
            "notes",
        ]
        widgets = {
            "screened_on": DateInput(),
            "isotretinoin_last_taken": DateInput(),
            "last_sunburn_or_tan": DateInput(),
            "last_peel_or_laser": DateInput(),
            "other_allergies": forms.Textarea(attrs={"rows": 2}),
            "current_medications": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("screened_on", *DATE_FIELDS):
            if name in self.fields:
                self.fields[name].validators.append(validate_not_before_1900)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        screened_on = cleaned.get("screened_on")
        if screened_on and screened_on > today:
            self.add_error("screened_on", "A screen cannot be dated in the future.")
        for name in DATE_FIELDS:
            day = cleaned.get(name)
            if day and day > (screened_on or today):
                self.add_error(name, "This date is after the screen's date: check it.")
        return cleaned

    @classmethod
    def initial_from(cls, screen: Screen | None) -> dict:
        """Start a new screen from the last one's answers, dated today."""
        if screen is None:
            return {}
        initial = {name: getattr(screen, name) for name in cls.Meta.fields}
        initial["screened_on"] = timezone.localdate()
        initial["notes"] = ""
        return initial
