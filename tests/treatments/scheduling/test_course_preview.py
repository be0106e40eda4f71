"""treatments:course_preview: a plan's remaining sessions placed on the earliest fitting slots,
the plan's interval apart, with the same practitioner when possible; the user adjusts and
confirms; booking is all or nothing, with errors at the session they belong to."""

import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role, TimeOff
from tests.factories import PatientFactory
from tests.treatments.scheduling.factories import MONDAY, at, ready_plan
from treatments.models import Appointment, PlanState

pytestmark = pytest.mark.django_db

SIX_WEEKS = dt.timedelta(days=42)


@pytest.fixture
def desk(world, client):
    client.force_login(world.desk)
    return client


def url(plan):
    return reverse("treatments:course_preview", args=[plan.pk])


def rows_data(rows: list[dict]) -> dict:
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "12",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def preview_rows(world, starts) -> list[dict]:
    return [
        {
            "starts_at": timezone_local(start),
            "practitioner": world.hart.pk,
            "room": world.room_a.pk,
        }
        for start in starts
    ]


def timezone_local(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def course(start=None) -> list[dt.datetime]:
    start = start or at(MONDAY, 9)
    return [dt.datetime.combine(start.date() + n * SIX_WEEKS, start.timetz()) for n in range(4)]


def test_the_preview_places_every_session_the_interval_apart_with_one_practitioner(world, desk):
    response = desk.get(url(world.plan))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.number for row in rows] == [1, 2, 3, 4]
    assert [row.start for row in rows] == course()
    assert {row.practitioner for row in rows} == {world.hart}
    assert all(row.same_practitioner for row in rows)
    html = response.text
    assert "Monday 15 June 2026, 09:00–10:15 with Dr Amelia Hart in Treatment room A." in html
    assert "Monday 27 July 2026, 09:00–10:15" in html
    assert "Book 4 sessions" in html
    assert not Appointment.objects.exists()  # a preview books nothing


def test_the_preview_starts_from_the_day_asked_with_the_practitioner_asked(world, desk):
    response = desk.get(url(world.plan), {"earliest": "2026-06-16", "practitioner": world.mehta.pk})
    rows = response.context["rows"]
    assert rows[0].start == at(MONDAY + dt.timedelta(days=1), 9)
    assert rows[0].practitioner == world.mehta  # Tuesdays: he works
    assert all(row.practitioner == world.mehta for row in rows)


def test_a_session_with_another_practitioner_is_noted(world, desk):
    # Dr Hart is away for three weeks around the second session: it goes to Dr Mehta.
    away_from = at(MONDAY + SIX_WEEKS, 0)
    TimeOff.objects.create(
        staff=world.hart, starts_at=away_from, ends_at=away_from + dt.timedelta(days=21)
    )
    response = desk.get(url(world.plan))
    second = response.context["rows"][1]
    assert second.practitioner == world.mehta
    assert not second.same_practitioner
    assert "Not the course's practitioner:" in response.text
    assert "booked with another practitioner" in response.text


def test_confirming_books_every_session(world, desk):
    starts = course()
    response = desk.post(url(world.plan), rows_data(preview_rows(world, starts)))
    booked = list(Appointment.objects.order_by("starts_at"))
    assert [a.starts_at for a in booked] == starts
    assert {a.plan for a in booked} == {world.plan}
    assert {a.appointment_type for a in booked} == {world.microneedling}
    assert response.status_code == 302
    assert response["Location"] == reverse("treatments:appointment_detail", args=[booked[0].pk])
    page = desk.get(response["Location"])
    assert "4 sessions booked." in page.text
    # The appointment page lists the plan's appointments.
    assert page.text.count(reverse("treatments:appointment_detail", args=[booked[1].pk])) == 1


def test_a_row_can_be_moved_before_confirming(world, desk):
    rows = preview_rows(world, course())
    rows[3]["starts_at"] = "2026-10-20T14:00"  # a Tuesday, a day later than offered
    rows[3]["practitioner"] = world.mehta.pk
    rows[3]["room"] = world.room_b.pk
    assert desk.post(url(world.plan), rows_data(rows)).status_code == 302
    last = Appointment.objects.order_by("starts_at").last()
    assert last.starts_at == at(dt.date(2026, 10, 20), 14)
    assert (last.practitioner, last.room) == (world.mehta, world.room_b)


def test_a_refused_row_books_nothing_and_says_which(world, desk):
    starts = course()
    world.book(starts[2], patient=PatientFactory())  # Dr Hart is taken at session 3's time
    response = desk.post(url(world.plan), rows_data(preview_rows(world, starts)))
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[2].errors == {
        "starts_at": ["Dr Amelia Hart is already booked or away at that time."]
    }
    assert not any(formset.forms[i].errors for i in (0, 1, 3))
    assert "Nothing was booked." in response.text
    assert Appointment.objects.filter(plan=world.plan).count() == 0


def test_a_row_too_close_to_another_is_refused_to_the_desk_with_the_session_named(world, desk):
    rows = preview_rows(world, course())
    rows[1]["starts_at"] = "2026-07-13T09:00"  # four weeks after the first, not six
    rows[1]["short_interval_reason"] = "A holiday in late July."  # not the desk's to give
    response = desk.post(url(world.plan), rows_data(rows))
    second = response.context["formset"].forms[1]
    [message] = second.errors["starts_at"]
    assert message.startswith(
        "Session 1 on Mon 15 Jun 09:00 is 28 days before; the plan's interval is 42 days."
    )
    assert not second.needs_reason
    assert not Appointment.objects.exists()


def test_a_dermatologist_gives_the_reason_for_a_row_too_close(world, client_for):
    derm = client_for(Role.DERMATOLOGIST)
    rows = preview_rows(world, course())
    rows[1]["starts_at"] = "2026-07-13T09:00"
    response = derm.post(url(world.plan), rows_data(rows))
    second = response.context["formset"].forms[1]
    assert "short_interval_reason" in second.errors
    assert second.needs_reason
    assert "Session 2: why sooner than the plan&#x27;s interval" in response.text
    assert not Appointment.objects.exists()

    rows[1]["short_interval_reason"] = "A holiday in late July."
    assert derm.post(url(world.plan), rows_data(rows)).status_code == 302
    assert Appointment.objects.count() == 4


def test_bad_input_in_a_row_is_shown_there(world, desk):
    rows = preview_rows(world, course())
    rows[0]["starts_at"] = "1900-06-15T09:00"
    rows[3]["room"] = ""
    response = desk.post(url(world.plan), rows_data(rows))
    forms = response.context["formset"].forms
    assert forms[0].errors == {"starts_at": ["This time is in the past."]}
    assert forms[3].errors == {"room": ["Choose the room."]}
    assert not Appointment.objects.exists()


def test_without_treatment_consent_nothing_is_booked(world, desk):
    plan = ready_plan(consent=False)
    page = desk.get(url(plan))
    assert "has no valid treatment consent. Take consent before booking." in page.text
    assert "Book 4 sessions" not in page.text
    response = desk.post(url(plan), rows_data(preview_rows(world, course())))
    assert response.status_code == 200
    assert (
        "The patient has no valid treatment consent. Take consent before booking."
        in response.context["course_errors"]
    )
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            PlanState.DRAFT,
            "The plan is still a draft: its sessions can be booked once it is planned.",
        ),
        (PlanState.COMPLETED, "The plan is completed: no sessions can be booked for it."),
    ],
)
def test_a_plan_not_ready_cannot_be_booked(world, desk, state, message):
    plan = ready_plan(state=state)
    page = desk.get(url(plan))
    assert message in page.text
    assert page.context["formset"] is None
    response = desk.post(url(plan), rows_data(preview_rows(world, course())))
    assert message in response.context["course_errors"]
    assert not Appointment.objects.exists()


def test_only_the_remaining_sessions_are_previewed(world, desk):
    world.book(at(MONDAY, 9), appointment_type=world.microneedling, plan=world.plan)
    response = desk.get(url(world.plan))
    rows = response.context["rows"]
    assert [row.number for row in rows] == [2, 3, 4]
    assert rows[0].start == at(MONDAY + SIX_WEEKS, 9)
    assert "1 session already booked." in response.text


def test_a_follow_up_review_of_the_plan_is_not_a_booked_session(world, desk):
    world.book(at(MONDAY, 9), appointment_type=world.microneedling, plan=world.plan)
    world.book(
        at(MONDAY + dt.timedelta(days=14), 11), appointment_type=world.review, plan=world.plan
    )
    response = desk.get(url(world.plan))
    assert response.context["booked"] == 1
    assert [row.number for row in response.context["rows"]] == [2, 3, 4]
    assert "1 session already booked." in response.text


def test_three_sessions_and_a_review_leave_one_session_to_book(world, desk, client_for):
    for start in course()[:3]:
        world.book(start, appointment_type=world.microneedling, plan=world.plan)
    world.book(
        at(MONDAY + dt.timedelta(days=7), 11), appointment_type=world.review, plan=world.plan
    )
    response = desk.get(url(world.plan))
    assert "All 4 sessions of this plan are booked." not in response.text
    assert [row.number for row in response.context["rows"]] == [4]
    assert response.context["rows"][0].start == course()[3]
    assert (
        desk.post(url(world.plan), rows_data(preview_rows(world, course()[3:]))).status_code == 302
    )
    assert world.plan.booked_sessions().count() == 4
    plan_page = client_for(Role.DERMATOLOGIST).get(
        reverse("treatments:plan_detail", args=[world.plan.pk])
    )
    assert url(world.plan) not in plan_page.text


def test_across_the_spring_clock_change_the_next_session_keeps_its_local_time(world, desk, frozen):
    frozen.move_to(dt.datetime(2026, 2, 2, 8, tzinfo=dt.UTC))
    world.book(
        at(dt.date(2026, 2, 16), 10), appointment_type=world.microneedling, plan=world.plan
    )  # GMT
    rows = desk.get(url(world.plan)).context["rows"]
    # Six weeks later in British Summer Time: 10:00 on the clock, not 11:00.
    assert rows[0].start == at(dt.date(2026, 3, 30), 10)
    assert [row.start.astimezone(at(MONDAY, 0).tzinfo).hour for row in rows] == [10, 10, 10]


def test_a_fully_booked_plan_says_so(world, desk):
    for start in course():
        world.book(start, appointment_type=world.microneedling, plan=world.plan)
    response = desk.get(url(world.plan))
    assert "All 4 sessions of this plan are booked." in response.text


def test_a_tampered_formset_books_nothing(world, desk):
    response = desk.post(url(world.plan), {"form-0-starts_at": "2026-06-15T09:00"})
    assert response.status_code == 200
    assert not Appointment.objects.exists()


def test_the_desk_sees_no_link_to_the_clinical_plan(world, client_for):
    desk_page = client_for(Role.FRONT_DESK).get(url(world.plan))
    derm_page = client_for(Role.DERMATOLOGIST).get(url(world.plan))
    plan_url = reverse("treatments:plan_detail", args=[world.plan.pk])
    assert plan_url not in desk_page.text
    assert plan_url in derm_page.text
    assert world.plan.product.name not in desk_page.text


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MANAGER])
def test_patients_and_managers_get_403(world, client_for, role):
    client = client_for(role)
    assert client.get(url(world.plan)).status_code == 403
    assert client.post(url(world.plan), rows_data(preview_rows(world, course()))).status_code == 403
    assert not Appointment.objects.exists()


def test_unknown_plan_is_404(desk):
    assert desk.get(reverse("treatments:course_preview", args=[999999])).status_code == 404
