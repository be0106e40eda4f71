"""Every page and download that shows a patient's record writes one access log row; a refusal
writes none."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from clinic.models import Role
from tests.factories import (
    AssessmentFactory,
    LotFactory,
    PatientFactory,
    ScreenFactory,
    UserFactory,
)
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
def test_a_recall_list_logs_every_patient_in_one_statement(django_assert_num_queries):
    from django.http import HttpResponse
    from django.test import RequestFactory

    from audit.decorators import audited
    from treatments.models import AdverseEvent
    from treatments.services import recall

    first = completed_session()
    others = [PatientFactory() for _ in range(5)]
    for other in [*others, first.patient]:  # the first patient also reports an event: one row
        AdverseEvent.objects.create(
            patient=other,
            lot=first.lot,
            kind="other",
            description="Redness",
            severity="mild",
            onset_on=timezone.localdate(),
            reported_by=first.clinician,
        )
    manager = UserFactory(role=Role.MANAGER)
    client = _client(manager)
    assert client.get(reverse("treatments:lot_recall", args=[first.lot_id])).status_code == 200
    logged = list(
        AccessLog.objects.filter(kind="recall").values_list(
            "patient_id", "object_id", "user_id", "role", "address"
        )
    )
    assert sorted(logged) == sorted(
        (patient_id, first.lot_id, manager.pk, "clinic_manager", "203.0.113.7")
        for patient_id in {first.patient_id, *(other.pk for other in others)}
    )

    # The database writes the rows from the query: one statement however many patients.
    request = RequestFactory().get("/")
    request.user = first.clinician
    first.clinician.role  # noqa: B018  (the role is read once per request, before the view)
    view = audited("recall", patients=recall.patients_named)(lambda request, pk: HttpResponse())
    with django_assert_num_queries(1):
        view(request, pk=first.lot_id)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "wait_for_disk", "wait"),
    [("get", False, "off"), ("post", False, "on"), ("get", True, "on")],
    ids=["read-not-waiting", "write-always-waits", "read-by-default-waits"],
)
def test_on_postgresql_a_reads_log_skips_waiting_for_the_disk_only_when_told(
    method, wait_for_disk, wait, settings
):
    from django.db import connection
    from django.http import HttpResponse
    from django.test import RequestFactory

    from audit.decorators import audited

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    settings.ACCESS_LOG_WAIT_FOR_DISK = wait_for_disk
    patient = PatientFactory()
    request = getattr(RequestFactory(), method)("/")
    request.user = UserFactory(role=Role.DERMATOLOGIST)
    view = audited("chart", patient="pk")(lambda request, pk: HttpResponse())

    def synchronous_commit():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    view(request, pk=patient.pk)
    assert synchronous_commit() == wait
    assert AccessLog.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db
def test_a_recall_list_that_names_nobody_is_still_a_read_of_the_list():
    lot = LotFactory()
    client = _client(UserFactory(role=Role.MANAGER))
    assert client.get(reverse("treatments:lot_recall", args=[lot.pk])).status_code == 200
    assert list(AccessLog.objects.values_list("kind", "object_id", "patient_id")) == [
        ("recall", lot.pk, None)
    ]


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
