"""Choosing the duplicate record to merge, and a dermatologist's decision on a merge."""

from django import forms

from patients.models import Patient


class MergeForm(forms.Form):
    """Pick which of the likely duplicates is merged into this record; only those are offered."""

    other = forms.ModelChoiceField(
        queryset=Patient.objects.none(),
        widget=forms.RadioSelect,
        label="The duplicate record, which is merged into this one and archived",
        error_messages={"invalid_choice": "Choose one of the records listed."},
    )
    same_person = forms.BooleanField(
        label="I have checked that both records are the same person (name, date of birth and "
        "contact details)",
        error_messages={"required": "Confirm that you have checked both records."},
    )

    def __init__(self, *args, candidates: list[Patient], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Patient.objects.filter(pk__in=[p.pk for p in candidates])
        self.fields["other"].label_from_instance = _label


def _label(patient: Patient) -> str:
    contact = ", ".join(
        part
        for part in (patient.mobile.as_national if patient.mobile else "", patient.email)
        if part
    )
    born = f"born {patient.date_of_birth:%-d %b %Y}"
    return " · ".join(part for part in (patient.full_name, born, contact) if part)


class MergeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", "Merge the records"), ("decline", "Keep them apart")],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose to merge the records or keep them apart."},
    )
    reason = forms.CharField(
        required=False,
        max_length=300,
        label="Why they stay apart (when keeping them apart)",
    )
