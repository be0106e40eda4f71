"""The skin report: offered for 7 days after a session; beyond the expected, a worklist item for
the dermatologist who gave the session (docs/clinical-rules.md §Treatment session,
"Aftercare")."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import ClinicSettings, Role
from tests.factories import UserFactory
from tests.treatments.portal.factories import completed_session, portal_patient
from treatments.models import SkinReport, WorklistItem
from treatments.services import portal

pytestmark = pytest.mark.django_db

CALM = dict.fromkeys(("redness", "warmth", "swelling", "itching", "tenderness"), "none")


def answers(**given):
    return {**CALM, "anything_else": "", **given}


def url(session):
    return reverse("treatments:portal_skin_report", kwargs={"pk": session.pk})


@pytest.fixture
def olivia():
    return portal_patient(first_name="Olivia", last_name="Bennett")


@pytest.fixture
def client_of(olivia):
    client = Client()
    client.force_login(olivia[0])
    return client


# --- The window --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "open_"),
    [
        (dt.timedelta(0), True),
        (dt.timedelta(hours=1), True),
        (dt.timedelta(days=3), True),
        (dt.timedelta(days=7), True),
        (dt.timedelta(days=7, minutes=1), False),
        (dt.timedelta(days=30), False),
        (-dt.timedelta(minutes=1), False),
    ],
)
def test_skin_report_is_offered_from_the_session_end_for_seven_days(after, open_):
    session = completed_session(ended_at=timezone.now() - dt.timedelta(days=10))
    window = portal.skin_report_window(session, now=session.ended_at + after)
    assert window.open is open_
    assert window.closes_at == session.ended_at + dt.timedelta(days=7)


def test_unfinished_session_has_no_window():
    session = completed_session()
    session.status = "in_progress"
    assert portal.skin_report_window(session, now=timezone.now()).open is False


# --- The service -------------------------------------------------------------------------------


def test_expected_answers_save_a_skin_report_and_no_worklist_item(olivia):
    session = completed_session(patient=olivia[1])
    result = portal.skin_report_submit(
        session=session, patient=olivia[1], answers=answers(redness="mild", swelling="moderate")
    )
    assert result.worklist_item is None
    assert result.skin_report.beyond_expected is False
    assert result.skin_report.swelling == "moderate"
    assert not WorklistItem.objects.exists()


def test_severe_swelling_puts_a_worklist_item_for_the_sessions_clinician(olivia):
    derm = UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart")
    ended = timezone.now() - dt.timedelta(days=2, hours=1)
    session = completed_session(patient=olivia[1], clinician=derm, ended_at=ended)
    result = portal.skin_report_submit(
        session=session, patient=olivia[1], answers=answers(swelling="severe")
    )
    worklist_item = WorklistItem.objects.get()
    assert result.worklist_item == worklist_item
    assert worklist_item.assigned_to == derm
    assert worklist_item.patient == olivia[1]
    assert worklist_item.kind == WorklistItem.Kind.SKIN_REPORT
    assert worklist_item.skin_report == result.skin_report
    assert worklist_item.title == (
        "Olivia Bennett reports severe swelling 2 days after the microneedling session"
    )
    assert result.skin_report.beyond_expected is True


def test_mild_redness_after_72_hours_puts_a_worklist_item(olivia):
    session = completed_session(patient=olivia[1], ended_at=timezone.now() - dt.timedelta(days=4))
    result = portal.skin_report_submit(
        session=session, patient=olivia[1], answers=answers(redness="mild")
    )
    assert result.reasons == ["mild redness lasting over 72 hours"]
    assert WorklistItem.objects.get().skin_report == result.skin_report


def test_anything_else_puts_a_worklist_item(olivia):
    session = completed_session(patient=olivia[1])
    portal.skin_report_submit(
        session=session, patient=olivia[1], answers=answers(anything_else="A rash on my neck")
    )
    assert SkinReport.objects.get().anything_else == "A rash on my neck"
    assert "something else" in WorklistItem.objects.get().title


def test_skin_report_for_someone_elses_session_is_refused_and_saves_nothing(olivia):
    session = completed_session()  # another patient's
    with pytest.raises(ValidationError) as error:
        portal.skin_report_submit(
            session=session, patient=olivia[1], answers=answers(swelling="severe")
        )
    assert portal.NOT_YOURS in error.value.messages
    assert not SkinReport.objects.exists()
    assert not WorklistItem.objects.exists()


def test_skin_report_after_the_window_is_refused_and_saves_nothing(olivia):
    session = completed_session(patient=olivia[1], ended_at=timezone.now() - dt.timedelta(days=8))
    with pytest.raises(ValidationError) as error:
        portal.skin_report_submit(
            session=session, patient=olivia[1], answers=answers(swelling="severe")
        )
    assert "closed" in error.value.messages[0]
    assert not SkinReport.objects.exists()
    assert not WorklistItem.objects.exists()


# --- The page ----------------------------------------------------------------------------------


def test_patient_opens_the_form_for_their_own_session(client_of, olivia):
    session = completed_session(patient=olivia[1])
    response = client_of.get(url(session))
    assert response.status_code == 200
    text = response.text
    assert text.count("<h1") == 1
    for label in ("Redness", "Warmth or heat", "Swelling", "Itching", "Tenderness"):
        assert label in text
    assert "Anything else you have noticed" in text


def test_severe_swelling_from_the_page_tells_the_patient_to_call(client_of, olivia):
    ClinicSettings.objects.update_or_create(pk=1, defaults={"phone": "020 7946 0000"})
    derm = UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart")
    session = completed_session(patient=olivia[1], clinician=derm)
    response = client_of.post(url(session), answers(swelling="severe"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("treatments:portal_sessions")
    assert "we have let Dr Amelia Hart know" in response.text
    assert (
        'If it is urgent, call the clinic now on <a href="tel:+442079460000">020 7946 0000</a>'
    ) in response.text
    assert WorklistItem.objects.get().assigned_to == derm


def test_expected_answers_from_the_page_reassure(client_of, olivia):
    session = completed_session(patient=olivia[1])
    response = client_of.post(url(session), answers(redness="mild"), follow=True)
    assert "expected after a session" in response.text
    assert SkinReport.objects.count() == 1
    assert not WorklistItem.objects.exists()


def test_missing_answer_is_shown_at_the_field_and_nothing_saved(client_of, olivia):
    session = completed_session(patient=olivia[1])
    data = answers(swelling="severe")
    del data["redness"]
    response = client_of.post(url(session), data)
    assert response.status_code == 200
    assert "Say how much redness you have" in response.text
    assert not SkinReport.objects.exists()
    assert not WorklistItem.objects.exists()


def test_unknown_intensity_is_a_field_error(client_of, olivia):
    session = completed_session(patient=olivia[1])
    response = client_of.post(url(session), answers(swelling="unbearable"))
    assert "Choose none, mild, moderate or severe." in response.text
    assert not SkinReport.objects.exists()


def test_closed_window_page_says_so_and_refuses_a_post(client_of, olivia):
    ended = timezone.now() - dt.timedelta(days=9)
    session = completed_session(patient=olivia[1], ended_at=ended)
    response = client_of.get(url(session))
    assert response.status_code == 200
    assert "Skin reports for this session closed on" in response.text
    assert '<form method="post" novalidate>' not in response.text
    response = client_of.post(url(session), answers(swelling="severe"))
    assert response.status_code == 200
    assert "closed on" in response.text
    assert not SkinReport.objects.exists()
    assert not WorklistItem.objects.exists()


def test_another_patients_session_answers_404_and_saves_nothing(client_of):
    session = completed_session()
    assert client_of.get(url(session)).status_code == 404
    assert client_of.post(url(session), answers(swelling="severe")).status_code == 404
    assert not SkinReport.objects.exists()


def test_earlier_skin_reports_are_listed(client_of, olivia):
    session = completed_session(patient=olivia[1])
    portal.skin_report_submit(session=session, patient=olivia[1], answers=answers(itching="mild"))
    response = client_of.get(url(session))
    assert "What you told us after this session" in response.text


def test_wrong_method_is_refused(client_of, olivia):
    session = completed_session(patient=olivia[1])
    assert client_of.put(url(session)).status_code == 405
