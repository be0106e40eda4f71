"""The report pages and downloads: filters, bad input, CSV safety, no patient in any row, and a
number of queries that does not grow with the data."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from clinic.models import Role
from tests.treatments.reports.factories import appointment, follow_up, local, plan, session
from treatments.models import TreatmentPlan
from treatments.services.reports import REPORTS

D = dt.date
PAGES = [f"treatments:report_{spec.slug.replace('-', '_')}" for spec in REPORTS]
JUNE = {"start": "2026-06-01", "end": "2026-06-30"}


def _history(world, n: int):
    """``n`` more courses, each with two sessions, a follow-up and a no-show, spread over June
    (numbered on from the courses made before, so no two take the same time)."""
    first = getattr(world, "courses_made", 0)
    world.courses_made = first + n
    for i in range(first, first + n):
        course = plan(world, severity=3)
        day = D(2026, 6, 1 + i % 14)
        session(world, course, starts_at=local(day, 9 + i % 8))
        session(world, course, starts_at=local(day + dt.timedelta(days=14), 9 + i % 8))
        follow_up(course, on=day + dt.timedelta(days=15), scores={"melasma": 1 + i % 3},
                  satisfaction=4)
        # Times a practitioner and a room can really hold (PostgreSQL refuses overlaps): the
        # no-show two hours after the day's session, each booked session on a day of its own.
        appointment(world, starts_at=local(day, 11 + i % 8), kind=world.consultation,
                    status="no_show")
        appointment(world, starts_at=local(D(2026, 6, 20) + dt.timedelta(days=i), 9 + i % 8),
                    status="booked", plan_=course)


@pytest.fixture
def manager_client(client_for):
    return client_for(Role.MANAGER)


@pytest.mark.parametrize("name", PAGES)
def test_each_report_runs_a_fixed_number_of_queries(world, manager_client, name,
                                                    django_assert_max_num_queries):
    url = reverse(name)
    _history(world, 1)
    manager_client.get(url, JUNE)  # warm: the session, the clinic
    with django_assert_max_num_queries(20) as small:
        assert manager_client.get(url, JUNE).status_code == 200
    _history(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert manager_client.get(url, JUNE).status_code == 200


def test_the_home_sections_run_a_fixed_number_of_queries(world, manager_client,
                                                         django_assert_max_num_queries):
    _history(world, 1)
    manager_client.get("/")
    with django_assert_max_num_queries(30) as small:
        manager_client.get("/")
    _history(world, 8)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = manager_client.get("/")
    assert "This week" in page.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_no_report_names_a_patient(world, client_for, name):
    _history(world, 3)
    names = [p.patient.full_name for p in TreatmentPlan.objects.select_related("patient")]
    for role in (Role.MANAGER, Role.DERMATOLOGIST):
        client = client_for(role)
        for url in (reverse(name), reverse(f"{name}_csv")):
            body = client.get(url, JUNE).content.decode()
            assert not [full for full in names if full in body]


def test_the_page_shows_chart_text_alternative_and_flags(world, manager_client):
    _history(world, 2)
    body = manager_client.get(reverse("treatments:report_outcomes"), JUNE).content.decode()
    assert 'role="img"' in body and "<figcaption>Median improvement" in body
    assert "Fewer than 5 courses: read with care." in body


def test_csv_of_a_table_is_formula_safe(world, client_for):
    course = plan(world, state="planned")
    TreatmentPlan.objects.filter(pk=course.pk).update(
        state="cancelled", cancel_reason="=HYPERLINK(\"http://evil\")",
        state_changed_at=local(D(2026, 6, 5), 12),
    )
    response = client_for(Role.DERMATOLOGIST).get(
        reverse("treatments:report_courses_csv"), {**JUNE, "table": "cancellations"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "courses-cancellations-20260601-20260630.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Route", "Reason", "Courses", "Note"]
    assert rows[1] == ["Microneedling", "'=HYPERLINK(\"http://evil\")", "1", ""]


def test_csv_of_an_unknown_table_is_not_found(world, manager_client):
    url = reverse("treatments:report_stock_csv")
    assert manager_client.get(url, {"table": "patients"}).status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start": "2026-06-30", "end": "2026-06-01"}, "end", "ends before it starts"),
        ({"start": "2020-01-01", "end": "2026-06-01"}, "end", "at most three years"),
        ({"start": "1899-01-01"}, "start", "check the year"),
        ({"start": "yesterday"}, "start", "Enter a valid date"),
        ({"route": "injection"}, "route", "Select a valid choice"),
        ({"practitioner": "999999"}, "practitioner", "Select a valid choice"),
        ({"product": "x\x00"}, "product", "Select a valid choice"),
    ],
)
def test_bad_filters_are_refused_at_the_field(world, manager_client, data, field, message):
    url = reverse("treatments:report_attendance")
    response = manager_client.get(url, data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert response.context["report"] is None
    csv_response = manager_client.get(reverse("treatments:report_attendance_csv"), data)
    assert csv_response.status_code == 400


def test_a_posted_report_is_refused(world, manager_client):
    assert manager_client.post(reverse("treatments:report_outcomes"), JUNE).status_code == 405


def test_the_index_lists_what_each_role_may_read(world, client_for):
    derm = client_for(Role.DERMATOLOGIST).get(reverse("treatments:reports")).content.decode()
    manager = client_for(Role.MANAGER).get(reverse("treatments:reports")).content.decode()
    assert "Utilisation" not in derm and "Outcomes" in derm
    assert "Utilisation" in manager and "Attendance" in manager


def test_the_filters_narrow_the_page(world, manager_client):
    _history(world, 2)
    url = reverse("treatments:report_outcomes")
    everyone = manager_client.get(url, JUNE).context["report"].table("changes").rows
    nobody = manager_client.get(url, {**JUNE, "route": "topical"}).context["report"]
    assert everyone and nobody.table("changes").rows == []
