"""clinic.forms.add_service_errors: a service's refusal shown on a form, each message at the field
it names (mapped where the form calls it otherwise), the rest above the form, codes kept."""

from django import forms
from django.core.exceptions import ValidationError

from clinic.forms import add_service_errors


class BookingLike(forms.Form):
    type = forms.CharField(required=False)
    starts_at = forms.CharField(required=False)


def bound() -> BookingLike:
    form = BookingLike({})
    assert form.is_valid()
    return form


def test_each_message_goes_to_the_field_it_names():
    form = bound()
    add_service_errors(
        form,
        ValidationError({"starts_at": ValidationError("Taken.", code="slot_taken")}),
    )
    assert form.errors == {"starts_at": ["Taken."]}
    assert form.has_error("starts_at", code="slot_taken")


def test_a_service_key_is_mapped_to_the_forms_name():
    form = bound()
    add_service_errors(
        form,
        ValidationError({"appointment_type": "No longer offered."}),
        fields={"appointment_type": "type"},
    )
    assert form.errors == {"type": ["No longer offered."]}


def test_unknown_keys_and_plain_messages_go_above_the_form():
    form = bound()
    add_service_errors(form, ValidationError({"patient": "Archived."}))
    add_service_errors(form, ValidationError("Cannot be moved.", code="not_movable"))
    assert form.non_field_errors() == ["Archived.", "Cannot be moved."]
    assert form.has_error(forms.forms.NON_FIELD_ERRORS, code="not_movable")


def test_a_default_field_takes_what_names_no_field():
    form = bound()
    add_service_errors(form, ValidationError("Not today."), default="starts_at")
    assert form.errors == {"starts_at": ["Not today."]}
