"""Who may open the calendar: the front desk and dermatologists; a patient sees no staff
calendar and the clinic manager does not book."""

from tests.url_expectations import DESK_AND_DERM, Case


def _appointment(request):
    from tests.factories import AppointmentFactory

    return {"pk": AppointmentFactory().pk}


CASES = {
    "treatments:calendar_day": Case(allowed=DESK_AND_DERM),
    "treatments:calendar_week": Case(allowed=DESK_AND_DERM),
    # The short address everyone's week links a block by: on to the appointment's page.
    "treatments:calendar_appointment": Case(allowed=DESK_AND_DERM, kwargs=_appointment, ok=302),
    # A time far ahead, with no practitioner or room: "with any practitioner".
    "treatments:calendar_book_at": Case(allowed=DESK_AND_DERM, data={"at": "2030-01-07T10:00"}),
}
