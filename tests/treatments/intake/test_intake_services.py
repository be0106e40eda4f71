"""The intake workflow (treatments.services.intake, docs/clinical-rules.md §Intake)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clinic.models import Role
from clinic.states import TransitionRefused
from patients.models import Screen
from tests.factories import AssessmentFactory, ScreenFactory, UserFactory
from tests.treatments.intake.factories import (
    ALL_NO,
    consultation,
    intake_in_progress,
    submitted_intake,
)
from treatments.models import (
    AlertSource,
    ClinicalAlert,
    Intake,
    IntakeStatus,
    MessageKind,
    OutboundMessage,
)
from treatments.services import intake as service
from treatments.services import messaging
from treatments.services.contact import contact_preference_set
from treatments.services.recommendation import latest_screen

pytestmark = pytest.mark.django_db


def test_saving_keeps_progress_and_sending_needs_every_yes_no_answer():
    intake = intake_in_progress(keloid_history=True, goals="Smoother skin")
    assert intake.status == IntakeStatus.IN_PROGRESS
    assert intake.started_at is not None and intake.submitted_at is None
    with pytest.raises(ValidationError) as refused:
        service.intake_save(intake=intake, answers={}, submit=True)
    assert "anticoagulant" in refused.value.error_dict
    assert "keloid_history" not in refused.value.error_dict
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.IN_PROGRESS  # nothing half-saved
    sent = service.intake_save(
        intake=intake, answers=ALL_NO | {"keloid_history": True}, submit=True
    )
    assert sent.status == IntakeStatus.SUBMITTED and sent.submitted_at is not None
    assert sent.goals == "Smoother skin"


def test_nothing_patient_reported_drives_a_recommendation_until_confirmed():
    """docs/clinical-rules.md §Intake: a submitted intake is no screen; the confirmed one is."""
    intake = submitted_intake(pregnant_or_breastfeeding=True)
    patient = intake.patient
    older = ScreenFactory(patient=patient, screened_on=dt.date(2026, 1, 5))
    assert latest_screen(patient) == older
    derm = UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart")

    screen = service.intake_confirm(intake=intake, by=derm)

    assert latest_screen(patient) == screen
    assert screen.source == Screen.Source.PATIENT_REPORTED and screen.author == derm
    assert screen.pregnant_or_breastfeeding is True and screen.keloid_history is False
    assert "Patient-reported in the portal intake" in screen.notes
    intake.refresh_from_db()
    assert (intake.status, intake.screen, intake.confirmed_by) == ("confirmed", screen, derm)
    assert older.pregnant_or_breastfeeding is False  # earlier screens untouched


def test_only_a_dermatologist_confirms_and_only_a_submitted_intake():
    desk = UserFactory(role=Role.FRONT_DESK)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    draft = intake_in_progress()
    with pytest.raises(TransitionRefused):
        service.intake_confirm(intake=draft, by=derm)
    submitted = submitted_intake()
    with pytest.raises(TransitionRefused):
        service.intake_confirm(intake=submitted, by=desk)
    service.intake_confirm(intake=submitted, by=derm)
    with pytest.raises(TransitionRefused):
        service.intake_confirm(intake=submitted, by=derm)
    assert Screen.objects.count() == 1


def test_a_confirmed_intake_can_no_longer_be_changed_by_the_patient():
    intake = submitted_intake()
    service.intake_confirm(intake=intake, by=UserFactory(role=Role.DERMATOLOGIST))
    with pytest.raises(ValidationError):
        service.intake_save(intake=intake, answers={"keloid_history": True}, submit=False)
    intake.refresh_from_db()
    assert intake.keloid_history is False


def test_the_patient_may_change_a_submitted_intake_before_it_is_confirmed():
    intake = submitted_intake()
    changed = service.intake_save(intake=intake, answers={"antiplatelet": True}, submit=False)
    assert changed.status == IntakeStatus.IN_PROGRESS and changed.antiplatelet is True


def test_a_cancelled_or_past_consultation_takes_no_answers():
    appointment = consultation(status="cancelled")
    with pytest.raises(ValidationError):
        service.intake_save(
            intake=service.intake_for(appointment=appointment), answers=ALL_NO, submit=True
        )


def test_a_blocking_answer_alerts_the_consultations_dermatologist_once():
    appointment = consultation()
    intake = submitted_intake(appointment, anticoagulant=True)
    alert = ClinicalAlert.objects.get()
    assert alert.source == AlertSource.INTAKE
    assert alert.responsible == appointment.practitioner.user
    assert alert.patient == appointment.patient
    assert "anticoagulant" in alert.reason.lower()
    assert intake.alert == alert
    # Changing and sending again raises no second alert.
    service.intake_save(intake=intake, answers={"goals": "Fewer lines"}, submit=False)
    service.intake_save(intake=intake, answers={}, submit=True)
    assert ClinicalAlert.objects.count() == 1


def test_cautions_raise_no_alert():
    submitted_intake(antiplatelet=True, immunosuppressed=True)
    assert not ClinicalAlert.objects.exists()


def test_the_status_column_refuses_an_unknown_state():
    intake = intake_in_progress()
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.filter(pk=intake.pk).update(status="lost")


def test_a_confirmed_intake_needs_its_screen():
    intake = submitted_intake()
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.filter(pk=intake.pk).update(status="confirmed")


# --- The intake request -------------------------------------------------------------------------


def _requests(appointment):
    return sorted(
        OutboundMessage.objects.filter(
            appointment=appointment, kind=MessageKind.INTAKE_REQUEST
        ).values_list("channel", flat=True)
    )


def test_booking_a_consultation_sends_the_intake_request_by_email_once():
    appointment = consultation()
    messaging.appointment_changed(appointment.pk, "booked")
    messaging.appointment_changed(appointment.pk, "booked")
    assert _requests(appointment) == ["email"]
    assert Intake.objects.get(appointment=appointment).status == IntakeStatus.NOT_STARTED


def test_and_by_text_too_where_the_patient_chose_texts():
    appointment = consultation()
    contact_preference_set(
        patient=appointment.patient, reminders="both", other="both", by=None, via="portal"
    )
    messaging.appointment_changed(appointment.pk, "booked")
    messaging.appointment_changed(appointment.pk, "booked")
    assert _requests(appointment) == ["email", "sms"]


def test_no_request_for_a_treatment_or_a_patient_without_a_portal_login():
    treatment = consultation(treatment=True)
    messaging.appointment_changed(treatment.pk, "booked")
    assert _requests(treatment) == []
    no_login = consultation(patient=AssessmentFactory().patient)
    messaging.appointment_changed(no_login.pk, "booked")
    assert _requests(no_login) == []


def test_the_request_is_not_sent_once_the_patient_has_answered(mailoutbox):
    appointment = consultation()
    messaging.appointment_changed(appointment.pk, "booked")
    submitted_intake(appointment)
    message = OutboundMessage.objects.get(appointment=appointment, kind=MessageKind.INTAKE_REQUEST)
    assert messaging.deliver(message.pk) == "skipped"
    message.refresh_from_db()
    assert "already sent" in message.last_error


def test_the_request_email_links_to_the_intake(mailoutbox):
    appointment = consultation()
    messaging.appointment_changed(appointment.pk, "booked")
    message = OutboundMessage.objects.get(appointment=appointment, kind=MessageKind.INTAKE_REQUEST)
    assert messaging.deliver(message.pk) == "sent"
    email = next(m for m in mailoutbox if "a few questions" in m.subject)
    assert f"/portal/appointments/{appointment.pk}/intake/" in email.body
    assert "anticoagulant" not in email.body.lower()
