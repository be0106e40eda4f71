"""Every page and download that shows a patient's record writes one access log row; a refusal
writes none."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from clinic.models import Role
from tests.factories import AssessmentFactory, PatientFactory, ScreenFactory, UserFactory
from tests.treatments.followups.factories import (
    course_plan,
    photo,
    photo_consent,
    recorded_follow_up,
)
from tests.treatments.sessions.factories import completed_session


def _client(user) -> Client:
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.force_login(user)
    return client


def _one_read(kind):
    entry = AccessLog.objects.get()
    assert entry.kind == kind
    assert entry.address == "203.0.113.7"
    return entry


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.FRONT_DESK])
def test_chart_read_is_logged_with_role(role):
    user = UserFactory(role=role)
    patient = PatientFactory()
    assert _client(user).get(reverse("patients:detail", args=[patient.pk])).status_code == 200
    entry = _one_read("chart")
    assert (entry.user, entry.role, entry.patient, entry.object_id) == (
        user,
        role.value,
        patient,
        patient.pk,
    )


@pytest.mark.django_db
def test_screen_and_assessment_reads(derm):
    screen = ScreenFactory()
    _client(derm).get(reverse("patients:screen_detail", args=[screen.patient_id, screen.pk]))
    assert (_one_read("screen").object_id, AccessLog.objects.get().patient_id) == (
        screen.pk,
        screen.patient_id,
    )
    assessment = AssessmentFactory()
    url = reverse("patients:assessment_detail", args=[assessment.patient_id, assessment.pk])
    assert _client(derm).get(url).status_code == 200
    latest = AccessLog.objects.first()
    assert (latest.kind, latest.patient_id) == ("assessment", assessment.patient_id)


@pytest.mark.django_db
def test_photo_plan_follow_up_and_course_reads(derm):
    plan = course_plan()
    photo_consent(plan.patient)
    picture = photo(plan.patient)
    follow_up = recorded_follow_up(plan, reviewed_on=timezone.localdate(), scores={"melasma": 2})
    client = _client(plan.author)
    for url, kind in (
        (reverse("patients:photo", args=[picture.pk]), "photo"),
        (reverse("patients:photo_thumb", args=[picture.pk]), "photo"),
        (reverse("treatments:plan_detail", args=[plan.pk]), "plan"),
        (reverse("treatments:followup_detail", args=[follow_up.pk]), "follow_up"),
        (reverse("treatments:course", args=[plan.pk]), "course"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        last = AccessLog.objects.first()
        assert (last.kind, last.patient_id) == (kind, plan.patient_id), url


@pytest.mark.django_db
def test_session_aftercare_recall_and_ics_reads():
    session = completed_session()
    derm = session.clinician
    client = _client(derm)
    for url, kind in (
        (reverse("treatments:session_detail", args=[session.pk]), "session"),
        (reverse("treatments:aftercare", args=[session.pk]), "aftercare"),
        (reverse("treatments:appointment_ics", args=[session.appointment_id]), "appointment_ics"),
    ):
        assert client.get(url).status_code == 200, url
        last = AccessLog.objects.first()
        assert (last.kind, last.patient_id) == (kind, session.patient_id), url
    for name, kind in (("lot_recall", "recall"), ("lot_recall_csv", "recall_csv")):
        assert client.get(reverse(f"treatments:{name}", args=[session.lot_id])).status_code == 200
        last = AccessLog.objects.first()
        assert (last.kind, last.object_id, last.patient_id) == (
            kind,
            session.lot_id,
            session.patient_id,
        )


@pytest.mark.django_db
def test_a_recall_list_logs_every_patient_in_one_insert(django_assert_num_queries):
    from audit.decorators import audited
    from treatments.models import AdverseEvent
    from treatments.services import recall

    first = completed_session()
    others = [PatientFactory() for _ in range(5)]
    for other in others:
        AdverseEvent.objects.create(
            patient=other,
            lot=first.lot,
            kind="other",
            description="Redness",
            severity="mild",
            onset_on=timezone.localdate(),
            reported_by=first.clinician,
        )
    client = _client(UserFactory(role=Role.MANAGER))
    assert client.get(reverse("treatments:lot_recall", args=[first.lot_id])).status_code == 200
    logged = set(AccessLog.objects.filter(kind="recall").values_list("patient_id", flat=True))
    assert logged == {first.patient_id, *(other.pk for other in others)}

    # Logging the list is three queries however many patients it names: two reads, one insert.
    from django.http import HttpResponse
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = first.clinician
    first.clinician.role  # noqa: B018  (the role is read once per request, before the view)
    view = audited("recall", many=recall.patients_shown)(lambda request, pk: HttpResponse())
    with django_assert_num_queries(3):
        view(request, pk=first.lot_id)


@pytest.mark.django_db
def test_a_refused_or_missing_record_is_not_logged(client_for):
    patient = PatientFactory()
    desk = _client(UserFactory(role=Role.FRONT_DESK))
    screen = ScreenFactory(patient=patient)
    assert (
        desk.get(reverse("patients:screen_detail", args=[patient.pk, screen.pk])).status_code == 403
    )
    derm = _client(UserFactory(role=Role.DERMATOLOGIST))
    assert derm.get(reverse("patients:detail", args=[patient.pk + 999])).status_code == 404
    assert not AccessLog.objects.exists()
