"""treatments:appointment_new: book one appointment from a free slot (with a confirmation step)
or at a typed date and time; bad input gets a clear message at its field and saves nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.factories import PatientFactory, laser_type
from tests.treatments.scheduling.factories import MONDAY, NOW, at, ready_plan
from treatments.models import Appointment, WorklistItem

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture
def desk(world, client):
    client.force_login(world.desk)
    return client


def url(world):
    return reverse("treatments:appointment_new", args=[world.patient.pk])


def typed(world, starts_at: str, **fields):
    data = {
        "step": "typed",
        "book-type": world.consultation.pk,
        "book-practitioner": world.hart.pk,
        "book-room": world.consult.pk,
        "book-starts_at": starts_at,
    }
    data.update({f"book-{k}": v for k, v in fields.items()})
    return data


def confirm(world, starts_at: dt.datetime, **fields):
    data = typed(world, starts_at.isoformat(), **fields)
    data["step"] = "confirm"
    return data


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.DERMATOLOGIST])
def test_desk_and_dermatologists_open_the_booking_page(world, client_for, role):
    response = client_for(role).get(url(world))
    assert response.status_code == 200
    assert "<h1" in response.text and "Book an appointment" in response.text
    assert response.text.count("<h1") == 1
    assert not response.context["searched"]


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_patients_and_managers_may_not_book(world, client_for, role):
    assert client_for(role).get(url(world)).status_code == 403
    assert client_for(role).post(url(world), typed(world, "2026-06-15T10:00")).status_code == 403
    assert not Appointment.objects.exists()


def test_an_unknown_patient_is_404(desk):
    assert desk.get(reverse("treatments:appointment_new", args=[999999])).status_code == 404


def test_wrong_method_is_405(world, desk):
    assert desk.put(url(world)).status_code == 405


def test_searching_lists_free_times_by_day(world, desk):
    response = desk.get(
        url(world),
        {"type": world.microneedling.pk, "plan": world.plan.pk, "start": "2026-06-15"},
    )
    assert response.context["searched"]
    days = response.context["days"]
    assert days[0].day == MONDAY
    assert len(days) == 14  # the default range: two weeks
    first = days[0].options[0]
    assert first.start == at(MONDAY, 9)
    assert (first.practitioner, first.room) == (world.hart, world.room_a)
    assert "09:00 · Dr Amelia Hart · Treatment room A" in response.text
    # A day shows its first free times and links to the rest of that day.
    assert days[0].hidden > 0
    assert "All " in response.text and "free times on Monday 15 June" in response.text


def test_a_plan_alone_chooses_its_treatment_type(world, desk):
    response = desk.get(url(world), {"plan": world.plan.pk})
    assert response.context["search"].cleaned_data["type"] == world.microneedling


def test_choosing_a_slot_shows_a_confirmation(world, desk):
    response = desk.get(
        url(world),
        {
            "type": world.consultation.pk,
            "book-starts_at": at(MONDAY, 11).isoformat(),
            "book-practitioner": world.hart.pk,
            "book-room": world.consult.pk,
        },
    )
    assert response.status_code == 200
    assert response.context["confirming"]
    html = response.text
    assert "Confirm the booking" in html
    assert "Monday 15 June 2026, 11:00–11:45" in html
    assert "with Dr Amelia Hart in Consultation 1" in html
    assert ">Book</button>" in html
    assert not Appointment.objects.exists()


def test_confirming_books_and_shows_the_appointment(world, desk):
    response = desk.post(url(world), confirm(world, at(MONDAY, 11)))
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("treatments:appointment_detail", args=[appointment.pk])
    assert appointment.starts_at == at(MONDAY, 11)
    assert appointment.ends_at == at(MONDAY, 11, 45)
    assert appointment.room_free_at == at(MONDAY, 11, 55)
    assert appointment.created_by == world.desk
    page = desk.get(response["Location"])
    assert "Booked: Consultation and skin assessment on Mon 15 Jun 2026, 11:00" in page.text


def test_a_treatment_session_is_booked_with_its_plan(world, desk):
    data = confirm(world, at(MONDAY, 11), type=world.microneedling.pk, plan=world.plan.pk)
    data["book-room"] = world.room_a.pk
    assert desk.post(url(world), data).status_code == 302
    assert Appointment.objects.get().plan == world.plan


def test_a_typed_time_is_booked(world, desk):
    response = desk.post(url(world), typed(world, "2026-06-16T14:30"))
    assert response.status_code == 302
    assert Appointment.objects.get().starts_at == at(TUESDAY, 14, 30)


def test_a_forged_end_is_ignored_the_type_decides(world, desk):
    data = typed(world, "2026-06-16T14:30")
    data["book-ends_at"] = "2026-06-16T09:00"  # before the start: no such field, not read
    data["ends_at"] = "2026-06-16T09:00"
    assert desk.post(url(world), data).status_code == 302
    assert Appointment.objects.get().ends_at == at(TUESDAY, 15, 15)


def assert_refused(response, field, message):
    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors.get(field, []), form.errors
    assert message in response.text.replace("&#x27;", "'")
    assert not Appointment.objects.exists()


def test_a_conflicting_booking_is_refused_with_a_clear_message(world, desk):
    world.book(at(TUESDAY, 10), patient=PatientFactory())
    response = desk.post(url(world), typed(world, "2026-06-16T10:15"))
    assert response.status_code == 200
    assert "Dr Amelia Hart is already booked or away at that time." in response.text
    assert Appointment.objects.count() == 1


def test_a_time_outside_opening_hours_is_refused(world, desk):
    assert_refused(
        desk.post(url(world), typed(world, "2026-06-16T07:00")),
        "starts_at",
        "07:00-07:45 on Tuesday 16 June is outside the clinic's opening hours.",
    )


def test_a_room_that_cannot_host_the_route_is_refused_at_the_room(world, desk):
    plan = ready_plan(route="laser_assisted", depths={})
    kind = laser_type()
    data = typed(world, "2026-06-16T10:00", type=kind.pk, plan=plan.pk, room=world.room_b.pk)
    response = desk.post(reverse("treatments:appointment_new", args=[plan.patient.pk]), data)
    assert_refused(response, "room", "Treatment room B cannot host laser-assisted infusion.")


def test_a_date_in_1900_is_in_the_past(world, desk):
    assert_refused(
        desk.post(url(world), typed(world, "1900-06-16T10:00")),
        "starts_at",
        "This time is in the past.",
    )


def test_a_date_after_2100_is_a_typing_error(world, desk):
    assert_refused(
        desk.post(url(world), typed(world, "3026-06-16T10:00")),
        "starts_at",
        "Enter a date between 2000 and 2100.",
    )


def test_a_date_next_year_but_one_is_too_far_ahead(world, desk):
    assert_refused(
        desk.post(url(world), typed(world, "2028-09-16T10:00")),
        "starts_at",
        "That is more than two years ahead: check the date.",
    )


def test_earlier_today_is_in_the_past(world, desk):
    assert_refused(
        desk.post(url(world), typed(world, "2026-06-15T07:45")),
        "starts_at",
        "This time is in the past.",
    )


def test_nonsense_is_not_a_date(world, desk):
    assert_refused(
        desk.post(url(world), typed(world, "next tuesday")),
        "starts_at",
        "Enter a date and time, e.g. 2026-03-30 10:00.",
    )


def test_a_missing_practitioner_and_room_are_asked_for(world, desk):
    data = typed(world, "2026-06-16T10:00", practitioner="", room="")
    response = desk.post(url(world), data)
    assert_refused(response, "practitioner", "Choose the practitioner.")
    assert "Choose the room." in response.context["form"].errors["room"]


def test_a_treatment_without_a_plan_is_refused(world, desk):
    data = typed(world, "2026-06-16T10:00", type=world.microneedling.pk, room=world.room_a.pk)
    response = desk.post(url(world), data)
    assert_refused(response, "plan", "Choose the treatment plan this session belongs to.")
    assert "Choose the treatment plan this session belongs to." in response.text


def test_a_draft_plan_cannot_be_chosen(world, desk):
    draft = ready_plan(state="draft", patient=world.patient)
    data = typed(
        world, "2026-06-16T10:00", type=world.microneedling.pk, plan=draft.pk, room=world.room_a.pk
    )
    response = desk.post(url(world), data)
    assert response.status_code == 200
    assert "plan" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_no_treatment_consent_is_said_and_refused(world, desk):
    plan = ready_plan(consent=False)
    page = desk.get(reverse("treatments:appointment_new", args=[plan.patient.pk]))
    assert "has no valid treatment consent" in page.text
    data = typed(
        world, "2026-06-16T10:00", type=world.microneedling.pk, plan=plan.pk, room=world.room_a.pk
    )
    response = desk.post(reverse("treatments:appointment_new", args=[plan.patient.pk]), data)
    assert response.status_code == 200
    assert (
        "The patient has no valid treatment consent. Take consent before booking." in response.text
    )
    assert not Appointment.objects.exists()


def _sooner(world):
    """Session 1 booked Monday 15 June 10:00; the confirmation of a session four weeks on."""
    world.book(at(MONDAY, 10), appointment_type=world.microneedling, plan=world.plan)
    return confirm(
        world,
        at(MONDAY + dt.timedelta(days=28), 10),
        type=world.microneedling.pk,
        plan=world.plan.pk,
        room=world.room_a.pk,
    )


CLASH = "Session 1 on Mon 15 Jun 10:00 is 28 days before; the plan's interval is 42 days."


def test_the_desk_is_refused_a_sooner_session_and_may_ask_a_dermatologist(world, desk):
    data = _sooner(world)
    response = desk.post(url(world), data)
    assert response.status_code == 200
    text = response.text.replace("&#x27;", "'")
    assert CLASH in text
    assert "a dermatologist's decision" in text
    form = response.context["form"]
    assert not form.needs_reason  # the desk is not offered a reason to write
    assert "Why this session is needed sooner" not in text
    assert "Ask a dermatologist to approve" in text
    assert Appointment.objects.count() == 1

    ask = response.context["ask"]
    asked = desk.post(
        url(world),
        {"step": "ask", "book-starts_at": ask["starts_at"], "book-plan": ask["plan"]},
    )
    assert asked.status_code == 302
    worklist_item = WorklistItem.objects.get()
    assert worklist_item.assigned_to == world.plan.author
    assert CLASH in worklist_item.title
    assert f"Asked {world.plan.author} to approve it" in desk.get(asked["Location"]).text
    assert Appointment.objects.count() == 1


def test_a_reason_forced_by_the_desk_books_nothing(world, desk):
    data = _sooner(world)
    data["book-short_interval_reason"] = "Travelling abroad for six weeks."
    response = desk.post(url(world), data)
    assert response.status_code == 200
    assert "Only a dermatologist can give the reason" in response.text
    assert Appointment.objects.count() == 1


def test_a_dermatologist_writes_the_reason_and_books(world, client_for):
    derm = client_for(Role.DERMATOLOGIST)
    data = _sooner(world)
    response = derm.post(url(world), data)
    assert response.status_code == 200
    assert response.context["form"].needs_reason
    assert "Why this session is needed sooner than the plan&#x27;s interval" in response.text
    assert CLASH in response.text.replace("&#x27;", "'")
    assert Appointment.objects.count() == 1

    data["book-short_interval_reason"] = "Travelling abroad for six weeks."
    assert derm.post(url(world), data).status_code == 302
    assert Appointment.objects.latest("pk").short_interval_reason == (
        "Travelling abroad for six weeks."
    )


def test_the_free_times_leave_out_the_days_inside_the_interval(world, desk):
    world.book(at(MONDAY, 10), appointment_type=world.microneedling, plan=world.plan)
    params = {"type": world.microneedling.pk, "plan": world.plan.pk}
    inside = desk.get(url(world), {**params, "start": "2026-07-20", "end": "2026-07-26"})
    assert inside.context["days"] == []
    assert "Days less than the plan&#x27;s interval (42 days (6 weeks))" in inside.text
    edge = desk.get(url(world), {**params, "start": "2026-07-26", "end": "2026-07-27"})
    assert [d.day for d in edge.context["days"]] == [dt.date(2026, 7, 27)]  # day 42


def test_a_slot_taken_meanwhile_is_said_at_the_confirmation(world, desk):
    page = desk.get(
        url(world),
        {
            "type": world.consultation.pk,
            "book-starts_at": at(MONDAY, 11).isoformat(),
            "book-practitioner": world.hart.pk,
            "book-room": world.consult.pk,
        },
    )
    assert page.context["summary"]
    world.book(at(MONDAY, 11), patient=PatientFactory(), now=NOW)
    response = desk.post(url(world), confirm(world, at(MONDAY, 11), type=world.consultation.pk))
    assert response.status_code == 200
    assert (
        "Dr Amelia Hart is already booked or away at that time."
        in response.context["form"].top_errors
    )
    assert "Dr Amelia Hart is already booked or away at that time." in response.text
    assert Appointment.objects.count() == 1


def test_an_archived_patient_cannot_be_booked(world, desk):
    patient = PatientFactory(archived_at=NOW)
    page = desk.get(reverse("treatments:appointment_new", args=[patient.pk]))
    assert "is archived" in page.text
    response = desk.post(
        reverse("treatments:appointment_new", args=[patient.pk]),
        typed(world, "2026-06-16T10:00"),
    )
    assert "This patient is archived." in response.text
    assert not Appointment.objects.exists()


def test_search_errors_are_shown_at_their_fields(world, desk):
    response = desk.get(
        url(world), {"type": world.consultation.pk, "start": "2026-06-20", "end": "2026-06-18"}
    )
    assert response.context["search"].errors["end"] == ["The end date is before the start date."]
    assert not response.context["searched"]


def test_a_time_chosen_in_the_calendar_is_prefilled(world, desk):
    # The calendar links here with ?at=<ISO instant>&practitioner=; a "+" may arrive as a space.
    response = desk.get(url(world) + f"?at=2026-06-16T10:15+01:00&practitioner={world.mehta.pk}")
    assert response.status_code == 200
    assert response.context["choosing"]
    html = response.text
    assert "Book at the time chosen" in html
    assert 'value="2026-06-16T10:15"' in html
    assert f'<option value="{world.mehta.pk}" selected>' in html
    assert "Appointment type" in html


def test_booking_at_the_chosen_time(world, desk):
    data = typed(world, "2026-06-16T10:15", practitioner=world.mehta.pk, room=world.room_b.pk)
    data["step"] = "at"
    assert desk.post(url(world), data).status_code == 302
    booked = Appointment.objects.get()
    assert (booked.starts_at, booked.practitioner) == (at(TUESDAY, 10, 15), world.mehta)


def test_at_the_chosen_time_errors_stay_on_that_form(world, desk):
    data = typed(world, "2026-06-16T10:15", type="")
    data["step"] = "at"
    response = desk.post(url(world), data)
    assert response.context["choosing"]
    assert response.context["form"].errors["type"] == ["Choose the appointment type."]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("value", ["soon", "2026-06-16T10:15", "0001-01-01T00:00+05:00"])
def test_a_nonsense_calendar_time_is_ignored(world, desk, value):
    response = desk.get(url(world), {"at": value})
    assert response.status_code == 200
    assert not response.context["choosing"]
