"""clinic.validators: what a one-line input, a name and a clinical date may hold."""

import datetime as dt

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError

from clinic import validators as v


@pytest.mark.parametrize(
    "value",
    ["\u200b", "\ufeff", "\u200b\u200c\u200d\u2060", "\u00a0\u200b", "\u3000\ufeff", "\x00\u200b"],
)
def test_strings_of_only_invisible_characters_are_refused(value):
    with pytest.raises(ValidationError, match="only invisible"):
        v.validate_visible(value)


@pytest.mark.parametrize("value", ["", "Olivia", "O\u200bivia", "李", "\u200bA"])
def test_a_string_with_something_visible_passes(value):
    v.validate_visible(value)


@pytest.mark.parametrize(
    "value", ["a\rb", "a\nb", "a\r\nb", "a\u2028b", "a\u2029b", "a\x85b", "a\x0bb"]
)
def test_line_breaks_of_any_kind_are_refused_on_one_line(value):
    with pytest.raises(ValidationError, match="one line"):
        v.validate_one_line(value)


@pytest.mark.parametrize(
    "char", [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]
)
def test_every_bidi_embedding_override_and_isolate_is_refused(char):
    with pytest.raises(ValidationError, match="text-direction"):
        v.validate_no_bidi_controls(f"Olivia{char}Bennett")


def test_a_right_to_left_name_itself_is_fine():
    for validator in v.NAME_VALIDATORS:
        validator("محمد")
        validator("דוד")


@time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC))
def test_past_dates_between_1900_and_today():
    for validator in v.PAST_DATE_VALIDATORS:
        validator(dt.date(1900, 1, 1))
        validator(dt.date(2026, 11, 23))
    with pytest.raises(ValidationError, match="before 1900"):
        v.validate_not_before_1900(dt.date(1899, 12, 31))
    with pytest.raises(ValidationError, match="future"):
        v.validate_not_future(dt.date(2026, 11, 24))


class Sample(v.CheckedTextMixin, forms.Form):
    name_fields = ("name",)

    name = forms.CharField()
    line = forms.CharField(required=False)
    text = forms.CharField(required=False, widget=forms.Textarea)
    choice = forms.ChoiceField(choices=[("a", "A")], required=False)
    stamp = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_the_mixin_checks_names_lines_and_text_areas():
    form = Sample(
        {"name": "Ann\u202e", "line": "one\ntwo", "text": "\u200b", "choice": "", "stamp": ""}
    )
    assert not form.is_valid()
    assert form.errors["name"] == [v.BIDI]
    assert form.errors["line"] == [v.ONE_LINE]
    assert form.errors["text"] == [v.INVISIBLE_ONLY]
    assert Sample({"name": "Ann", "line": "one", "text": "one\ntwo"}).is_valid()


def test_the_mixin_shows_a_hidden_inputs_error_with_the_form():
    form = Sample({"name": "Ann", "stamp": "tampered"})
    assert not form.is_valid()
    assert "stamp" not in form.errors
    assert form.non_field_errors() == ["Enter a whole number."]


def test_the_mixin_does_not_share_validators_between_forms():
    Sample()
    Sample()
    assert v.validate_one_line not in Sample.base_fields["line"].validators
    assert Sample().fields["line"].validators.count(v.validate_one_line) == 1
