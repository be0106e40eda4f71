"""A first consultation booked online, waiting for the desk's identity check.

The clinic takes bookings at /book/ (the setting is switched on). A visitor, Daniel Murphy, books
the first free consultation two days or more ahead through the same services as the page: the time
is held, the code is emailed (here into a local outbox, so the demo sends nothing out), and the
code books it. The clinic already has a Daniel Murphy born on the same day, with another email
address, so the desk's home shows the booking as "new, check identity", with that record to
compare.

Idempotent: nothing is added once an online booking exists.
"""

import datetime as dt
import re

from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.test.utils import override_settings
from django.utils import timezone

from clinic.models import ClinicSettings, Room
from treatments.models import OnlineBooking
from treatments.services import online_booking

VISITOR = {
    "first_name": "Daniel",
    "last_name": "Murphy",
    "date_of_birth": dt.date(1979, 8, 9),
    "mobile": "+447911555014",
    "email": "dan.murphy.home@example.com",
}


def _first_free(clinic, now):
    start = timezone.localdate(now, clinic.zone) + dt.timedelta(days=2)
    week = online_booking.week_of_times(clinic=clinic, now=now, practitioner=None, week_start=start)
    for _ in range(online_booking.HORIZON_WEEKS):
        later = [
            c for c in week.choices if timezone.localtime(c.start, clinic.zone).date() >= start
        ]
        if later:
            return later[0]
        if week.next is None:
            return None
        week = online_booking.week_of_times(
            clinic=clinic, now=now, practitioner=None, week_start=week.next
        )
    return None


def seed(stdout) -> None:
    clinic = ClinicSettings.load()
    if not clinic.online_booking:
        clinic.online_booking = True
        clinic.save(update_fields=["online_booking"])
    if OnlineBooking.objects.exists():
        stdout.write("Online booking demo: a consultation booked online is already there.")
        return
    now = timezone.now()
    choice = _first_free(clinic, now)
    if choice is None:
        stdout.write("  online booking: no free consultation time in the next four weeks.")
        return
    staff = {s.pk: s for s in online_booking.practitioners()}
    # The emails (the code, the confirmation, the portal invitation) go to a local outbox, each
    # sent once its step is done, as the page's commits would send them.
    local = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with override_settings(MAILERS=local):
        mail.outbox = []
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                hold = online_booking.hold_create(
                    starts_at=choice.start,
                    practitioner=staff[choice.practitioner_id],
                    room=Room.objects.get(pk=choice.room_id),
                    address=None,
                    clinic=clinic,
                    now=now,
                    **VISITOR,
                )
            code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
            with TestCase.captureOnCommitCallbacks(execute=True):
                booking = online_booking.hold_confirm(token=hold.token, code=code, clinic=clinic)
        except ValidationError as error:
            stdout.write(f"  online booking: not booked ({' '.join(error.messages)}).")
            return
    when = timezone.localtime(booking.appointment.starts_at, clinic.zone)
    stdout.write(
        f"Online booking demo: Daniel Murphy booked a consultation online for {when:%a %d %b %H:%M}"
        " (new, check identity)."
    )
