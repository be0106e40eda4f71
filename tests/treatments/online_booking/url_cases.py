"""Who may open the online booking pages: /book/ and its steps are public (every role and an
anonymous visitor get them); the desk's identity check is the desk's and the dermatologists'."""

from tests.url_expectations import DESK_AND_DERM, Case


def _booking(request):
    from tests.treatments.online_booking.factories import booked_online

    return {"pk": booked_online().pk}


CASES = {
    "book": Case(public=True),
    # No hold in the session: the page says so and offers to choose a time.
    "book_confirm": Case(public=True),
    # Nothing booked in this session: back to the booking page.
    "book_done": Case(public=True, ok=302, anonymous=302),
    "treatments:online_booking_check": Case(allowed=DESK_AND_DERM, kwargs=_booking),
}
