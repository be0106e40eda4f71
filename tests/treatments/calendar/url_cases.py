"""Who may open the calendar: the front desk and dermatologists; a patient sees no staff
calendar and the clinic manager does not book."""

from tests.url_expectations import DESK_AND_DERM, Case

CASES = {
    "treatments:calendar_day": Case(allowed=DESK_AND_DERM),
    "treatments:calendar_week": Case(allowed=DESK_AND_DERM),
    # A time far ahead, with no practitioner or room: "with any practitioner".
    "treatments:calendar_book_at": Case(allowed=DESK_AND_DERM, data={"at": "2030-01-07T10:00"}),
}
