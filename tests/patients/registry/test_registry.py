import datetime as dt

import pytest
from django.urls import reverse

from clinic.models import Role
from patients.models import Patient
from tests.factories import PatientFactory
from tests.helpers import assert_queries_do_not_grow

VALID = {
    "first_name": "Olivia",
    "last_name": "Bennett",
    "date_of_birth": "1988-04-12",
    "sex": "female",
    "email": "Olivia.Bennett@example.test",
    "mobile": "07911 123456",
    "address": "1 High Street",
    "emergency_contact_name": "",
    "emergency_contact_phone": "",
    "preferred_language": "en",
    "desk_notes": "",
}


@pytest.fixture
def desk_client(client_for):
    return client_for(Role.FRONT_DESK)


def test_desk_registers_a_patient_with_phone_in_e164(desk_client):
    response = desk_client.post(reverse("patients:register"), VALID)
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.pk])
    assert str(patient.mobile) == "+447911123456"
    assert patient.email == "olivia.bennett@example.test"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2999-01-01", "The date of birth cannot be in the future."),
        ("date_of_birth", "1800-01-01", "would make the patient over 120"),
        ("mobile", "call me maybe", "Enter a valid phone number"),
        ("first_name", "", "This field is required."),
        ("email", "not-an-email", "Enter a valid email address."),
    ],
)
def test_bad_input_is_explained_at_the_field_and_nothing_is_saved(
    desk_client, field, value, message
):
    response = desk_client.post(reverse("patients:register"), {**VALID, field: value})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Patient.objects.exists()


def test_no_way_to_reach_the_patient_is_refused(desk_client):
    response = desk_client.post(reverse("patients:register"), {**VALID, "email": "", "mobile": ""})
    assert "Give a mobile number or an email address" in response.text
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {
            "email": "someone.else@example.test",
            "mobile": "07400 123456",
        },  # same name and birth date
        {"first_name": "Liv", "mobile": "07400 123456"},  # same email
        {"first_name": "Liv", "email": "liv@example.test"},  # same mobile
    ],
    ids=["same-name-and-dob", "same-email", "same-mobile"],
)
def test_likely_duplicates_are_shown_before_saving(desk_client, change):
    existing = PatientFactory(
        first_name="Olivia",
        last_name="Bennett",
        date_of_birth=dt.date(1988, 4, 12),
        email="olivia.bennett@example.test",
        mobile="+447911123456",
    )
    response = desk_client.post(reverse("patients:register"), {**VALID, **change})
    assert response.status_code == 200
    assert existing in response.context["duplicates"]
    assert "may be the same person" in response.text
    assert Patient.objects.count() == 1
    # Confirming that it is a different person registers them.
    response = desk_client.post(
        reverse("patients:register"), {**VALID, **change, "not_a_duplicate": "on"}
    )
    assert response.status_code == 302
    assert Patient.objects.count() == 2


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("bennett", True),
        ("Benn", True),
        ("olivia bennett", True),
        ("bennett olivia", True),
        ("Bénnett", True),
        ("12/04/1988", True),
        ("1988-04-12", True),
        ("07911 123456", True),
        ("+44 7911 123456", True),
        ("OLIVIA.BENNETT@example.test", True),
        ("smith", False),
        ("07400 123456", False),
    ],
)
def test_search_by_name_birth_date_phone_or_email(query, found, db):
    olivia = PatientFactory(
        first_name="Olivia",
        last_name="Bennett",
        date_of_birth=dt.date(1988, 4, 12),
        email="olivia.bennett@example.test",
        mobile="+447911123456",
    )
    PatientFactory(first_name="Sam", last_name="Jones", date_of_birth=dt.date(1990, 1, 1))
    result = list(Patient.objects.search(query))
    assert (olivia in result) is found
    assert all(p == olivia for p in result)


def test_desk_finds_patient_by_phone_on_the_list(desk_client):
    olivia = PatientFactory(first_name="Olivia", last_name="Bennett", mobile="+447911123456")
    PatientFactory(first_name="Sam", last_name="Jones")
    response = desk_client.get(reverse("patients:list"), {"q": "07911123456"})
    assert "Bennett, Olivia" in response.text
    assert list(response.context["page"].object_list) == [olivia]


def test_list_hides_archived_unless_asked(desk_client):
    active = PatientFactory(last_name="Active")
    gone = PatientFactory(last_name="Gone", archived_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    def listed(**params):
        return set(desk_client.get(reverse("patients:list"), params).context["page"].object_list)

    assert listed() == {active}
    assert listed(archived="on") == {active, gone}


def test_list_query_count_does_not_grow_with_patients(desk_client):
    PatientFactory()

    def grow():
        PatientFactory.create_batch(60)

    assert_queries_do_not_grow(
        lambda: desk_client.get(reverse("patients:list"), {"page": "2"}), grow, limit=8
    )


def test_list_paginates(desk_client):
    PatientFactory.create_batch(30)
    response = desk_client.get(reverse("patients:list"))
    assert len(response.context["page"].object_list) == 25
    assert "Page 1" in response.text


def test_archive_keeps_the_record(desk_client):
    patient = PatientFactory()
    response = desk_client.post(reverse("patients:archive", args=[patient.pk]))
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.is_archived
    desk_client.post(reverse("patients:unarchive", args=[patient.pk]))
    patient.refresh_from_db()
    assert not patient.is_archived


def test_archive_needs_post(desk_client):
    patient = PatientFactory()
    assert desk_client.get(reverse("patients:archive", args=[patient.pk])).status_code == 405


def test_unknown_patient_is_404(desk_client):
    assert desk_client.get(reverse("patients:detail", args=[999999])).status_code == 404


def test_second_of_two_concurrent_edits_is_refused_and_nothing_is_lost(client_for):
    patient = PatientFactory(first_name="Olivia", last_name="Bennett", mobile="+447911123456")
    first, second = client_for(Role.FRONT_DESK), client_for(Role.DERMATOLOGIST)
    loaded = first.get(reverse("patients:edit", args=[patient.pk])).context["form"]
    base = {**VALID, "version": loaded.initial["version"], "date_of_birth": "1988-04-12"}

    assert (
        second.post(
            reverse("patients:edit", args=[patient.pk]), {**base, "address": "2 New Road"}
        ).status_code
        == 302
    )
    response = first.post(
        reverse("patients:edit", args=[patient.pk]), {**base, "address": "9 Old Lane"}
    )

    assert response.status_code == 200
    assert "saved changes to this record while you were editing" in response.text
    assert "9 Old Lane" in response.text  # the first person's input is still in the form
    patient.refresh_from_db()
    assert patient.address == "2 New Road"
    assert patient.version == 2


# --- A one-word name search in name order ------------------------------------------------------


@pytest.fixture
def thos(db):
    """Names that start with "tho", first or last, around names that do not."""
    people = [
        ("Thomas", "Abbott"),
        ("Amara", "Thompson"),
        ("Ben", "Thorne"),
        ("Thora", "Thomas"),  # both halves match: listed once
        ("Zoe", "Tho"),
        ("Ada", "Baker"),
        ("Omar", "Athol"),
    ]
    made = [PatientFactory(first_name=first, last_name=last) for first, last in people]
    PatientFactory(first_name="Thomas", last_name="Archived", archived_at=dt.datetime.now(dt.UTC))
    return made


def _names(patients):
    return [(p.first_name, p.last_name) for p in patients]


@pytest.mark.parametrize("query", ["tho", "THO", "Thó", "abb", "x"])
def test_in_name_order_finds_what_search_finds_in_name_order(thos, query):
    """PostgreSQL reads the two halves from the "C" index; SQLite compares bytes: the same
    patients as ``search``, ordered by the folded keys byte by byte, then by id."""
    expected = sorted(
        Patient.objects.active().search(query),
        key=lambda p: (p.last_name_key.encode(), p.first_name_key.encode(), p.pk),
    )
    found = Patient.objects.active().in_name_order(query)
    assert len(found) == len(expected)
    assert _names(found[0 : len(expected) + 5]) == _names(expected)
    for start in range(len(expected)):  # every page boundary
        assert _names(found[start : start + 2]) == _names(expected[start : start + 2])


def test_the_list_pages_a_one_word_search_in_name_order(desk_client, thos):
    response = desk_client.get(reverse("patients:list"), {"q": "tho"})
    page = list(response.context["page"])
    assert _names(page) == [
        ("Thomas", "Abbott"),
        ("Zoe", "Tho"),
        ("Thora", "Thomas"),
        ("Amara", "Thompson"),
        ("Ben", "Thorne"),
    ]
    assert response.context["page"].paginator.count == 5


def test_a_one_word_search_that_finds_nobody_shows_an_empty_page(desk_client, thos):
    """An empty page is a slice [0:0]: it must not reach the database as a sliced union."""
    response = desk_client.get(reverse("patients:list"), {"q": "zzq"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert list(Patient.objects.active().in_name_order("zzq")[0:0]) == []


def test_a_one_word_search_costs_the_same_queries_however_many_match(desk_client, thos):
    assert_queries_do_not_grow(
        lambda: desk_client.get(reverse("patients:list"), {"q": "tho"}),
        lambda: [PatientFactory(last_name=f"Thompson{n}") for n in range(30)],
        limit=12,
    )
