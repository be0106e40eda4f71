"""treatments.access: each kind's helper gives what the user's role may see, 404 for the rest.

For every helper: the roles that may see the kind get it; a patient reaching for another
patient's record gets 404; a role that never sees the kind gets 404 too, exactly as for a record
that does not exist.
"""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from clinic.models import Role
from tests.factories import (
    LotFactory,
    PlanFactory,
    ProductFactory,
    StaffProfileFactory,
    UserFactory,
    melasma_v,
    review_type,
)
from tests.treatments.followups.factories import course_plan, recorded_follow_up, session_for, visit
from tests.treatments.portal.factories import (
    AppointmentFactory,
    change_request,
    completed_session,
    portal_patient,
    worklist_item_for,
)
from treatments import access
from treatments.models import AppointmentStatus, CalendarFeed, PlanState, SessionStatus

pytestmark = pytest.mark.django_db

DESK_AND_DERM = [Role.DERMATOLOGIST, Role.FRONT_DESK]


def _user(role):
    return UserFactory(role=role)


def _refused(helper, *args, **kwargs) -> bool:
    try:
        helper(*args, **kwargs)
    except Http404:
        return True
    return False


def _soon(days=2):
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


# --- Plans ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", DESK_AND_DERM)
def test_the_desk_and_dermatologists_open_any_plan(role):
    plan = PlanFactory()
    assert access.get_plan_for_user(_user(role), plan.pk) == plan


def test_a_patient_opens_their_own_planned_plan_and_no_other():
    user, own = portal_patient()
    mine = PlanFactory(assessment=melasma_v(patient=own), state=PlanState.PLANNED)
    theirs = PlanFactory(state=PlanState.PLANNED)
    assert access.get_plan_for_user(user, mine.pk) == mine
    assert _refused(access.get_plan_for_user, user, theirs.pk)


def test_a_patient_does_not_open_their_own_draft():
    user, own = portal_patient()
    draft = PlanFactory(assessment=melasma_v(patient=own), state=PlanState.DRAFT)
    assert _refused(access.get_plan_for_user, user, draft.pk)


def test_the_manager_opens_no_plan():
    assert _refused(access.get_plan_for_user, _user(Role.MANAGER), PlanFactory().pk)


def test_a_plan_starts_from_an_assessment_the_dermatologist_sees_of_an_active_patient():
    derm = _user(Role.DERMATOLOGIST)
    assessment = melasma_v()
    assert access.get_assessment_for_plan(derm, assessment.pk) == assessment
    archived = melasma_v()
    archived.patient.archived_at = timezone.now()
    archived.patient.save(update_fields=["archived_at"])
    assert _refused(access.get_assessment_for_plan, derm, archived.pk)


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_start_no_plan_from_an_assessment(role):
    assert _refused(access.get_assessment_for_plan, _user(role), melasma_v().pk)


# --- Appointments ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", DESK_AND_DERM)
def test_the_desk_and_dermatologists_open_any_appointment(role):
    appointment = AppointmentFactory()
    assert access.get_appointment_for_user(_user(role), appointment.pk) == appointment


def test_a_patient_opens_their_own_appointment_and_no_other():
    user, own = portal_patient()
    mine = AppointmentFactory(patient=own)
    theirs = AppointmentFactory()
    assert access.get_appointment_for_user(user, mine.pk) == mine
    assert _refused(access.get_appointment_for_user, user, theirs.pk)


def test_the_manager_opens_no_appointment():
    assert _refused(access.get_appointment_for_user, _user(Role.MANAGER), AppointmentFactory().pk)


def test_a_review_of_the_plan_is_a_follow_up_of_its_patient_still_holding():
    derm = _user(Role.DERMATOLOGIST)
    plan = course_plan()
    review = visit(plan, starts_at=_soon(1), appointment_type=review_type())
    assert access.get_appointment_for_user(derm, review.pk, review_of=plan) == review
    treatment = visit(plan, starts_at=_soon(2))
    assert _refused(access.get_appointment_for_user, derm, treatment.pk, review_of=plan)
    cancelled = visit(
        plan, starts_at=_soon(3), appointment_type=review_type(), status=AppointmentStatus.CANCELLED
    )
    assert _refused(access.get_appointment_for_user, derm, cancelled.pk, review_of=plan)
    elsewhere = visit(course_plan(), starts_at=_soon(4), appointment_type=review_type())
    assert _refused(access.get_appointment_for_user, derm, elsewhere.pk, review_of=plan)


def test_a_review_key_from_the_query_string_that_is_not_a_number_is_404():
    plan = course_plan()
    derm = _user(Role.DERMATOLOGIST)
    assert _refused(access.get_appointment_for_user, derm, "1 or 1=1", review_of=plan)


# --- Sessions and their aftercare --------------------------------------------------------------


def _in_progress():
    plan = course_plan()
    return session_for(visit(plan, starts_at=_soon(0)), status=SessionStatus.IN_PROGRESS)


def test_a_dermatologist_opens_any_session_record():
    derm = _user(Role.DERMATOLOGIST)
    for session in (completed_session(), _in_progress()):
        assert access.get_session_for_user(derm, session.pk) == session


def test_the_desk_reaches_only_completed_sessions():
    desk = _user(Role.FRONT_DESK)
    done = completed_session()
    assert access.get_session_for_user(desk, done.pk) == done
    assert _refused(access.get_session_for_user, desk, _in_progress().pk)


def test_a_patient_opens_their_own_session_and_no_other():
    user, own = portal_patient()
    mine = completed_session(patient=own)
    assert access.get_session_for_user(user, mine.pk) == mine
    assert _refused(access.get_session_for_user, user, completed_session().pk)


def test_the_manager_opens_no_session():
    assert _refused(access.get_session_for_user, _user(Role.MANAGER), completed_session().pk)


@pytest.mark.parametrize("role", DESK_AND_DERM)
def test_aftercare_is_of_a_completed_session(role):
    user = _user(role)
    done = completed_session()
    assert access.get_aftercare_for_user(user, done.pk) == done
    assert _refused(access.get_aftercare_for_user, user, _in_progress().pk)


def test_a_patient_reads_their_own_aftercare_and_no_other():
    user, own = portal_patient()
    mine = completed_session(patient=own)
    assert access.get_aftercare_for_user(user, mine.pk) == mine
    assert _refused(access.get_aftercare_for_user, user, completed_session().pk)


def test_the_manager_reads_no_aftercare():
    assert _refused(access.get_aftercare_for_user, _user(Role.MANAGER), completed_session().pk)


# --- Follow-ups ----------------------------------------------------------------------------------


def _follow_up(patient=None):
    plan = course_plan(patient=patient) if patient else course_plan()
    return recorded_follow_up(plan, reviewed_on=timezone.localdate(), scores={"melasma": 2})


def test_a_dermatologist_opens_a_follow_up():
    follow_up = _follow_up()
    assert access.get_follow_up_for_user(_user(Role.DERMATOLOGIST), follow_up.pk) == follow_up


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_never_open_a_follow_up(role):
    assert _refused(access.get_follow_up_for_user, _user(role), _follow_up().pk)


def test_a_patient_does_not_open_their_own_follow_up():
    user, own = portal_patient()
    assert _refused(access.get_follow_up_for_user, user, _follow_up(own).pk)


# --- The worklist --------------------------------------------------------------------------------


def test_a_worklist_item_is_for_the_dermatologist_it_is_assigned_to():
    amelia = _user(Role.DERMATOLOGIST)
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    assert access.get_worklist_item_for_user(amelia, worklist_item.pk) == worklist_item
    assert _refused(access.get_worklist_item_for_user, _user(Role.DERMATOLOGIST), worklist_item.pk)


def test_an_unassigned_worklist_item_is_for_any_dermatologist():
    worklist_item = worklist_item_for(completed_session(), assigned_to=None)
    assert (
        access.get_worklist_item_for_user(_user(Role.DERMATOLOGIST), worklist_item.pk)
        == worklist_item
    )


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_never_open_a_worklist_item(role):
    worklist_item = worklist_item_for(completed_session(), assigned_to=None)
    assert _refused(access.get_worklist_item_for_user, _user(role), worklist_item.pk)


def test_a_patient_does_not_open_the_worklist_item_raised_by_their_own_skin_report():
    user, own = portal_patient()
    worklist_item = worklist_item_for(completed_session(patient=own), assigned_to=None)
    assert _refused(access.get_worklist_item_for_user, user, worklist_item.pk)


# --- Patients' requests to move or cancel --------------------------------------------------------


@pytest.mark.parametrize("role", DESK_AND_DERM)
def test_the_desk_and_dermatologists_open_any_request(role):
    request = change_request()
    assert access.get_change_request_for_user(_user(role), request.pk) == request


def test_a_patient_opens_their_own_request_and_no_other():
    user, own = portal_patient()
    mine = change_request(AppointmentFactory(patient=own))
    assert access.get_change_request_for_user(user, mine.pk) == mine
    assert _refused(access.get_change_request_for_user, user, change_request().pk)


def test_the_manager_opens_no_request():
    assert _refused(access.get_change_request_for_user, _user(Role.MANAGER), change_request().pk)


# --- The catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DERMATOLOGIST, Role.MANAGER])
def test_catalogue_readers_open_products_and_lots(role):
    user = _user(role)
    lot = LotFactory()
    assert access.get_lot_for_user(user, lot.pk) == lot
    assert access.get_product_for_user(user, lot.product_id) == lot.product


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.PATIENT])
def test_other_roles_open_no_product_or_lot(role):
    user = _user(role)
    assert _refused(access.get_lot_for_user, user, LotFactory().pk)
    assert _refused(access.get_product_for_user, user, ProductFactory().pk)


# --- Calendar feeds ------------------------------------------------------------------------------


def test_a_live_feed_opens_by_its_token_only_while_live_and_its_owner_active():
    staff = StaffProfileFactory()
    live = CalendarFeed.objects.create(staff=staff, token="live-token")
    assert access.get_live_feed("live-token") == live
    assert _refused(access.get_live_feed, "another-token")
    live.revoked_at = timezone.now()
    live.save(update_fields=["revoked_at"])
    assert _refused(access.get_live_feed, "live-token")
    CalendarFeed.objects.create(staff=staff, token="second-token")
    staff.user.is_active = False
    staff.user.save(update_fields=["is_active"])
    assert _refused(access.get_live_feed, "second-token")


def test_an_inactive_dermatologist_sees_nothing():
    derm = _user(Role.DERMATOLOGIST)
    derm.is_active = False
    derm.save(update_fields=["is_active"])
    assert _refused(access.get_plan_for_user, derm, PlanFactory().pk)
    assert _refused(access.get_appointment_for_user, derm, AppointmentFactory().pk)


def test_own_live_feed_is_the_practitioners_own_and_live():
    staff = StaffProfileFactory()
    assert access.own_live_feed(staff.user) is None
    CalendarFeed.objects.create(staff=StaffProfileFactory(), token="a-colleagues-token")
    assert access.own_live_feed(staff.user) is None
    mine = CalendarFeed.objects.create(staff=staff, token="my-token")
    assert access.own_live_feed(staff.user) == mine
    mine.revoked_at = timezone.now()
    mine.save(update_fields=["revoked_at"])
    assert access.own_live_feed(staff.user) is None
