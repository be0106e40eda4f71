"""What sessions add elsewhere: the chart's timeline (per role) and the lot's recall list."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from clinic.models import Role
from patients import timeline
from tests.helpers import count_queries
from tests.treatments.sessions.factories import completed_session, started_session
from treatments.models import TreatmentSession
from treatments.services import recall

pytestmark = pytest.mark.django_db


def test_the_recall_list_has_every_completed_session_of_the_lot(client_for):
    first = completed_session()
    second = completed_session(lot=first.lot, product=first.plan.product)
    started_session()  # in progress, another lot: not on this list

    rows = recall.recall_rows(first.lot)

    assert sorted(row.patient_name for row in rows) == sorted(
        [first.patient.full_name, second.patient.full_name]
    )
    row = next(row for row in rows if row.patient_name == first.patient.full_name)
    assert row.date_of_birth == first.patient.date_of_birth
    assert row.mobile == first.patient.mobile.as_e164 and row.mobile.startswith("+44")
    assert row.email == first.patient.email
    assert row.practitioner == str(first.clinician)
    assert row.url == reverse("treatments:session_detail", args=[first.pk])

    page = client_for(Role.MANAGER).get(reverse("treatments:lot_recall", args=[first.lot_id]))
    assert first.patient.full_name in page.text
    csv = client_for(Role.MANAGER).get(reverse("treatments:lot_recall_csv", args=[first.lot_id]))
    assert first.patient.email in csv.content.decode()


def test_the_recall_source_runs_one_query_whatever_the_sessions():
    from treatments.services.sessions_chart import session_recall_rows

    session = completed_session()
    completed_session(lot=session.lot, product=session.plan.product)
    completed_session(lot=session.lot, product=session.plan.product)
    assert count_queries(lambda: session_recall_rows(session.lot)) == 1


def test_the_dermatologist_timeline_links_the_session_record():
    session = completed_session()
    entries = timeline.entries_for(session.patient, Role.DERMATOLOGIST)
    entry = next(e for e in entries if e.kind == "Session")
    assert entry.title == "Treatment session: Microneedling"
    assert entry.url == reverse("treatments:session_detail", args=[session.pk])
    assert session.lot.lot_number in entry.detail
    assert entry.badges == ("Completed",)


def test_the_desk_timeline_shows_the_session_and_its_printable_aftercare_only(client_for):
    session = completed_session()
    entries = timeline.entries_for(session.patient, Role.FRONT_DESK)
    entry = next(e for e in entries if e.kind == "Session")
    assert entry.title.startswith("Treatment session, ")
    assert entry.url == reverse("treatments:aftercare", args=[session.pk])
    assert session.lot.lot_number not in entry.detail + entry.title

    page = client_for(Role.FRONT_DESK).get(reverse("patients:detail", args=[session.patient.pk]))
    assert reverse("treatments:aftercare", args=[session.pk]) in page.text
    assert f'href="{reverse("treatments:session_detail", args=[session.pk])}"' not in page.text
    assert session.lot.lot_number not in page.text


def test_the_desk_does_not_see_a_session_in_progress():
    session = started_session()
    assert not [
        e for e in timeline.entries_for(session.patient, Role.FRONT_DESK) if e.kind == "Session"
    ]


def test_patients_and_managers_get_no_session_entries():
    session = completed_session()
    for role in (Role.PATIENT, Role.MANAGER):
        assert not [e for e in timeline.entries_for(session.patient, role) if e.kind == "Session"]


# Two sessions of one course, the factory booking each two hours before the last: at a time
# of day that keeps both on one clinic day.
@time_machine.travel(dt.datetime(2026, 11, 18, 11, tzinfo=dt.UTC), tick=True)
def test_the_timeline_providers_run_a_fixed_number_of_queries():
    from treatments.services.sessions_chart import session_entries

    session = completed_session()
    before = count_queries(lambda: session_entries(session.patient, Role.DERMATOLOGIST))
    completed_session(plan=session.plan)
    assert TreatmentSession.objects.filter(patient=session.patient).count() == 2
    after = count_queries(lambda: session_entries(session.patient, Role.DERMATOLOGIST))
    assert before == after == 2
