"""The skin assessment form (docs/clinical-rules.md §Skin assessment) and its MASI calculator."""

from django import forms
from django.utils import timezone

from clinic.lib.scores import (
    GLOGAU_CHOICES,
    IGA_CHOICES,
    MASI_AREA_CHOICES,
    MASI_INTENSITY_CHOICES,
    MASI_REGIONS,
    RegionScore,
    masi,
)
from clinic.lib.vocabulary import Area, Concern, Fitzpatrick, Severity, SkinType
from clinic.lib.zones import Zone
from clinic.validators import CheckedTextMixin, validate_not_before_1900
from patients.forms.registry import DateInput
from patients.services.assessments import ConcernScore

SEVERITY_ERROR = "Severity is 0 (none) to 4 (severe)."
VERSION_LOST = (
    "This form lost track of the version of the assessment it was opened at, so it cannot be "
    "saved safely. Open the assessment again and make your changes there."
)
MASI_PARTS = (
    ("area", "Area involved", MASI_AREA_CHOICES),
    ("darkness", "Darkness", MASI_INTENSITY_CHOICES),
    ("homogeneity", "Homogeneity", MASI_INTENSITY_CHOICES),
)
MASI_INCOMPLETE = (
    "Fill in every MASI region (area, darkness and homogeneity), or leave them all empty."
)


def _optional_int_choice(label, choices, **kwargs):
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—"), *choices],
        coerce=int,
        empty_value=None,
        required=False,
        **kwargs,
    )


def masi_field_name(region: str, part: str) -> str:
    return f"masi_{region}_{part}"


MASI_FIELD_NAMES = tuple(
    masi_field_name(region, part) for region, _, _ in MASI_REGIONS for part, _, _ in MASI_PARTS
)


class MasiForm(forms.Form):
    """The MASI region inputs; the total is always computed here, never taken from the client.

    MASI = sum of weight x area (0-6) x (darkness + homogeneity) (0-4 each) over forehead (0.3),
    right malar (0.3), left malar (0.3) and chin (0.1): clinic.lib.scores.masi.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for region, _label, _weight in MASI_REGIONS:
            for part, part_label, choices in MASI_PARTS:
                self.fields[masi_field_name(region, part)] = _optional_int_choice(
                    part_label, choices
                )

    def masi_regions_bound(self):
        """For the template: [(region label, weight, [bound fields])]."""
        return [
            (
                label,
                weight,
                [self[masi_field_name(region, part)] for part, _, _ in MASI_PARTS],
            )
            for region, label, weight in MASI_REGIONS
        ]

    def clean(self):
        cleaned = super().clean()
        names = MASI_FIELD_NAMES
        if any(name in self.errors for name in names):
            return cleaned
        values = {name: cleaned.get(name) for name in names}
        filled = [name for name, value in values.items() if value is not None]
        if not filled:
            cleaned["masi_regions"] = {}
            cleaned["masi"] = None
            return cleaned
        if len(filled) < len(names):
            for name, value in values.items():
                if value is None:
                    self.add_error(name, MASI_INCOMPLETE)
            return cleaned
        regions = {
            region: {part: values[masi_field_name(region, part)] for part, _, _ in MASI_PARTS}
            for region, _, _ in MASI_REGIONS
        }
        cleaned["masi_regions"] = regions
        cleaned["masi"] = masi(
            regions={key: RegionScore(**scores) for key, scores in regions.items()}
        )
        return cleaned

    def initial_regions(self) -> dict:
        """The region inputs of an unbound form's initial data, as masi_regions are stored."""
        return {
            region: {
                part: self.initial.get(masi_field_name(region, part)) for part, _, _ in MASI_PARTS
            }
            for region, _, _ in MASI_REGIONS
        }

    @staticmethod
    def initial_from(masi_regions: dict) -> dict:
        return {
            masi_field_name(region, part): value
            for region, parts in (masi_regions or {}).items()
            for part, value in parts.items()
        }


class AssessmentForm(CheckedTextMixin, MasiForm):
    """Phototype, skin type, every concern with its severity and areas, goals, notes, scores."""

    assessed_on = forms.DateField(label="Assessed on", widget=DateInput, initial=timezone.localdate)
    fitzpatrick = forms.TypedChoiceField(
        label="Fitzpatrick phototype",
        choices=Fitzpatrick.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the Fitzpatrick phototype (I to VI)."},
    )
    skin_type = forms.ChoiceField(
        label="Skin type",
        choices=[("", "—"), *SkinType.choices],
        error_messages={"required": "Choose the skin type."},
    )
    goals = forms.CharField(
        label="Goals, in the patient's words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label="Clinician's notes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    glogau = _optional_int_choice("Glogau photoaging (optional)", GLOGAU_CHOICES)
    iga = _optional_int_choice("Acne IGA (optional)", IGA_CHOICES)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"required": VERSION_LOST, "invalid": VERSION_LOST},
    )

    field_order = ["assessed_on", "fitzpatrick", "skin_type"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["version"].required = True
        else:
            del self.fields["version"]
        for concern in Concern:
            severity = forms.TypedChoiceField(
                label=f"{concern.label} severity",
                choices=Severity.choices,
                coerce=int,
                initial=Severity.NONE,
                error_messages={"invalid_choice": SEVERITY_ERROR, "required": SEVERITY_ERROR},
            )
            areas = forms.MultipleChoiceField(
                label=f"{concern.label} areas",
                choices=Area.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            zones = forms.MultipleChoiceField(
                label=f"{concern.label} zones",
                choices=Zone.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="Optional: mark it on the face chart. A zone adds its area.",
                error_messages={"invalid_choice": "Choose zones from the chart."},
            )
            self.fields[f"severity_{concern.value}"] = severity
            self.fields[f"areas_{concern.value}"] = areas
            self.fields[f"zones_{concern.value}"] = zones

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        validate_not_before_1900(day)
        if day > timezone.localdate():
            raise forms.ValidationError("The assessment date cannot be in the future.")
        return day

    def concern_rows(self):
        """For the template: [(concern label, severity field, areas field, zones field)] in
        docs/clinical-rules.md order."""
        return [
            (
                concern.label,
                self[f"severity_{concern.value}"],
                self[f"areas_{concern.value}"],
                self[f"zones_{concern.value}"],
            )
            for concern in Concern
        ]

    def clean(self):
        cleaned = super().clean()
        concerns = []
        for concern in Concern:
            severity = cleaned.get(f"severity_{concern.value}")
            areas = cleaned.get(f"areas_{concern.value}") or []
            zones = cleaned.get(f"zones_{concern.value}") or []
            if severity is None or severity == Severity.NONE:
                continue
            if not areas and not zones:
                self.add_error(
                    f"areas_{concern.value}", f"Choose at least one area for {concern.label}."
                )
                continue
            concerns.append(
                ConcernScore(
                    concern=concern,
                    severity=severity,
                    areas=tuple(Area(a) for a in areas),
                    zones=tuple(Zone(z) for z in zones),
                )
            )
        cleaned["concerns"] = concerns
        return cleaned

    def service_data(self) -> dict:
        """The cleaned data as the assessment services take it (the MASI total is theirs)."""
        data = self.cleaned_data
        return {
            "assessed_on": data["assessed_on"],
            "fitzpatrick": data["fitzpatrick"],
            "skin_type": data["skin_type"],
            "goals": data["goals"],
            "notes": data["notes"],
            "glogau": data["glogau"],
            "iga": data["iga"],
            "masi_regions": data["masi_regions"],
            "concerns": data["concerns"],
        }

    @classmethod
    def initial_for(cls, assessment) -> dict:
        initial = {
            "assessed_on": assessment.assessed_on,
            "fitzpatrick": assessment.fitzpatrick,
            "skin_type": assessment.skin_type,
            "goals": assessment.goals,
            "notes": assessment.notes,
            "glogau": assessment.glogau,
            "iga": assessment.iga,
            "version": assessment.version,
            **cls.initial_from(assessment.masi_regions),
        }
        for row in assessment.concerns.all():
            initial[f"severity_{row.concern}"] = row.severity
            initial[f"areas_{row.concern}"] = list(row.areas)
            initial[f"zones_{row.concern}"] = list(row.zones)
        return initial
