"""Free text that is only invisible characters, or a one-line value with a line break, is refused
in the treatments forms too, next to the field."""

import datetime as dt

import pytest

from clinic.validators import INVISIBLE_ONLY, ONE_LINE
from treatments.forms.calendar import BookAtForm
from treatments.forms.portal import ChangeRequestForm
from treatments.forms.scheduling import CancelForm
from treatments.forms.sessions import AddendumForm


@pytest.mark.parametrize(
    ("form_class", "field", "value", "message"),
    [
        (AddendumForm, "text", "\u200b\u200b", INVISIBLE_ONLY),
        (CancelForm, "reason", "\ufeff", INVISIBLE_ONLY),
    ],
)
def test_invisible_text_is_refused_at_its_field(form_class, field, value, message):
    form = form_class(data={field: value})
    assert not form.is_valid()
    assert message in form.errors.get(field, [])


def test_a_patient_request_of_only_invisible_characters_is_refused():
    form = ChangeRequestForm(data={"kind": "move", "message": "\u200b"})
    form.is_valid()
    assert INVISIBLE_ONLY in form.errors.get("message", [])


def test_a_calendar_search_with_a_line_break_is_refused():
    form = BookAtForm(data={"q": "Olivia\r\nBennett"}, now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    form.is_valid()
    assert ONE_LINE in form.errors.get("q", [])


def test_dates_before_1900_are_refused_for_adverse_events():
    from django.core.exceptions import ValidationError

    from clinic.validators import validate_not_before_1900

    with pytest.raises(ValidationError):
        validate_not_before_1900(dt.date(1899, 12, 31))
