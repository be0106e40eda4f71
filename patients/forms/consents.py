from django import forms

from clinic.validators import CheckedTextMixin
from patients.models import name_key

TEXT_VERSION_LOST = (
    "This form lost track of the consent text the patient read, so it cannot be signed. "
    "Open the consent page again and let the patient read the text shown."
)


class ConsentSignForm(CheckedTextMixin, forms.Form):
    """The patient reads the text, types their full name and ticks to agree."""

    name_fields = ("signed_name",)

    signed_name = forms.CharField(label="Patient's full name, typed by the patient", max_length=170)
    agreed = forms.BooleanField(
        label="I have read this consent and I agree to it",
        required=False,
    )
    # The version the patient read; if a newer one was published meanwhile, they read it first.
    text_version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": TEXT_VERSION_LOST, "invalid": TEXT_VERSION_LOST},
    )

    def __init__(self, *args, patient, text=None, **kwargs):
        self.patient = patient
        self.text = text
        super().__init__(*args, **kwargs)
        if text is not None:
            self.fields["text_version"].initial = text.version

    def clean_text_version(self) -> int:
        version = self.cleaned_data["text_version"]
        if self.text is not None and version != self.text.version:
            raise forms.ValidationError(
                "The consent text has changed since this page was opened. The patient must read "
                "the current version below before signing."
            )
        return version

    #: Said for a name that is not the registered one; it never shows that name (the screen may
    #: be in the hands of someone who is not the patient).
    wrong_name = (
        "This is not the name on the patient's record. The patient types their full name as "
        "the clinic registered it; the desk can check the spelling on the record."
    )
    not_agreed = "The patient must tick the box to agree."

    def clean_signed_name(self) -> str:
        name = " ".join(self.cleaned_data["signed_name"].split())
        if name_key(name) != name_key(self.patient.full_name):
            raise forms.ValidationError(self.wrong_name)
        return name

    def clean_agreed(self) -> bool:
        if not self.cleaned_data["agreed"]:
            raise forms.ValidationError(self.not_agreed)
        return True


class PortalConsentSignForm(ConsentSignForm):
    """The same signature, in the patient's own portal: the wording speaks to them."""

    wrong_name = (
        "This is not the name the clinic has for you. Type your first and last name as you "
        "gave them to the clinic; if they have changed, call the clinic."
    )
    not_agreed = "Tick the box to agree, or leave this page if you do not."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_name"].label = "Your full name"
        self.fields["signed_name"].widget.attrs["autocomplete"] = "name"


class ConsentRevokeForm(CheckedTextMixin, forms.Form):
    reason = forms.CharField(
        label="Why is consent revoked?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class HandoverUnlockForm(forms.Form):
    password = forms.CharField(
        label="Staff: your password, to take the tablet back",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
