"""The clinic manager enters time off in the admin (on the staff member's page): saved even over
booked appointments, which the admin then lists as needing moving; far-off years and an end
before the start are refused with a form error, and nothing is saved."""

import datetime as dt
import html

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from clinic.models import Role, TimeOff
from tests.factories import AppointmentFactory, PatientFactory
from tests.treatments.calendar.conftest import TODAY
from tests.treatments.calendar.factories import LONDON, local

TUESDAY = TODAY + dt.timedelta(days=1)


def staff_url(staff) -> str:
    return reverse("admin:clinic_staffprofile_change", args=[staff.pk])


def time_off_data(staff, *rows: tuple[str, str, str, str], existing=()) -> dict:
    """The staff page's form, unchanged, with time off rows: (start date, start time, end date,
    end time); ``existing`` time off is posted as it is."""
    data = {
        "user": staff.user_id,
        "title": staff.title,
        "job_title": staff.job_title,
        "professional_registration": "",
        "is_practitioner": "on",
        "phone": "",
        "working_hours-TOTAL_FORMS": "0",
        "working_hours-INITIAL_FORMS": "0",
        "time_off-TOTAL_FORMS": str(len(existing) + len(rows)),
        "time_off-INITIAL_FORMS": str(len(existing)),
    }
    for index, (off, values) in enumerate(
        [*((off, None) for off in existing), *((None, row) for row in rows)]
    ):
        prefix = f"time_off-{index}-"
        if off is not None:
            start, end = off.starts_at.astimezone(LONDON), off.ends_at.astimezone(LONDON)
            values = (f"{start:%Y-%m-%d}", f"{start:%H:%M}", f"{end:%Y-%m-%d}", f"{end:%H:%M}")
            data[f"{prefix}id"] = off.pk
        start_date, start_time, end_date, end_time = values
        data |= {
            f"{prefix}staff": staff.pk,
            f"{prefix}starts_at_0": start_date,
            f"{prefix}starts_at_1": start_time,
            f"{prefix}ends_at_0": end_date,
            f"{prefix}ends_at_1": end_time,
            f"{prefix}reason": "",
        }
    return data


@pytest.fixture
def manager(client_for):
    return client_for(Role.MANAGER)


@pytest.fixture
def booked(clinic):
    """Dr Hart has Olivia at 10:00 and Amara at 14:30 on Tuesday; Ben's 10:00 was cancelled."""
    clinic.olivia = AppointmentFactory(
        patient=PatientFactory(first_name="Olivia", last_name="Bennett"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TUESDAY, 10),
    )
    clinic.amara = AppointmentFactory(
        patient=PatientFactory(first_name="Amara", last_name="Okafor"),
        practitioner=clinic.hart,
        room=clinic.room_a,
        starts_at=local(TUESDAY, 14, 30),
    )
    AppointmentFactory(
        patient=PatientFactory(first_name="Ben", last_name="Carter"),
        practitioner=clinic.hart,
        room=clinic.room_b,
        starts_at=local(TUESDAY, 10),
        status="cancelled",
    )
    return clinic


def warnings_of(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_time_off_over_booked_appointments_is_saved_and_they_are_listed(booked, manager):
    response = manager.post(
        staff_url(booked.hart),
        time_off_data(booked.hart, ("2026-06-16", "09:00", "2026-06-16", "17:00")),
    )
    assert response.status_code == 302
    assert TimeOff.objects.filter(staff=booked.hart).count() == 1
    [warning] = warnings_of(response)
    assert warning.startswith(
        "Dr Amelia Hart's time off from Tue 16 Jun 2026 09:00 to Tue 16 Jun 2026 17:00 covers "
        "2 booked appointments, which now need moving: "
        "Tue 16 Jun 2026 10:00, Olivia Bennett (Consultation and skin assessment); "
        "Tue 16 Jun 2026 14:30, Amara Okafor (Consultation and skin assessment)."
    )
    assert "Ben Carter" not in warning  # cancelled: nothing to move
    assert "Needs moving" in warning
    page = html.unescape(manager.get(response["Location"]).content.decode())
    assert "which now need moving: Tue 16 Jun 2026 10:00, Olivia Bennett" in page


def test_one_covered_appointment_is_named_in_the_singular(booked, manager):
    response = manager.post(
        staff_url(booked.hart),
        time_off_data(booked.hart, ("2026-06-16", "13:00", "2026-06-16", "17:00")),
    )
    [warning] = warnings_of(response)
    assert "covers 1 booked appointment, which now needs moving: " in warning
    assert "Amara Okafor" in warning and "Olivia Bennett" not in warning


def test_time_off_over_nothing_booked_says_nothing_more(booked, manager):
    response = manager.post(
        staff_url(booked.mehta),
        time_off_data(booked.mehta, ("2026-06-16", "09:00", "2026-06-16", "17:00")),
    )
    assert response.status_code == 302
    assert TimeOff.objects.filter(staff=booked.mehta).exists()
    assert warnings_of(response) == []


def test_lengthening_time_off_over_an_appointment_lists_it(booked, manager):
    off = TimeOff.objects.create(
        staff=booked.hart, starts_at=local(TUESDAY, 16), ends_at=local(TUESDAY, 17)
    )
    data = time_off_data(booked.hart, existing=[off])
    data["time_off-0-starts_at_1"] = "14:00"
    response = manager.post(staff_url(booked.hart), data)
    assert response.status_code == 302
    [warning] = warnings_of(response)
    assert "covers 1 booked appointment" in warning and "Amara Okafor" in warning


def test_saving_the_staff_page_again_does_not_repeat_the_list(booked, manager):
    off = TimeOff.objects.create(
        staff=booked.hart, starts_at=local(TUESDAY, 9), ends_at=local(TUESDAY, 17)
    )
    response = manager.post(staff_url(booked.hart), time_off_data(booked.hart, existing=[off]))
    assert response.status_code == 302
    assert warnings_of(response) == []  # unchanged time off: it was listed when it was saved


YEARS = "Time off must fall between 2000 and 2099: check the year."


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        (("2026-06-16", "09:00", "9999-12-31", "23:59"), {"ends_at": [YEARS]}),
        (
            ("9999-12-30", "09:00", "9999-12-31", "23:59"),
            {"starts_at": [YEARS], "ends_at": [YEARS]},
        ),
        (("1999-12-31", "09:00", "2026-06-16", "17:00"), {"starts_at": [YEARS]}),
        (
            ("2026-06-17", "09:00", "2026-06-16", "17:00"),
            {"ends_at": ["The end must be after the start."]},
        ),
    ],
)
def test_bad_time_off_is_refused_with_a_form_error(row, errors, booked, manager):
    response = manager.post(staff_url(booked.hart), time_off_data(booked.hart, row))
    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"][1:]
    assert inline.formset.errors[0] == errors
    page = html.unescape(response.content.decode())
    for [message] in errors.values():
        assert message in page
    assert not TimeOff.objects.exists()
    assert warnings_of(response) == []


def test_time_off_in_the_year_9999_in_a_zone_behind_utc_is_refused_not_a_crash(booked, manager):
    # 23:59 in New York on 31 December 9999 is in the year 10000 in UTC.
    booked.settings.time_zone = "America/New_York"
    booked.settings.save()
    response = manager.post(
        staff_url(booked.hart),
        time_off_data(booked.hart, ("9999-12-31", "09:00", "9999-12-31", "23:59")),
    )
    assert response.status_code == 200
    assert "Time off must fall between 2000 and 2099" in html.unescape(response.content.decode())
    assert not TimeOff.objects.exists()


def test_the_database_refuses_far_off_time_off_too(booked):
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeOff.objects.create(
            staff=booked.hart,
            starts_at=local(TUESDAY, 9),
            ends_at=dt.datetime(9999, 12, 31, 12, tzinfo=dt.UTC),
        )
