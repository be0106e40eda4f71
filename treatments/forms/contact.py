"""How a patient wants to hear from the clinic: one choice per topic."""

from django import forms

from treatments.models import Channels, Topic


def _choice(topic: Topic) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=topic.label,
        choices=Channels.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you want to hear about this.",
            "invalid_choice": "Choose email only, text only, email and text, or neither.",
        },
    )


class ContactPreferenceForm(forms.Form):
    reminders = _choice(Topic.REMINDERS)
    other = _choice(Topic.OTHER)
