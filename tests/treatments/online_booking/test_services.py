"""Holding a time online, the emailed code, booking on the right code, and the desk's identity
check (treatments.services.online_booking)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from patients.models import Patient
from tests.factories import PatientFactory
from tests.treatments.online_booking.factories import MONDAY, NOW, at, online_clinic
from treatments.models import Appointment, BookingHold, IdentityCheck, OnlineBooking
from treatments.services import online_booking, scheduling

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> set[str]:
    return {e.code for errors in error.error_dict.values() for e in errors}


def _free_starts(world, *, now=NOW):
    week = online_booking.week_of_times(
        clinic=world.clinic, now=now, practitioner=world.hart, week_start=MONDAY
    )
    return {c.start for c in week.choices}


def test_a_hold_keeps_the_time_from_the_finder_and_from_the_desk():
    world = online_clinic()
    assert at(MONDAY, 10) in _free_starts(world)
    hold, code = world.hold(at(MONDAY, 10))
    assert len(code) == 6 and code.isdigit()
    assert code not in hold.code_hash  # only an HMAC is kept
    assert at(MONDAY, 10) not in _free_starts(world)
    with pytest.raises(ValidationError, match="already booked or away"):
        scheduling.appointment_book(
            patient=PatientFactory(),
            appointment_type=world.consultation,
            practitioner=world.hart,
            room=world.consult,
            starts_at=at(MONDAY, 10),
            by=world.desk,
            clinic=world.clinic,
            now=NOW,
        )


def test_a_second_visitor_cannot_hold_the_same_time():
    world = online_clinic()
    world.hold(at(MONDAY, 10))
    with pytest.raises(ValidationError) as refused:
        world.hold(at(MONDAY, 10, 15), email="other@example.com")
    assert refused.value.message_dict == {"starts_at": [online_booking.TIME_GONE]}
    assert BookingHold.objects.count() == 1


def test_an_expired_hold_is_ignored_by_the_finder_and_cleaned_up(frozen):
    world = online_clinic()
    world.hold(at(MONDAY, 10))
    later = NOW + dt.timedelta(minutes=16)
    frozen.move_to(later)
    assert at(MONDAY, 10) in _free_starts(world, now=later)
    world.hold(at(MONDAY, 10), now=later, email="next@example.com")
    assert list(BookingHold.objects.values_list("email", flat=True)) == ["next@example.com"]


def test_the_right_code_books_the_consultation_makes_a_patient_and_invites_them():
    world = online_clinic()
    hold, code = world.hold(at(MONDAY, 10))
    mail.outbox.clear()
    booking = world.confirm(hold, code)
    appointment = booking.appointment
    assert appointment.starts_at == at(MONDAY, 10)
    assert appointment.practitioner == world.hart
    assert appointment.appointment_type == world.consultation
    assert booking.identity == IdentityCheck.TO_CHECK and not booking.likely_existing
    patient = appointment.patient
    assert (patient.first_name, patient.email, str(patient.mobile)) == (
        "Grace",
        "grace@example.com",
        "+447911123456",
    )
    assert patient.user is not None  # the portal login, waiting for its password
    assert not BookingHold.objects.exists()
    assert any("patient portal" in m.subject for m in mail.outbox)


def test_a_likely_existing_patient_gets_a_new_record_flagged_never_linked():
    world = online_clinic()
    known = PatientFactory(
        first_name="Grace", last_name="Okafor", date_of_birth=dt.date(1990, 4, 2)
    )
    hold, code = world.hold(at(MONDAY, 10))
    booking = world.confirm(hold, code)
    assert booking.likely_existing
    assert booking.patient != known
    assert booking.appointment.patient == booking.patient
    assert not known.appointments.exists()
    assert online_booking.candidates(booking) == [known]


def test_a_wrong_code_is_counted_and_the_fifth_releases_the_time():
    world = online_clinic()
    hold, code = world.hold(at(MONDAY, 10))
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError) as refused:
            world.confirm(hold, wrong)
        assert _codes(refused.value) == {"wrong_code"}
        assert f"{left} tr" in refused.value.messages[0]
        assert BookingHold.objects.get().wrong_codes == 5 - left
    with pytest.raises(ValidationError) as refused:
        world.confirm(hold, wrong)
    assert _codes(refused.value) == {"too_many_wrong"}
    assert not BookingHold.objects.exists()
    with pytest.raises(ValidationError) as refused:
        world.confirm(hold, code)  # the right one, too late
    assert _codes(refused.value) == {"hold_gone"}
    assert not Appointment.objects.exists() and not Patient.objects.exists()


@pytest.mark.parametrize("typed", ["", "12345", "abcdef", "1234567"])
def test_a_code_that_is_not_six_digits_is_not_counted(typed):
    world = online_clinic()
    hold, _code = world.hold(at(MONDAY, 10))
    with pytest.raises(ValidationError) as refused:
        world.confirm(hold, typed)
    assert _codes(refused.value) == {"code_format"}
    assert BookingHold.objects.get().wrong_codes == 0


def test_an_expired_code_books_nothing_and_releases_the_hold(frozen):
    world = online_clinic()
    hold, code = world.hold(at(MONDAY, 10))
    frozen.move_to(NOW + dt.timedelta(minutes=15))
    with pytest.raises(ValidationError) as refused:
        world.confirm(hold, code, now=NOW + dt.timedelta(minutes=15))
    assert _codes(refused.value) == {"hold_gone"}
    assert not BookingHold.objects.exists() and not Appointment.objects.exists()


def test_a_forged_token_books_nothing():
    world = online_clinic()
    world.hold(at(MONDAY, 10))
    with pytest.raises(ValidationError) as refused:
        online_booking.hold_confirm(token="forged", code="123456", clinic=world.clinic, now=NOW)
    assert _codes(refused.value) == {"hold_gone"}
    assert BookingHold.objects.count() == 1


@pytest.mark.parametrize(
    "starts_at, code",
    [
        (at(MONDAY + dt.timedelta(days=28), 10), "outside_horizon"),
        (at(MONDAY - dt.timedelta(days=1), 10), "outside_horizon"),
        (at(MONDAY, 7), "past"),
    ],
)
def test_a_time_outside_the_four_weeks_is_refused(starts_at, code):
    world = online_clinic()
    with pytest.raises(ValidationError) as refused:
        world.hold(starts_at)
    assert _codes(refused.value) == {code}
    assert not BookingHold.objects.exists() and mail.outbox == []


def test_the_last_day_of_the_four_weeks_can_be_held():
    world = online_clinic()
    world.hold(at(MONDAY + dt.timedelta(days=27), 10))
    assert BookingHold.objects.count() == 1


def test_a_time_outside_working_hours_or_taken_is_refused():
    world = online_clinic()
    scheduling.appointment_book(
        patient=PatientFactory(),
        appointment_type=world.consultation,
        practitioner=world.hart,
        room=world.consult,
        starts_at=at(MONDAY, 11),
        by=world.desk,
        clinic=world.clinic,
        now=NOW,
    )
    for starts_at, who in ((at(MONDAY, 11), world.hart), (at(MONDAY, 12), world.mehta)):
        with pytest.raises(ValidationError) as refused:
            world.hold(starts_at, practitioner=who)
        assert _codes(refused.value) == {"slot_taken"}
    assert mail.outbox == []


def test_online_booking_switched_off_refuses_holds():
    world = online_clinic(on=False)
    with pytest.raises(ValidationError, match="does not take bookings online"):
        world.hold(at(MONDAY, 10))


def test_codes_are_limited_per_email_and_per_address(settings):
    settings.ONLINE_BOOKING_CODES_PER_EMAIL = 2
    settings.ONLINE_BOOKING_CODES_PER_ADDRESS = 3
    world = online_clinic()
    world.hold(at(MONDAY, 10))
    world.hold(at(MONDAY, 11))
    with pytest.raises(ValidationError) as refused:
        world.hold(at(MONDAY, 12))
    assert "Too many booking codes" in refused.value.messages[0]
    assert "020 7946 0000" in refused.value.messages[0]
    world.hold(at(MONDAY, 12), email="another@example.com")  # the address's third
    with pytest.raises(ValidationError):
        world.hold(at(MONDAY, 13), email="third@example.com")
    world.hold(at(MONDAY, 13), email="third@example.com", address="198.51.100.9")
    assert BookingHold.objects.count() == 4


def test_the_code_email_reads_the_same_for_a_known_and_an_unknown_person():
    world = online_clinic()
    PatientFactory(
        first_name="Grace",
        last_name="Okafor",
        email="grace@example.com",
        date_of_birth=dt.date(1990, 4, 2),
    )
    world.hold(at(MONDAY, 10))
    world.hold(at(MONDAY, 11), first_name="Nia", last_name="Brown", email="nia@example.com")
    known, unknown = mail.outbox
    strip = lambda m, code: (m.subject.replace(code, "C"), m.body.replace(code, "C"))  # noqa: E731
    known_code = known.subject.split()[-1]
    unknown_code = unknown.subject.split()[-1]
    assert strip(known, known_code)[0] == strip(unknown, unknown_code)[0]
    assert strip(known, known_code)[1].replace("10:00", "T") == strip(unknown, unknown_code)[
        1
    ].replace("11:00", "T")


# --- The desk's check ---------------------------------------------------------------------


def _booked(world, **details):
    hold, code = world.hold(at(MONDAY, 10), **details)
    return world.confirm(hold, code)


def test_the_desk_confirms_a_new_patient():
    world = online_clinic()
    booking = _booked(world)
    checked = online_booking.identity_confirm(booking=booking, by=world.desk)
    booking.refresh_from_db()
    assert booking.identity == IdentityCheck.NEW and booking.checked_by == world.desk
    assert checked.merge is None
    assert list(online_booking.to_check()) == []


def test_the_desk_links_the_booking_to_the_existing_patient():
    world = online_clinic()
    known = PatientFactory(
        first_name="Grace", last_name="Okafor", date_of_birth=dt.date(1990, 4, 2)
    )
    booking = _booked(world)
    online_booking.identity_confirm(booking=booking, by=world.desk, existing=known)
    booking.refresh_from_db()
    assert booking.identity == IdentityCheck.LINKED and booking.linked_to == known
    assert booking.appointment.patient == known
    booking.patient.refresh_from_db()
    assert booking.patient.merged_into == known


def test_the_desk_cannot_link_a_record_the_rules_did_not_offer():
    world = online_clinic()
    booking = _booked(world)
    stranger = PatientFactory(first_name="Someone", last_name="Else")
    with pytest.raises(ValidationError) as refused:
        online_booking.identity_confirm(booking=booking, by=world.desk, existing=stranger)
    assert refused.value.message_dict == {"existing": ["Choose one of the records offered."]}
    booking.refresh_from_db()
    assert booking.identity == IdentityCheck.TO_CHECK
    assert booking.appointment.patient == booking.patient


def test_a_checked_booking_is_not_checked_again():
    world = online_clinic()
    booking = _booked(world)
    online_booking.identity_confirm(booking=booking, by=world.desk)
    with pytest.raises(ValidationError, match="already confirmed as a new patient"):
        online_booking.identity_confirm(booking=booking, by=world.desk)


def test_a_patient_cannot_check_an_identity():
    world = online_clinic()
    booking = _booked(world)
    with pytest.raises(ValidationError):
        online_booking.identity_confirm(booking=booking, by=booking.patient.user)
    assert OnlineBooking.objects.get().identity == IdentityCheck.TO_CHECK
