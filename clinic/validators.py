"""What the clinic accepts as text and as a date in a form, checked in one place.

A one-line input (a name, a lot number, a device) must not carry a line break: it would split
a printed label, a CSV row or an email header. A name must show letters: a string of zero-width
spaces or byte-order marks looks empty on screen but is not blank to Django, so it would register
a patient with no visible name. A name must not carry bidirectional controls, which reorder the
letters on screen (a name that reads one way and sorts, matches and prints another).

Dates: nobody the clinic treats was born before 1900, and no screen or assessment is dated before
it; a date of birth, a screen or an assessment in the future is a typing mistake.

Forms take these through ``CheckedTextMixin`` (every one-line text input gets the line and
visibility checks, every text area the visibility check, the fields named in ``name_fields`` the
bidi check too), or field by field from the validator lists below.
"""

import datetime as dt
import unicodedata

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

#: Line breaks in any writing: CR, LF, vertical tab, form feed, NEL, line and paragraph separators.
LINE_BREAKS = frozenset("\r\n\x0b\x0c\x85\u2028\u2029")

#: Bidirectional embeddings, overrides and isolates (Unicode UAX #9): LRE, RLE, PDF, LRO, RLO and
#: LRI, RLI, FSI, PDI.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

#: Unicode categories that show nothing: format characters (zero-width space, BOM, joiners),
#: separators (spaces, line and paragraph) and controls.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp", "Cc"})

EARLIEST_DATE = dt.date(1900, 1, 1)

ONE_LINE = "Keep this on one line: remove the line break."
INVISIBLE_ONLY = "This has only invisible characters (such as zero-width spaces): type it again."
BIDI = (
    "This contains hidden text-direction characters, which change how it reads on screen: "
    "type it again without them."
)


def validate_one_line(value: str) -> None:
    if isinstance(value, str) and any(ch in LINE_BREAKS for ch in value):
        raise ValidationError(ONE_LINE, code="line_break")


def is_invisible(value: str) -> bool:
    """True when ``value`` has characters and none of them shows on screen."""
    return (
        isinstance(value, str)
        and bool(value)
        and all(unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in value)
    )


def validate_visible(value: str) -> None:
    if is_invisible(value):
        raise ValidationError(INVISIBLE_ONLY, code="invisible")


def validate_no_bidi_controls(value: str) -> None:
    if isinstance(value, str) and any(ch in BIDI_CONTROLS for ch in value):
        raise ValidationError(BIDI, code="bidi_control")


#: For every one-line free-text input.
LINE_VALIDATORS = (validate_one_line, validate_visible)
#: For a person's name (patients, emergency contacts, a typed signature).
NAME_VALIDATORS = (*LINE_VALIDATORS, validate_no_bidi_controls)


def validate_not_before_1900(day: dt.date) -> None:
    if day < EARLIEST_DATE:
        raise ValidationError(f"Check the year: {day.year} is before 1900.", code="before_1900")


def validate_not_future(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError("This date is in the future: check it.", code="future")


#: A date of something that has happened: a birth, a screen, an assessment, a past treatment.
PAST_DATE_VALIDATORS = (validate_not_before_1900, validate_not_future)


def is_one_line_text(field: forms.Field) -> bool:
    """A free-text input on one line: a CharField shown as a text box (not a text area, not
    hidden, not a choice)."""
    widget = field.widget
    return (
        isinstance(field, forms.CharField)
        and isinstance(widget, forms.TextInput | forms.EmailInput | forms.URLInput)
        and not isinstance(widget, forms.PasswordInput)
    )


class CheckedTextMixin:
    """A form whose one-line text inputs refuse line breaks and invisible-only values, whose
    ``name_fields`` refuse bidi controls too, and whose hidden inputs' errors are shown.

    A hidden input (a version stamp, a state) has no place on the page to show its error, so a
    tampered or lost value would fail silently: its messages move to the form's own errors.
    """

    name_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.name_fields:
                extra = NAME_VALIDATORS
            elif is_one_line_text(field):
                extra = LINE_VALIDATORS
            elif isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                extra = (validate_visible,)  # several lines are fine; nothing visible is not
            else:
                extra = ()
            field.validators.extend(v for v in extra if v not in field.validators)

    def full_clean(self):
        super().full_clean()
        if self._errors is None:
            return
        for name, field in self.fields.items():
            if field.widget.is_hidden and name in self._errors:
                for message in self._errors.pop(name):
                    if message not in self.non_field_errors():
                        self._errors.setdefault(
                            NON_FIELD_ERRORS, self.error_class(error_class="nonfield")
                        ).append(message)
