"""A patient books the next session of their course in the portal (docs/clinical-rules.md §Who
may book what, §Treatment plan): only times that keep the interval, in a room for the route, with
the same practitioner first; a forged time is refused and nothing is booked."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from patients.models import Consent, Screen
from tests.factories import PatientFactory
from tests.treatments.scheduling.factories import MONDAY, at, ready_plan
from treatments.models import Appointment, PlanState

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + dt.timedelta(days=1)


def offered(response) -> list[str]:
    return re.findall(r'name="slot" id="[^"]+" value="([^"]+)"', response.content.decode())


def offered_days(response) -> set[dt.date]:
    return {dt.datetime.fromisoformat(v.split("|")[0]).date() for v in offered(response)}


def book_url(plan):
    return reverse("treatments:portal_book_plan", args=[plan.pk])


def test_the_book_page_lists_the_course_with_its_next_session(patient_client, world):
    page = patient_client.get(reverse("treatments:portal_book"))
    assert page.status_code == 200
    assert "Choose a time for session 1" in page.content.decode()
    assert reverse("treatments:portal_book_plan", args=[world.plan.pk]) in page.content.decode()


def test_the_navigation_has_book_a_session(patient_client, world):
    from clinic.navigation import items_for

    labels = {item["label"]: item["url"] for item in items_for(patient_client.user)}
    assert labels["Book a session"] == reverse("treatments:portal_book")
    assert "Book a session" not in {item["label"] for item in items_for(world.desk)}


def test_a_patient_books_an_offered_time_and_gets_one_confirmation(
    patient_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    page = patient_client.get(book_url(world.plan))
    choices = offered(page)
    assert choices, "the week offers free times"
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(book_url(world.plan), {"slot": choices[0]})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.plan == world.plan
    assert appointment.patient == world.patient
    assert appointment.created_by == patient_client.user
    assert appointment.starts_at == dt.datetime.fromisoformat(choices[0].split("|")[0])
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [world.patient.email]


def test_only_procedure_rooms_for_the_route_are_offered(patient_client, world):
    rooms = {int(v.split("|")[2]) for v in offered(patient_client.get(book_url(world.plan)))}
    assert rooms and rooms <= {world.room_a.pk, world.room_b.pk}


def test_no_time_inside_the_plans_interval_is_offered(patient_client, world):
    first = world.book(at(TUESDAY, 10), appointment_type=world.microneedling, plan=world.plan)
    earliest = TUESDAY + dt.timedelta(days=world.plan.interval_days)
    page = patient_client.get(book_url(world.plan))
    days = offered_days(page)
    assert days and min(days) >= earliest
    later = patient_client.get(book_url(world.plan), {"week": MONDAY.isoformat()})
    assert min(offered_days(later)) >= earliest, "an earlier week is never offered"
    # A forced time ten days after the first session is refused, and nothing is booked.
    forged = (
        f"{at(TUESDAY + dt.timedelta(days=10), 10).isoformat()}|{world.hart.pk}|{world.room_a.pk}"
    )
    response = patient_client.post(book_url(world.plan), {"slot": forged})
    assert response.status_code == 200
    assert "outside the dates you can book" in response.content.decode()
    assert list(Appointment.objects.all()) == [first]


def test_a_time_inside_the_interval_but_inside_the_weeks_is_refused(patient_client, world):
    """Sessions both sides: a time between two booked sessions too close to the later one."""
    world.book(at(TUESDAY, 10), appointment_type=world.microneedling, plan=world.plan)
    later = TUESDAY + dt.timedelta(days=60)
    world.book(at(later, 10), appointment_type=world.microneedling, plan=world.plan)
    squeezed = later - dt.timedelta(days=10)  # 50 days after the first, 10 before the second
    forged = f"{at(squeezed, 10).isoformat()}|{world.hart.pk}|{world.room_a.pk}"
    response = patient_client.post(book_url(world.plan), {"slot": forged})
    assert response.status_code == 200
    assert Appointment.objects.count() == 2
    assert squeezed not in offered_days(
        patient_client.get(book_url(world.plan), {"week": squeezed.isoformat()})
    )


def test_the_same_practitioner_comes_first(patient_client, world):
    world.book(
        at(TUESDAY, 10),
        appointment_type=world.microneedling,
        plan=world.plan,
        practitioner=world.mehta,
    )
    page = patient_client.get(book_url(world.plan)).content.decode()
    assert "With Dr Rohan Mehta" in page
    assert page.index("With Dr Rohan Mehta") < page.index("With another practitioner")


def test_a_consultation_room_or_a_room_taken_is_refused(patient_client, world):
    forged = f"{at(TUESDAY, 10).isoformat()}|{world.hart.pk}|{world.consult.pk}"
    response = patient_client.post(book_url(world.plan), {"slot": forged})
    assert response.status_code == 200
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("value", ["", "nonsense", "2026-06-16T10:00|x|y", "2026-06-16T10:00|1|1"])
def test_a_garbled_time_gets_a_clear_message(patient_client, world, value):
    response = patient_client.post(book_url(world.plan), {"slot": value})
    assert response.status_code == 200
    assert "Choose one of the times offered." in response.content.decode()
    assert not Appointment.objects.exists()


def test_without_consent_the_course_says_why_and_books_nothing(patient_client, world):
    Consent.objects.filter(patient=world.patient).delete()
    page = patient_client.get(reverse("treatments:portal_book")).content.decode()
    assert "Your treatment consent needs signing" in page
    forged = f"{at(TUESDAY, 10).isoformat()}|{world.hart.pk}|{world.room_a.pk}"
    response = patient_client.post(book_url(world.plan), {"slot": forged})
    assert response.status_code == 200
    assert not Appointment.objects.exists()


def test_an_old_screen_sends_the_patient_to_the_clinic(patient_client, world):
    Screen.objects.filter(patient=world.patient).update(screened_on=MONDAY - dt.timedelta(days=91))
    page = patient_client.get(book_url(world.plan)).content.decode()
    assert "more than 90 days old" in page
    assert 'name="slot"' not in page


def test_another_patients_plan_answers_404(patient_client, world):
    other = ready_plan(assessment__patient=PatientFactory())
    assert patient_client.get(book_url(other)).status_code == 404
    forged = f"{at(TUESDAY, 10).isoformat()}|{world.hart.pk}|{world.room_a.pk}"
    assert patient_client.post(book_url(other), {"slot": forged}).status_code == 404
    assert not Appointment.objects.exists()


def test_a_draft_plan_is_not_offered(patient_client, world):
    world.plan.state = PlanState.DRAFT
    world.plan.save()
    assert patient_client.get(book_url(world.plan)).status_code == 404
    assert (
        "Choose a time"
        not in patient_client.get(reverse("treatments:portal_book")).content.decode()
    )


def test_the_book_page_runs_a_bounded_number_of_queries(
    patient_client, world, django_assert_max_num_queries
):
    for _ in range(3):
        ready_plan(assessment__patient=world.patient)
    with django_assert_max_num_queries(40):
        assert patient_client.get(reverse("treatments:portal_book")).status_code == 200
