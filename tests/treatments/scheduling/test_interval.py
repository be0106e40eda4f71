"""The plan's interval between sessions is a clinical decision (docs/clinical-rules.md §Treatment
plan): a session sooner than it needs a dermatologist's written reason. The desk is refused, with
the session it clashes with named, and may ask a dermatologist; a reason the desk sends is not
taken. Intervals are calendar days in the clinic's zone, across clock changes too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.scheduling.factories import MONDAY, at, ready_plan
from treatments.models import Appointment, WorklistItem
from treatments.services import scheduling

pytestmark = pytest.mark.django_db

FOUR_WEEKS_ON = MONDAY + dt.timedelta(days=28)  # Monday 13 July 2026
SOONER = "Session 1 on Mon 15 Jun 10:00 is 28 days before; the plan's interval is 42 days."


def errors(exc: ValidationError) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in exc.message_dict.items()}


@pytest.fixture
def first(world):
    """Session 1 of the plan (42 days apart), Monday 15 June 10:00."""
    return world.book(at(MONDAY, 10), appointment_type=world.microneedling, plan=world.plan)


def book_session(world, starts_at, *, by, **kw):
    return world.book(starts_at, appointment_type=world.microneedling, plan=world.plan, by=by, **kw)


def test_the_desk_is_refused_a_session_sooner_than_the_interval_with_the_session_named(
    world, first
):
    with pytest.raises(ValidationError) as refused:
        book_session(world, at(FOUR_WEEKS_ON, 10), by=world.desk)
    assert errors(refused.value) == {"starts_at": [f"{SOONER} {scheduling.ASK_DERMATOLOGIST}"]}
    assert scheduling.needs_dermatologist(refused.value)
    assert list(Appointment.objects.all()) == [first]


def test_a_reason_the_desk_sends_is_not_taken_and_nothing_is_booked(world, first):
    with pytest.raises(ValidationError) as refused:
        book_session(
            world, at(FOUR_WEEKS_ON, 10), by=world.desk, short_interval_reason="Going abroad"
        )
    [message] = errors(refused.value)["starts_at"]
    assert message.startswith(SOONER)
    assert "Only a dermatologist can give the reason" in message
    assert list(Appointment.objects.all()) == [first]


def test_a_dermatologist_is_asked_for_the_reason_then_books_with_it(world, first):
    derm = world.plan.author
    with pytest.raises(ValidationError) as refused:
        book_session(world, at(FOUR_WEEKS_ON, 10), by=derm)
    assert errors(refused.value) == {
        "short_interval_reason": [f"{SOONER} Write why this session is needed sooner."]
    }
    assert not scheduling.needs_dermatologist(refused.value)
    booked = book_session(
        world, at(FOUR_WEEKS_ON, 10), by=derm, short_interval_reason=" Wedding on the 20th "
    )
    assert booked.short_interval_reason == "Wedding on the 20th"
    assert booked.created_by == derm


def test_the_clash_may_be_with_a_later_session(world, first):
    later = book_session(world, at(MONDAY + dt.timedelta(days=84), 10), by=world.desk)
    with pytest.raises(ValidationError) as refused:
        book_session(world, at(MONDAY + dt.timedelta(days=70), 14), by=world.desk)
    [message] = errors(refused.value)["starts_at"]
    # The nearest clash is named: session 2 (7 September), numbered in time order.
    assert message.startswith(
        "Session 2 on Mon 7 Sep 10:00 is 14 days after; the plan's interval is 42 days."
    )
    assert later.pk in Appointment.objects.values_list("pk", flat=True)


def test_the_same_day_is_said_so(world, first):
    with pytest.raises(ValidationError) as refused:
        book_session(world, at(MONDAY, 15), by=world.desk)
    assert errors(refused.value)["starts_at"][0].startswith(
        "Session 1 on Mon 15 Jun 10:00 is on the same day;"
    )


def test_the_interval_is_counted_in_calendar_days_not_hours(world, first):
    # 42 days later but earlier in the day: in time.
    booked = book_session(world, at(MONDAY + dt.timedelta(days=42), 9), by=world.desk)
    assert booked.short_interval_reason == ""


def test_across_the_spring_clock_change_the_same_time_42_days_later_is_in_time(world, frozen):
    frozen.move_to(dt.datetime(2026, 2, 1, 8, tzinfo=dt.UTC))
    winter = dt.date(2026, 2, 16)  # GMT
    spring = winter + dt.timedelta(days=42)  # Monday 30 March, BST: 41 days 23 hours later
    before = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    book_session(world, at(winter, 10), by=world.desk, now=before)
    # The exact instant, as a free time chosen from the list sends it (with its offset).
    chosen = at(spring, 10).astimezone(dt.UTC)
    booked = book_session(world, chosen, by=world.desk, now=before)
    assert booked.short_interval_reason == ""


def test_a_reason_is_not_kept_when_none_is_needed(world, first):
    booked = book_session(
        world,
        at(MONDAY + dt.timedelta(days=42), 10),
        by=world.plan.author,
        short_interval_reason="Just in case",
    )
    assert booked.short_interval_reason == ""


def test_a_follow_up_review_of_the_plan_is_not_a_session(world, first):
    # A review linked to the plan, a week after session 1: no session clash, no place taken.
    world.book(
        at(MONDAY + dt.timedelta(days=7), 11), appointment_type=world.review, plan=world.plan
    )
    booked = book_session(world, at(MONDAY + dt.timedelta(days=42), 10), by=world.desk)
    assert world.plan.booked_sessions().count() == 2
    assert booked.plan == world.plan


# --- Moving ------------------------------------------------------------------------------------


@pytest.fixture
def second(world, first):
    """Session 2, six weeks after session 1: Monday 27 July 10:00."""
    return book_session(world, at(MONDAY + dt.timedelta(days=42), 10), by=world.desk)


def test_the_desk_cannot_move_a_session_inside_the_interval(world, second):
    with pytest.raises(ValidationError) as refused:
        scheduling.appointment_move(
            appointment=second,
            starts_at=at(MONDAY + dt.timedelta(days=30), 10),
            by=world.desk,
            short_interval_reason="Asked by the patient",
        )
    [message] = errors(refused.value)["starts_at"]
    assert message.startswith(
        "Session 1 on Mon 15 Jun 10:00 is 30 days before; the plan's interval is 42 days."
    )
    second.refresh_from_db()
    assert second.starts_at == at(MONDAY + dt.timedelta(days=42), 10)


def test_an_approved_sooner_session_moves_as_long_as_it_comes_no_closer(world, first):
    derm = world.plan.author
    approved = book_session(
        world, at(FOUR_WEEKS_ON, 10), by=derm, short_interval_reason="Wedding on the 20th"
    )
    # A day later: further from session 1 than approved; the approval holds.
    moved = scheduling.appointment_move(
        appointment=approved, starts_at=at(FOUR_WEEKS_ON + dt.timedelta(days=1), 10), by=world.desk
    )
    assert moved.short_interval_reason == "Wedding on the 20th"
    # Two days earlier: closer than approved; a dermatologist decides again.
    with pytest.raises(ValidationError) as refused:
        scheduling.appointment_move(
            appointment=moved, starts_at=at(FOUR_WEEKS_ON - dt.timedelta(days=1), 10), by=world.desk
        )
    assert scheduling.needs_dermatologist(refused.value)
    # Out of the interval altogether: no reason is needed any more.
    moved = scheduling.appointment_move(
        appointment=moved, starts_at=at(MONDAY + dt.timedelta(days=42), 10), by=world.desk
    )
    assert moved.short_interval_reason == ""


# --- The desk asks a dermatologist ---------------------------------------------------------------


def test_the_desk_asks_the_plans_dermatologist_once(world, first):
    worklist_item, created = scheduling.short_interval_request(
        plan=world.plan, starts_at=at(FOUR_WEEKS_ON, 10), by=world.desk, clinic=world.clinic
    )
    assert created
    assert worklist_item.assigned_to == world.plan.author
    assert worklist_item.patient == world.patient
    assert worklist_item.kind == WorklistItem.Kind.OTHER
    assert (
        worklist_item.title
        == (
            f"Approve a session sooner than the plan's interval for {world.patient.full_name}: "
            f"Mon 13 Jul 2026 10:00 wanted. {SOONER}"
        )[: scheduling.TITLE_LENGTH]
    )
    again, created = scheduling.short_interval_request(
        plan=world.plan, starts_at=at(FOUR_WEEKS_ON, 10), by=world.desk, clinic=world.clinic
    )
    assert (again, created) == (worklist_item, False)
    assert WorklistItem.objects.count() == 1
    assert not Appointment.objects.exclude(pk=first.pk).exists()


def test_a_request_for_a_move_names_the_move(world, second):
    worklist_item, _ = scheduling.short_interval_request(
        appointment=second, starts_at=at(MONDAY + dt.timedelta(days=30), 10), by=world.desk
    )
    assert worklist_item.title.startswith(
        f"Approve moving a session of {world.patient.full_name} sooner than the plan's interval"
    )


def test_a_time_that_needs_no_approval_is_not_asked_for(world, first):
    with pytest.raises(ValidationError) as refused:
        scheduling.short_interval_request(
            plan=world.plan, starts_at=at(MONDAY + dt.timedelta(days=42), 10), by=world.desk
        )
    assert "needs no dermatologist's approval" in errors(refused.value)["starts_at"][0]
    assert not WorklistItem.objects.exists()


def test_a_dermatologist_does_not_ask_but_decides(world, first):
    with pytest.raises(ValidationError, match="booking it with the reason"):
        scheduling.short_interval_request(
            plan=world.plan, starts_at=at(FOUR_WEEKS_ON, 10), by=world.plan.author
        )
    assert not WorklistItem.objects.exists()


def test_a_plan_whose_author_left_asks_any_dermatologist(world, first):
    author = world.plan.author
    author.is_active = False
    author.save()
    worklist_item, _ = scheduling.short_interval_request(
        plan=world.plan, starts_at=at(FOUR_WEEKS_ON, 10), by=world.desk
    )
    assert worklist_item.assigned_to is None


def test_a_dermatologist_who_is_not_the_plans_author_may_approve(world, first):
    other = UserFactory(role=Role.DERMATOLOGIST)
    booked = book_session(world, at(FOUR_WEEKS_ON, 10), by=other, short_interval_reason="Travel")
    assert booked.short_interval_reason == "Travel"


def test_another_plans_sessions_do_not_count(world, first):
    plan = ready_plan(patient=world.patient)
    booked = world.book(
        at(FOUR_WEEKS_ON, 10), appointment_type=world.microneedling, plan=plan, by=world.desk
    )
    assert booked.short_interval_reason == ""
