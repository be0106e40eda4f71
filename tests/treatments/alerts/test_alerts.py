"""Clinical alerts: a skin report beyond the expected or a reported reaction reaches the
responsible dermatologist at once; a banner on the chart and a line on the home until handled;
the patient sees it read and the outcome; urgent ones escalate after ALERT_ESCALATE_HOURS."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import PatientFactory, UserFactory
from tests.treatments.alerts.factories import alert
from tests.treatments.portal.factories import completed_session
from treatments.models import AlertStatus, ClinicalAlert
from treatments.services import alerts, portal

pytestmark = pytest.mark.django_db

SEVERE = {
    "redness": "mild",
    "warmth": "none",
    "swelling": "severe",
    "itching": "none",
    "tenderness": "none",
    "anything_else": "",
}


def test_a_severe_skin_report_alerts_the_dermatologist_who_gave_the_session(
    mailoutbox, django_capture_on_commit_callbacks
):
    session = completed_session()
    other = UserFactory(role=Role.DERMATOLOGIST)

    with django_capture_on_commit_callbacks(execute=True):
        portal.skin_report_submit(session=session, patient=session.patient, answers=SEVERE)

    raised = ClinicalAlert.objects.get()
    assert (raised.urgency, raised.source, raised.responsible) == (
        "urgent",
        "skin_report",
        session.clinician,
    )
    assert raised.notified_at is not None
    [email] = mailoutbox
    assert email.to == [session.clinician.email] and other.email not in email.to
    assert email.subject == "Urgent patient alert"
    # No patient name or clinical detail in an email: only the link.
    assert session.patient.last_name not in email.body and "swelling" not in email.body
    assert reverse("treatments:alert_detail", args=[raised.pk]) in email.body


def test_the_chart_shows_a_banner_and_the_home_the_urgency_until_handled(client_for):
    raised = alert()
    derm = client_for(Role.DERMATOLOGIST)

    chart = derm.get(reverse("patients:detail", args=[raised.patient_id])).content.decode()
    assert "Alerts to handle" in chart and "severe swelling" in chart
    home = derm.get(reverse("home")).content.decode()
    assert "text-bg-danger" in home and raised.patient.full_name in home

    response = derm.post(
        reverse("treatments:alert_detail", args=[raised.pk]),
        {"outcome": "Called: settling; seen tomorrow 10:00."},
    )

    assert response.status_code == 302
    raised.refresh_from_db()
    assert raised.status == AlertStatus.HANDLED
    chart = derm.get(reverse("patients:detail", args=[raised.patient_id])).content.decode()
    assert "Alerts to handle" not in chart


def test_handling_needs_an_outcome_note(client_for):
    raised = alert()

    response = client_for(Role.DERMATOLOGIST).post(
        reverse("treatments:alert_detail", args=[raised.pk]), {"outcome": "   "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["outcome"] == [alerts.OUTCOME_NEEDED]
    raised.refresh_from_db()
    assert raised.status == AlertStatus.OPEN


def test_a_handled_alert_cannot_be_handled_again(client_for):
    raised = alert(status=AlertStatus.HANDLED, handled_at=timezone.now(), outcome="Done.")

    response = client_for(Role.DERMATOLOGIST).post(
        reverse("treatments:alert_detail", args=[raised.pk]), {"outcome": "Again"}
    )

    assert response.status_code == 200
    raised.refresh_from_db()
    assert raised.outcome == "Done."


def test_the_patient_sees_it_read_and_the_outcome(client_for, client):
    user = UserFactory(role=Role.PATIENT)
    patient = PatientFactory(user=user)
    raised = alert(patient=patient)
    derm = client_for(Role.DERMATOLOGIST)
    client.force_login(user)

    assert "Waiting to be read by the clinic" in client.get(reverse("home")).content.decode()

    derm.post(reverse("treatments:alert_detail", args=[raised.pk]), {"action": "read"})
    assert "The clinic read it on" in client.get(reverse("home")).content.decode()

    derm.post(reverse("treatments:alert_detail", args=[raised.pk]), {"outcome": "Seen: fine."})
    assert "The clinic's note: Seen: fine." in client.get(reverse("home")).content.decode()


def test_another_patients_alert_is_not_found():
    raised = alert()
    stranger = UserFactory(role=Role.PATIENT)
    PatientFactory(user=stranger)
    from treatments.access import alerts_for_user

    assert not alerts_for_user(stranger).filter(pk=raised.pk).exists()


def test_the_patient_reports_a_reaction(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(role=Role.PATIENT)
    patient = PatientFactory(user=user)
    session = completed_session(patient=patient)
    client.force_login(user)
    url = reverse("treatments:portal_report_reaction")

    assert client.post(url, {"what": "", "severe": "yes"}).status_code == 200
    assert client.post(url, {"what": "Blisters", "severe": "maybe"}).status_code == 200
    assert not ClinicalAlert.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"what": "Blisters since this morning", "severe": "yes"})

    assert response.status_code == 302
    raised = ClinicalAlert.objects.get()
    assert (raised.source, raised.urgency, raised.responsible) == (
        "adverse_reaction",
        "urgent",
        session.clinician,
    )
    assert "Blisters since this morning" in raised.reason
    assert mailoutbox[-1].to == [session.clinician.email]


def test_alert_raise_refuses_what_it_cannot_record():
    with pytest.raises(alerts.ValidationError) as refused:
        alerts.alert_raise(
            patient=PatientFactory(), reason=" ", urgency="whenever", source="intake", by=None
        )
    assert set(refused.value.message_dict) == {"reason", "urgency"}


@override_settings(ALERT_ESCALATE_HOURS=4)
def test_an_urgent_alert_unhandled_for_4_hours_goes_to_the_other_dermatologists(mailoutbox):
    responsible = UserFactory(role=Role.DERMATOLOGIST)
    others = [UserFactory(role=Role.DERMATOLOGIST) for _ in range(2)]
    raised = alert(responsible=responsible, notified_at=timezone.now())
    soon = alert(responsible=responsible, urgency="soon", notified_at=timezone.now())

    with time_machine.travel(raised.raised_at + dt.timedelta(hours=3, minutes=59)):
        assert alerts.process_due() == (0, 0)
    with time_machine.travel(raised.raised_at + dt.timedelta(hours=4, minutes=1)):
        call_command("process_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert alerts.process_due() == (0, 0)  # once only
        assert alerts.escalate(raised.pk) is False

    [email] = mailoutbox
    assert sorted(email.to) == sorted(user.email for user in others)
    assert "not yet handled" in email.subject
    raised.refresh_from_db()
    soon.refresh_from_db()
    assert raised.escalated_at is not None and soon.escalated_at is None


def test_a_handled_alert_does_not_escalate(mailoutbox):
    UserFactory(role=Role.DERMATOLOGIST)
    raised = alert(
        status=AlertStatus.HANDLED, handled_at=timezone.now(), notified_at=timezone.now()
    )
    with time_machine.travel(raised.raised_at + dt.timedelta(hours=5)):
        assert alerts.process_due() == (0, 0)
    assert mailoutbox == []


def test_an_alert_whose_email_was_lost_is_sent_by_the_command(mailoutbox):
    raised = alert()  # created directly: no task ran

    assert alerts.process_due() == (1, 0)
    assert alerts.process_due() == (0, 0)

    assert [email.to for email in mailoutbox] == [[raised.responsible.email]]


def test_closing_the_worklist_item_handles_the_skin_reports_alert(
    django_capture_on_commit_callbacks,
):
    session = completed_session()
    with django_capture_on_commit_callbacks(execute=True):
        result = portal.skin_report_submit(session=session, patient=session.patient, answers=SEVERE)

    portal.worklist_item_done(
        worklist_item=result.worklist_item, by=session.clinician, outcome="Called: settling."
    )

    raised = ClinicalAlert.objects.get()
    assert (raised.status, raised.outcome) == (AlertStatus.HANDLED, "Called: settling.")


def test_a_dermatologist_who_chose_texts_gets_the_alert_by_text_too(client_for, mailoutbox):
    from treatments.services import sms

    derm = UserFactory(role=Role.DERMATOLOGIST)
    client = client_for(None)
    client.force_login(derm)
    url = reverse("treatments:alert_texts")
    refused = client.post(url, {"enabled": "on", "mobile": ""})
    assert refused.context["form"].errors == {
        "mobile": ["Give the mobile number alerts should be texted to."]
    }
    assert client.post(url, {"enabled": "on", "mobile": "07911 123456"}).status_code == 302

    raised = alert(responsible=derm)
    assert alerts.notify(raised.pk) is True
    assert alerts.notify(raised.pk) is False  # once

    [text] = sms.outbox
    assert text["to"] == "+447911123456"
    assert reverse("treatments:alert_detail", args=[raised.pk]) in text["body"]
    assert raised.patient.last_name not in text["body"]
    assert [email.to for email in mailoutbox] == [[derm.email]]
