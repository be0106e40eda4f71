"""The dermatologist's worklist on their home page, and marking one done."""

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import Role
from tests.factories import UserFactory
from tests.helpers import assert_queries_do_not_grow
from tests.treatments.portal.factories import completed_session, portal_patient, worklist_item_for
from treatments.models import WorklistItem
from treatments.services import portal

pytestmark = pytest.mark.django_db

HOME = reverse("home")
SEVERE_SWELLING = {
    "redness": "none",
    "warmth": "none",
    "swelling": "severe",
    "itching": "none",
    "tenderness": "none",
}


@pytest.fixture
def amelia():
    return UserFactory(role=Role.DERMATOLOGIST, first_name="Amelia", last_name="Hart")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def done_url(worklist_item):
    return reverse("treatments:worklist_item_done", kwargs={"pk": worklist_item.pk})


def test_a_skin_report_beyond_the_expected_shows_on_the_clinicians_home(amelia):
    _, olivia = portal_patient(first_name="Olivia", last_name="Bennett")
    session = completed_session(
        patient=olivia, clinician=amelia, ended_at=timezone.now() - dt.timedelta(days=2, hours=2)
    )
    portal.skin_report_submit(session=session, patient=olivia, answers=SEVERE_SWELLING)
    text = html.unescape(client_of(amelia).get(HOME).text)
    assert "Worklist" in text
    assert "Olivia Bennett reports severe swelling 2 days after the microneedling session" in text
    assert "Severe swelling" in text  # the reason
    assert reverse("patients:detail", kwargs={"pk": olivia.pk}) in text
    assert done_url(WorklistItem.objects.get()) in text
    assert "Nothing is waiting for you." not in text


def test_unassigned_worklist_items_show_to_every_dermatologist_and_others_worklist_items_do_not(
    amelia,
):
    mine = worklist_item_for(completed_session(clinician=amelia), title="Mine to look at")
    unassigned = worklist_item_for(completed_session(), title="Not assigned yet", assigned_to=None)
    theirs = worklist_item_for(completed_session(), title="A colleague's item")
    done = worklist_item_for(completed_session(clinician=amelia), title="Already done")
    done.done_at = timezone.now()
    done.save()
    text = client_of(amelia).get(HOME).text
    assert mine.title in text
    assert unassigned.title in text
    assert theirs.title not in text
    assert done.title not in text
    assert "2 open items" in text


def test_newest_worklist_item_comes_first(amelia):
    older = worklist_item_for(completed_session(clinician=amelia), title="Older item")
    WorklistItem.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1)
    )
    worklist_item_for(completed_session(clinician=amelia), title="Newer item")
    text = client_of(amelia).get(HOME).text
    assert text.index("Newer item") < text.index("Older item")


def test_no_worklist_items_shows_the_empty_state(amelia):
    assert "Nothing is waiting for you." in client_of(amelia).get(HOME).text


def test_home_queries_do_not_grow_with_worklist_items(amelia):
    client = client_of(amelia)
    worklist_item_for(completed_session(clinician=amelia))

    def grow():
        for _ in range(5):
            worklist_item_for(completed_session(clinician=amelia))
            worklist_item_for(completed_session(), assigned_to=None)

    assert_queries_do_not_grow(lambda: client.get(HOME), grow, limit=20)


def test_done_closes_the_worklist_item_with_its_note(amelia):
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    response = client_of(amelia).post(
        done_url(worklist_item), {"outcome": "Called: swelling settling."}, follow=True
    )
    assert response.redirect_chain[-1][0] == HOME
    worklist_item.refresh_from_db()
    assert worklist_item.done_at is not None
    assert worklist_item.done_by == amelia
    assert worklist_item.outcome == "Called: swelling settling."
    assert f"Done: {worklist_item.title}." in html.unescape(response.text)
    assert f'id="worklist-item-{worklist_item.pk}"' not in response.text


@pytest.mark.parametrize("outcome", ["", "   \n "])
def test_a_skin_report_is_not_closed_without_what_was_done(amelia, outcome):
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    response = client_of(amelia).post(done_url(worklist_item), {"outcome": outcome})
    assert response.status_code == 200
    text = html.unescape(response.text)
    # The message sits with the field it is about, in the worklist item's own form.
    field = text.index(f'id="worklist-item-{worklist_item.pk}-outcome"')
    message = text.index("Say what was done about this report before closing it")
    assert (
        text.index(f'id="worklist-item-{worklist_item.pk}"')
        < field
        < message
        < text.index("</form>", field)
    )
    assert "is-invalid" in text[text.rindex("<textarea", 0, field + 1) : field + 200]
    assert "What was done" in text
    worklist_item.refresh_from_db()
    assert (
        worklist_item.done_at is None
        and worklist_item.done_by is None
        and worklist_item.outcome == ""
    )


def test_a_skin_report_asks_for_what_was_done_on_the_home_page(amelia):
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    text = html.unescape(client_of(amelia).get(HOME).text)
    label = re.search(
        rf'<label\s+for="worklist-item-{worklist_item.pk}-outcome"[^>]*>\s*([^<]*?)\s*</label>',
        text,
    )
    assert label is not None and label.group(1) == "What was done"
    assert "Needed to close this report" in text
    assert "Outcome note (optional)" not in text


def test_a_worklist_item_of_another_kind_closes_without_a_note(amelia):
    worklist_item = worklist_item_for(
        completed_session(clinician=amelia), kind=WorklistItem.Kind.OTHER
    )
    assert "Outcome note (optional)" in client_of(amelia).get(HOME).text
    response = client_of(amelia).post(done_url(worklist_item), {})
    assert response.status_code == 302
    worklist_item.refresh_from_db()
    assert worklist_item.done_at is not None and worklist_item.outcome == ""


def test_the_service_refuses_to_close_a_skin_report_without_an_outcome(amelia):
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    with pytest.raises(ValidationError) as refused:
        portal.worklist_item_done(worklist_item=worklist_item, by=amelia, outcome=" ")
    assert refused.value.message_dict == {"outcome": [portal.OUTCOME_NEEDED]}
    worklist_item.refresh_from_db()
    assert worklist_item.done_at is None


def test_a_colleague_cannot_close_a_worklist_item_assigned_to_someone_else(amelia):
    """Forcing the POST with another dermatologist's worklist item id: 404, and the item is
    untouched."""
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    rohan = UserFactory(role=Role.DERMATOLOGIST, first_name="Rohan", last_name="Mehta")
    response = client_of(rohan).post(done_url(worklist_item), {"outcome": "Closed by a colleague"})
    assert response.status_code == 404
    worklist_item.refresh_from_db()
    assert (
        worklist_item.done_at is None
        and worklist_item.done_by is None
        and worklist_item.outcome == ""
    )


def test_any_dermatologist_closes_an_unassigned_worklist_item(amelia):
    worklist_item = worklist_item_for(completed_session(), assigned_to=None)
    response = client_of(amelia).post(done_url(worklist_item), {"outcome": "Called: settling."})
    assert response.status_code == 302
    worklist_item.refresh_from_db()
    assert worklist_item.done_by == amelia


def test_done_twice_says_so_and_keeps_the_first(amelia):
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    client = client_of(amelia)
    client.post(done_url(worklist_item), {"outcome": "First"})
    first = WorklistItem.objects.get(pk=worklist_item.pk).done_at
    response = client.post(done_url(worklist_item), {"outcome": "Second"}, follow=True)
    assert "already marked done" in response.text
    worklist_item.refresh_from_db()
    assert worklist_item.done_at == first and worklist_item.outcome == "First"


def test_too_long_note_is_refused_and_nothing_saved(amelia):
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    response = client_of(amelia).post(done_url(worklist_item), {"outcome": "x" * 2001})
    assert response.status_code == 200
    assert "at most 2000 characters" in response.text
    worklist_item.refresh_from_db()
    assert worklist_item.done_at is None


def test_done_is_post_only(amelia):
    worklist_item = worklist_item_for(completed_session(clinician=amelia))
    assert client_of(amelia).get(done_url(worklist_item)).status_code == 405


def test_unknown_worklist_item_is_404(amelia):
    assert (
        client_of(amelia)
        .post(reverse("treatments:worklist_item_done", kwargs={"pk": 999999}))
        .status_code
        == 404
    )


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_only_dermatologists_close_worklist_items(role):
    worklist_item = worklist_item_for(completed_session())
    response = client_of(UserFactory(role=role)).post(done_url(worklist_item))
    assert response.status_code == 403
    worklist_item.refresh_from_db()
    assert worklist_item.done_at is None
