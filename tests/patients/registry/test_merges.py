"""Near-duplicate patients: the warning on registering, and merging one record into another."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from clinic.models import Role
from clinic.states import StateMachine, TransitionRefused
from patients.models import Consent, Patient, PatientMerge
from patients.services import merges
from tests.factories import ConsentFactory, PatientFactory, ScreenFactory, UserFactory
from tests.treatments.scheduling.factories import at, make_clinic

pytestmark = pytest.mark.django_db

BORN = dt.date(1988, 4, 12)
DAY = dt.date(2027, 3, 2)  # a Tuesday, when both practitioners work


def _olivia(**fields):
    return PatientFactory(
        first_name="Olivia", last_name="Bennett", date_of_birth=BORN, email="", mobile="", **fields
    )


# --- Finding duplicates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "born", "found"),
    [
        ("Olivia", "Benett", BORN, True),
        ("Liv", "Bennett", BORN, True),
        ("Olivia", "Bennett", BORN, True),
        ("Olivia", "Benett", dt.date(1988, 4, 13), False),  # another day: another person
        ("James", "Bennett", BORN, False),
    ],
)
def test_possible_duplicates_find_similar_names_born_the_same_day(first, last, born, found):
    olivia = _olivia()
    PatientFactory(first_name="Olivia", last_name="Benett", date_of_birth=dt.date(1990, 1, 1))
    got = merges.possible_duplicates(first_name=first, last_name=last, date_of_birth=born)
    assert (olivia in got) is found


def test_possible_duplicates_run_two_queries_however_many_patients(django_assert_num_queries):
    for n in range(30):
        PatientFactory(first_name=f"Name{n}", last_name="Other", date_of_birth=BORN)
    with django_assert_num_queries(2):
        merges.possible_duplicates(first_name="Olivia", last_name="Benett", date_of_birth=BORN)


def test_registering_olivia_benett_warns_of_olivia_bennett(client_for):
    _olivia()
    client = client_for(Role.FRONT_DESK)
    data = {
        "first_name": "Olivia",
        "last_name": "Benett",
        "date_of_birth": "12/04/1988",
        "sex": "female",
        "mobile": "07400 111222",
    }
    response = client.post(reverse("patients:register"), data)
    assert response.status_code == 200
    assert b"This may be a patient we already have" in response.content
    assert Patient.objects.count() == 1


# --- Merging ----------------------------------------------------------------------------------


def test_desk_merges_a_duplicate_without_clinical_records_at_once():
    clinic = make_clinic()
    survivor = clinic.patient  # has a plan: clinical records
    duplicate = PatientFactory(
        first_name=survivor.first_name,
        last_name=survivor.last_name + "e",
        date_of_birth=survivor.date_of_birth,
        email="olivia.new@example.test",
    )
    booked = clinic.book(at(DAY, 10), patient=duplicate)
    ConsentFactory(patient=duplicate)
    survivor.email = ""
    survivor.save()

    merge = merges.merge_request(survivor=survivor, merged=duplicate, by=clinic.desk)

    assert merge.status == PatientMerge.Status.DONE
    assert merge.moved == {"appointments": 1, "consents": 1}
    booked.refresh_from_db()
    assert booked.patient == survivor
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.is_archived
    assert survivor.email == "olivia.new@example.test"  # a blank contact filled in
    assert booked.history.first().patient_id == survivor.pk  # the move is in its history


def test_two_clinical_records_wait_for_a_dermatologist_and_nothing_moves():
    clinic = make_clinic()
    survivor = clinic.patient
    duplicate = PatientFactory(date_of_birth=survivor.date_of_birth)
    screen = ScreenFactory(patient=duplicate)

    merge = merges.merge_request(survivor=survivor, merged=duplicate, by=clinic.desk)

    assert merge.status == PatientMerge.Status.PENDING
    screen.refresh_from_db()
    assert screen.patient == duplicate
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None

    derm = UserFactory(role=Role.DERMATOLOGIST)
    merges.merge_confirm(merge=merge, by=derm)
    screen.refresh_from_db()
    assert screen.patient == survivor
    merge.refresh_from_db()
    assert (merge.status, merge.decided_by) == (PatientMerge.Status.DONE, derm)


def test_the_desk_cannot_confirm_and_a_decline_needs_a_reason():
    clinic = make_clinic()
    duplicate = PatientFactory()
    ScreenFactory(patient=duplicate)
    merge = merges.merge_request(survivor=clinic.patient, merged=duplicate, by=clinic.desk)
    with pytest.raises(ValidationError):
        merges.merge_confirm(merge=merge, by=clinic.desk)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    with pytest.raises(ValidationError) as refused:
        merges.merge_decline(merge=merge, by=derm, reason="  ")
    assert "reason" in refused.value.error_dict
    merges.merge_decline(merge=merge, by=derm, reason="Twins: different people.")
    merge.refresh_from_db()
    assert merge.status == PatientMerge.Status.DECLINED
    with pytest.raises(ValidationError):
        merges.merge_confirm(merge=merge, by=derm)  # declined is final



def test_a_merge_moves_by_the_same_state_machine_as_every_status():
    clinic = make_clinic()
    duplicate = PatientFactory()
    ScreenFactory(patient=duplicate)
    merge = merges.merge_request(survivor=clinic.patient, merged=duplicate, by=clinic.desk)
    derm = UserFactory(role=Role.DERMATOLOGIST)
    assert isinstance(PatientMerge.state_machine, StateMachine)
    assert [row.label for row in merge.allowed_transitions(by=derm)] == [
        "Merge the records",
        "Keep them apart",
    ]
    assert merge.allowed_transitions(by=clinic.desk) == []
    merges.merge_decline(merge=merge, by=derm, reason="Twins: different people.")
    with pytest.raises(TransitionRefused, match="This merge is already declined"):
        merges.merge_confirm(merge=merge, by=derm)
    with pytest.raises(IntegrityError), transaction.atomic():
        PatientMerge.objects.filter(pk=merge.pk).update(status="bogus")

def test_appointments_at_the_same_time_are_refused_and_nothing_moves():
    clinic = make_clinic()
    duplicate = PatientFactory()
    clinic.book(at(DAY, 10), patient=clinic.patient)
    theirs = clinic.book(
        at(DAY, 10), patient=duplicate, practitioner=clinic.mehta, room=clinic.room_b
    )
    with pytest.raises(ValidationError, match="Both records have an appointment"):
        merges.merge_request(survivor=clinic.patient, merged=duplicate, by=clinic.desk)
    theirs.refresh_from_db()
    assert theirs.patient == duplicate
    assert not PatientMerge.objects.exists()


@pytest.mark.parametrize("case", ["self", "already_merged", "archived_survivor"])
def test_merges_that_make_no_sense_are_refused(case):
    desk = UserFactory(role=Role.FRONT_DESK)
    survivor, other = PatientFactory(), PatientFactory()
    if case == "self":
        other = survivor
    elif case == "already_merged":
        merges.merge_request(survivor=PatientFactory(), merged=other, by=desk)
        other.refresh_from_db()
    else:
        survivor.archived_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        survivor.save()
    with pytest.raises(ValidationError):
        merges.merge_request(survivor=survivor, merged=other, by=desk)


def test_the_survivor_keeps_its_portal_login_and_the_second_is_switched_off():
    desk = UserFactory(role=Role.FRONT_DESK)
    survivor = PatientFactory(user=UserFactory(role=Role.PATIENT))
    duplicate = PatientFactory(user=UserFactory(role=Role.PATIENT))
    second = duplicate.user
    merges.merge_request(survivor=survivor, merged=duplicate, by=desk)
    second.refresh_from_db()
    duplicate.refresh_from_db()
    assert not second.is_active and duplicate.user is None


# --- The pages ---------------------------------------------------------------------------------


def test_merge_page_offers_the_likely_duplicates_only(client_for):
    olivia = _olivia()
    twin = PatientFactory(first_name="Olivia", last_name="Benett", date_of_birth=BORN)
    stranger = PatientFactory(first_name="Ada", last_name="Lovelace")
    client = client_for(Role.FRONT_DESK)
    page = client.get(reverse("patients:merge", args=[olivia.pk]))
    assert page.status_code == 200
    assert f'value="{twin.pk}"'.encode() in page.content
    assert f'value="{stranger.pk}"'.encode() not in page.content

    # A forced POST of a record the page did not offer is refused, nothing changes.
    forced = client.post(
        reverse("patients:merge", args=[olivia.pk]), {"other": stranger.pk, "same_person": "on"}
    )
    assert forced.status_code == 200
    assert b"Choose one of the records listed." in forced.content
    stranger.refresh_from_db()
    assert stranger.merged_into is None and not PatientMerge.objects.exists()

    # Not ticking the check is refused too.
    unchecked = client.post(reverse("patients:merge", args=[olivia.pk]), {"other": twin.pk})
    assert b"Confirm that you have checked both records." in unchecked.content

    done = client.post(
        reverse("patients:merge", args=[olivia.pk]), {"other": twin.pk, "same_person": "on"}
    )
    assert done.status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into == olivia


def test_the_desk_sees_whether_a_record_is_clinical_but_not_what_it_holds(client_for):
    olivia = _olivia()
    twin = PatientFactory(first_name="Olivia", last_name="Benett", date_of_birth=BORN)
    ScreenFactory(patient=twin)
    desk_page = client_for(Role.FRONT_DESK).get(reverse("patients:merge", args=[olivia.pk]))
    assert b"holds clinical records" in desk_page.content
    assert b"screens" not in desk_page.content
    derm_page = client_for(Role.DERMATOLOGIST).get(reverse("patients:merge", args=[olivia.pk]))
    assert b"1 screens" in derm_page.content


def test_a_dermatologist_decides_on_the_list(client_for):
    derm_client = client_for(Role.DERMATOLOGIST)
    desk = UserFactory(role=Role.FRONT_DESK)
    survivor, duplicate = PatientFactory(), PatientFactory()
    ScreenFactory(patient=survivor)
    ScreenFactory(patient=duplicate)
    merge = merges.merge_request(survivor=survivor, merged=duplicate, by=desk)
    listing = derm_client.get(reverse("patients:merge_list"))
    assert duplicate.full_name.encode() in listing.content

    url = reverse("patients:merge_decide", args=[merge.pk])
    bad = derm_client.post(url, {f"m{merge.pk}-decision": "maybe"})
    assert bad.status_code == 400
    assert b"Choose to merge the records or keep them apart." in bad.content
    no_reason = derm_client.post(url, {f"m{merge.pk}-decision": "decline"})
    assert b"Say why these records are not merged." in no_reason.content
    merge.refresh_from_db()
    assert merge.status == PatientMerge.Status.PENDING

    derm_client.post(url, {f"m{merge.pk}-decision": "confirm"})
    merge.refresh_from_db()
    assert merge.status == PatientMerge.Status.DONE
    # Decided: it is no longer open to anyone.
    assert derm_client.post(url, {f"m{merge.pk}-decision": "decline"}).status_code == 404


def test_the_merged_record_points_at_the_survivor(client_for):
    desk = UserFactory(role=Role.FRONT_DESK)
    survivor, duplicate = PatientFactory(), PatientFactory()
    merges.merge_request(survivor=survivor, merged=duplicate, by=desk)
    page = client_for(Role.FRONT_DESK).get(reverse("patients:detail", args=[duplicate.pk]))
    assert b"This record was a duplicate, merged into" in page.content


def test_consent_rows_survive_a_merge():
    desk = UserFactory(role=Role.FRONT_DESK)
    survivor, duplicate = PatientFactory(), PatientFactory()
    consent = ConsentFactory(patient=duplicate)
    merges.merge_request(survivor=survivor, merged=duplicate, by=desk)
    assert Consent.objects.get(pk=consent.pk).patient == survivor


def test_the_demo_has_a_second_record_of_olivia_for_the_desk_to_merge():
    import io

    from clinic import demo as clinic_demo
    from patients import demo as patients_demo

    clinic_demo.seed()
    patients_demo.seed(io.StringIO())
    patients_demo.seed(io.StringIO())  # idempotent: still one walk-in record
    olivia = Patient.objects.get(first_name="Olivia", last_name="Bennett")
    (walk_in,) = Patient.objects.filter(last_name="Benett")
    assert walk_in in merges.duplicates_of(olivia)
