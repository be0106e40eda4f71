"""The portal's demo step: a skin report on derm@demo.clinic's worklist, a request from Olivia."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from clinic.models import Role
from tests.factories import UserFactory
from tests.treatments.portal.factories import (
    AppointmentFactory,
    completed_session,
    portal_patient,
)
from treatments.demo import portal as demo_portal
from treatments.models import ChangeRequest, SkinReport, WorklistItem

pytestmark = pytest.mark.django_db


def test_demo_makes_a_worklist_item_and_a_request_once():
    derm = UserFactory(role=Role.DERMATOLOGIST, email=demo_portal.DERM_EMAIL)
    _, olivia = portal_patient(
        first_name="Olivia", last_name="Bennett", email=demo_portal.PORTAL_PATIENT_EMAIL
    )
    completed_session(clinician=derm, ended_at=timezone.now() - dt.timedelta(days=2))
    AppointmentFactory(patient=olivia)
    out = io.StringIO()
    demo_portal.seed(out)
    demo_portal.seed(out)
    worklist_item = WorklistItem.objects.get()
    assert worklist_item.assigned_to == derm
    assert "reports severe swelling" in worklist_item.title
    assert SkinReport.objects.count() == 1
    request = ChangeRequest.objects.get()
    assert request.appointment.patient == olivia
    assert request.handled_at is None


def test_demo_skips_with_a_message_when_there_is_nothing_to_use():
    out = io.StringIO()
    demo_portal.seed(out)
    assert "no demo skin report" in out.getvalue()
    assert "Olivia Bennett is missing" in out.getvalue()
    assert not WorklistItem.objects.exists()
    assert not ChangeRequest.objects.exists()
