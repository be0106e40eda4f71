"""Who may open the waitlist's pages. The portal pages are the patient's own (the permission
test's patient has no Patient record: 404); the list, an entry and adding a patient are the
desk's and the dermatologists'. Records made here belong to other patients."""

import datetime as dt

from django.utils import timezone

from clinic.models import AppointmentType, Role
from tests.factories import AppointmentTypeFactory, PatientFactory, StaffProfileFactory
from tests.url_expectations import DESK_AND_DERM, PATIENT, Case
from treatments.models import FreedSlot, WaitlistEntry, WaitlistOffer

NO_PATIENT_RECORD = {Role.PATIENT: 404}


def _entry():
    today = timezone.localdate()
    return WaitlistEntry.objects.create(
        patient=PatientFactory(),
        appointment_type=AppointmentType.objects.filter(kind="consultation").first()
        or AppointmentTypeFactory(),
        earliest=today,
        latest=today + dt.timedelta(days=14),
        weekdays="01234",
        time_from=dt.time(9),
        time_to=dt.time(17),
        joined_at=timezone.now(),
    )


def _entry_kwargs(request):
    return {"pk": _entry().pk}


def _offer(request):
    entry = _entry()
    from tests.factories import RoomFactory

    slot = FreedSlot.objects.create(
        cause="by_hand",
        appointment_type=entry.appointment_type,
        practitioner=StaffProfileFactory(),
        room=RoomFactory(),
        starts_at=timezone.now() + dt.timedelta(days=2),
        freed_at=timezone.now(),
    )
    offer = WaitlistOffer.objects.create(
        entry=entry, slot=slot, token="someone-elses-offer", created_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(minutes=30),
    )
    return {"token": offer.token}


def _patient(request):
    return {"patient_pk": PatientFactory().pk}


CASES = {
    "treatments:portal_waitlist": Case(allowed=PATIENT, per_role=NO_PATIENT_RECORD),
    # Another patient's offer: 404 to a patient, as if it did not exist.
    "treatments:waitlist_offer": Case(allowed=PATIENT, kwargs=_offer, per_role=NO_PATIENT_RECORD),
    "treatments:waitlist_list": Case(allowed=DESK_AND_DERM),
    "treatments:waitlist_entry": Case(allowed=DESK_AND_DERM, kwargs=_entry_kwargs),
    "treatments:waitlist_new": Case(allowed=DESK_AND_DERM, kwargs=_patient),
    # The desk takes an entry off (back to the list); another patient's entry is a 404.
    "treatments:waitlist_leave": Case(
        allowed=DESK_AND_DERM | PATIENT, kwargs=_entry_kwargs, method="post", ok=302,
        per_role=NO_PATIENT_RECORD,
    ),
}
