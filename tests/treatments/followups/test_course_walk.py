"""The course walk (treatments/services/course_walk.py): steps and the next action, per role
and state.

Pure: facts in, steps out. docs/clinical-rules.md §Workflow: assessment, route chosen, sessions,
follow-ups, outcome. The next action is the viewer's own: the dermatologist records, the desk
books, the patient reads when their next session is.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from clinic.models import Role
from treatments.models import AppointmentStatus as A
from treatments.models import PlanState as S
from treatments.models import SessionStatus
from treatments.services import course_walk
from treatments.services.course_facts import CourseFacts, Review, Status, Visit

LONDON = ZoneInfo("Europe/London")
# Thursday 26 March 2026, 09:00 in London (GMT). British Summer Time starts on 29 March, so an
# appointment at 10:00 UTC in April is at 11:00 in the clinic: times are shown in its zone.
NOW = dt.datetime(2026, 3, 26, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
PLAN, PATIENT, ASSESSMENT = 7, 3, 5


def _at(days: float, hour: int = 10) -> dt.datetime:
    return (NOW + days * DAY).replace(hour=hour, minute=0)


def done(number: int, days: float) -> Visit:
    return Visit(
        100 + number,
        _at(days),
        A.COMPLETED,
        True,
        session_status=SessionStatus.COMPLETED,
        session_at=_at(days, 11),
    )


def booked(number: int, days: float, status=A.BOOKED) -> Visit:
    return Visit(100 + number, _at(days), status, True)


def review_visit(pk: int, days: float, status=A.BOOKED, has_follow_up=False) -> Visit:
    return Visit(pk, _at(days), status, False, has_follow_up=has_follow_up)


def reviewed(days: float, decision="continue") -> Review:
    label = {"continue": "Continue the course", "maintenance": "Maintenance"}.get(
        decision, decision
    )
    return Review(900, (NOW + days * DAY).date(), "Much improved", decision, label)


def facts(state=S.IN_TREATMENT, visits=(), reviews=(), sessions=4, **fields) -> CourseFacts:
    values = {
        "plan_pk": PLAN,
        "patient_pk": PATIENT,
        "assessment_pk": ASSESSMENT,
        "assessed_on": dt.date(2025, 9, 1),
        "state": state,
        "state_changed_at": dt.datetime(2026, 3, 20, 15, tzinfo=dt.UTC),
        "route_label": "Microneedling",
        "sessions": sessions,
        "interval_days": 42,
        "author_name": "Dr Amelia Hart",
        "planned_at": dt.datetime(2025, 9, 2, 12, tzinfo=dt.UTC),
        "visits": tuple(visits),
        "reviews": tuple(reviews),
    }
    return CourseFacts(**(values | fields))


def walk(f, role):
    return course_walk.walk(f, role=role, now=NOW, tz=LONDON)


DERM, DESK, PATIENT_ROLE = Role.DERMATOLOGIST, Role.FRONT_DESK, Role.PATIENT
SESSION_START = "/treatments/appointments/{}/session/"
FOLLOWUP_NEW = f"/treatments/plans/{PLAN}/follow-ups/new/"
BOOK = f"/treatments/plans/{PLAN}/book-course/"
PLAN_PAGE = f"/treatments/plans/{PLAN}/"
BOOK_REVIEW = f"/treatments/patients/{PATIENT}/book/"

# (name, facts, role) -> (text, label, url, post)
CASES = [
    (
        "draft, dermatologist",
        facts(S.DRAFT, planned_at=None),
        DERM,
        (
            "The plan is a draft: choose the route and product, then mark it planned.",
            "Open the draft plan",
            PLAN_PAGE,
            False,
        ),
    ),
    (
        "draft, desk",
        facts(S.DRAFT, planned_at=None),
        DESK,
        ("The plan is still a draft: there is nothing to book yet.", "", "", False),
    ),
    (
        "planned, nothing booked, desk books all",
        facts(S.PLANNED),
        DESK,
        ("0 of 4 sessions are booked.", "Book the remaining 4 sessions", BOOK, False),
    ),
    (
        "planned, nothing booked, dermatologist waits",
        facts(S.PLANNED),
        DERM,
        ("Session 1 is not booked yet.", "", "", False),
    ),
    (
        "planned, nothing booked, patient",
        facts(S.PLANNED),
        PATIENT_ROLE,
        (
            "Your next session is not booked yet: the clinic will arrange it with you.",
            "",
            "",
            False,
        ),
    ),
    (
        "first session checked in today: the dermatologist records it",
        facts(S.PLANNED, [booked(1, 0.05, A.CHECKED_IN), booked(2, 42)]),
        DERM,
        (
            "Session 1 of 4: the patient is checked in today.",
            "Record session 1",
            SESSION_START.format(101),
            True,
        ),
    ),
    (
        "in treatment, session 2 checked in today",
        facts(visits=[done(1, -42), booked(2, 0.05, A.CHECKED_IN)]),
        DERM,
        (
            "Session 2 of 4: the patient is checked in today.",
            "Record session 2",
            SESSION_START.format(102),
            True,
        ),
    ),
    (
        "a session in progress today is still recorded from the course",
        facts(
            visits=[
                done(1, -42),
                Visit(102, _at(0.05), A.CHECKED_IN, True, SessionStatus.IN_PROGRESS, _at(0.05)),
            ]
        ),
        DERM,
        (
            "Session 2 of 4: the patient is checked in today.",
            "Record session 2",
            SESSION_START.format(102),
            True,
        ),
    ),
    (
        "in treatment, two booked ahead: the desk books the remaining one",
        facts(visits=[done(1, -42), booked(2, 7), booked(3, 49)]),
        DESK,
        ("3 of 4 sessions are booked.", "Book session 4", BOOK, False),
    ),
    (
        "in treatment, session 2 booked: the dermatologist sees when",
        facts(visits=[done(1, -42), booked(2, 7), booked(3, 49), booked(4, 91)]),
        DERM,
        ("Session 2 is booked for Thursday 2 April, 11:00.", "", "", False),
    ),
    (
        "in treatment, all booked: the desk sees the next one",
        facts(visits=[done(1, -42), booked(2, 7), booked(3, 49), booked(4, 91)]),
        DESK,
        ("Session 2 is booked for Thursday 2 April, 11:00.", "", "", False),
    ),
    (
        "in treatment: the patient's next session",
        facts(visits=[done(1, -42), booked(2, 7), booked(3, 49), booked(4, 91)]),
        PATIENT_ROLE,
        ("Your next session is on Thursday 2 April, 11:00.", "", "", False),
    ),
    (
        "a date next year carries its year",
        facts(visits=[done(1, -42), booked(2, 300)]),
        PATIENT_ROLE,
        ("Your next session is on Wednesday 20 January 2027, 10:00.", "", "", False),
    ),
    (
        "all sessions done, no follow-up: the dermatologist records it",
        facts(visits=[done(n, -42 * (5 - n)) for n in range(1, 5)]),
        DERM,
        (
            "All 4 sessions are done: the follow-up review is due.",
            "Record the follow-up",
            FOLLOWUP_NEW,
            False,
        ),
    ),
    (
        "all sessions done: the desk books the review",
        facts(visits=[done(n, -42 * (5 - n)) for n in range(1, 5)]),
        DESK,
        (
            "The follow-up review is due: book it with Dr Amelia Hart.",
            "Book the follow-up review",
            BOOK_REVIEW,
            False,
        ),
    ),
    (
        "all sessions done: the patient is told a review comes",
        facts(visits=[done(n, -42 * (5 - n)) for n in range(1, 5)]),
        PATIENT_ROLE,
        (
            "All your sessions are done. The clinic will see you for a follow-up review.",
            "",
            "",
            False,
        ),
    ),
    (
        "the review appointment is checked in today: recorded against it",
        facts(
            visits=[done(1, -42), review_visit(300, 0.05, A.CHECKED_IN)],
        ),
        DERM,
        (
            "The patient is checked in today for the follow-up review.",
            "Record the follow-up",
            FOLLOWUP_NEW + "?appointment=300",
            False,
        ),
    ),
    (
        "a review booked: the patient is told when",
        facts(visits=[done(n, -42 * (5 - n)) for n in range(1, 5)] + [review_visit(300, 14)]),
        PATIENT_ROLE,
        ("Your follow-up review is on Thursday 9 April, 11:00.", "", "", False),
    ),
    (
        "a review booked: the desk sees it",
        facts(visits=[done(n, -42 * (5 - n)) for n in range(1, 5)] + [review_visit(300, 14)]),
        DESK,
        ("The follow-up review is booked for Thursday 9 April, 11:00.", "", "", False),
    ),
    (
        "in follow-up: the dermatologist decides",
        facts(S.FOLLOW_UP, visits=[done(1, -42), booked(2, 7)]),
        DERM,
        (
            "The plan is in follow-up: record the review and decide what comes next.",
            "Record the follow-up",
            FOLLOWUP_NEW,
            False,
        ),
    ),
    (
        "in follow-up: the desk waits for the decision",
        facts(S.FOLLOW_UP, visits=[done(1, -42)]),
        DESK,
        (
            "The follow-up review is due: book it with Dr Amelia Hart.",
            "Book the follow-up review",
            BOOK_REVIEW,
            False,
        ),
    ),
    (
        "all done and reviewed with continue: more sessions need a new plan",
        facts(
            visits=[done(n, -42 * (5 - n)) for n in range(1, 5)],
            reviews=[reviewed(-1)],
        ),
        DERM,
        (
            "All 4 sessions are done and were reviewed on 25 Mar 2026 (decision: continue the "
            "course). This plan takes no more sessions: record a follow-up to complete it, or "
            "cancel it and write a new plan.",
            "Record the follow-up",
            FOLLOWUP_NEW,
            False,
        ),
    ),
    (
        "a review before the last session does not count as the final one",
        facts(
            visits=[done(n, -42 * (5 - n)) for n in range(1, 5)],
            reviews=[reviewed(-60)],
        ),
        DERM,
        (
            "All 4 sessions are done: the follow-up review is due.",
            "Record the follow-up",
            FOLLOWUP_NEW,
            False,
        ),
    ),
    (
        "completed, dermatologist",
        facts(S.COMPLETED),
        DERM,
        ("The course was completed on 20 Mar 2026.", "", "", False),
    ),
    (
        "completed, patient",
        facts(S.COMPLETED),
        PATIENT_ROLE,
        ("Your course was completed on 20 Mar 2026.", "", "", False),
    ),
    (
        "cancelled, desk",
        facts(S.CANCELLED, cancel_reason="Moved abroad."),
        DESK,
        ("This course was cancelled on 20 Mar 2026.", "", "", False),
    ),
]


@pytest.mark.parametrize(("name", "f", "role", "expected"), CASES, ids=[c[0] for c in CASES])
def test_next_action(name, f, role, expected):
    action = walk(f, role).action
    assert (action.text, action.label, action.url, action.post) == expected


WAITING = {
    "planned, nothing booked, dermatologist waits": False,
    "first session checked in today: the dermatologist records it": True,
    "in treatment, session 2 booked: the dermatologist sees when": False,
    "all sessions done, no follow-up: the dermatologist records it": True,
    "the review appointment is checked in today: recorded against it": True,
    "in follow-up: the dermatologist decides": True,
    "all done and reviewed with continue: more sessions need a new plan": False,
    "completed, dermatologist": False,
}


@pytest.mark.parametrize(("name", "waiting"), list(WAITING.items()))
def test_waiting_on_the_dermatologist(name, waiting):
    f = next(c[1] for c in CASES if c[0] == name)
    assert walk(f, DERM).waiting_on_dermatologist is waiting


def _steps(f, role):
    return [(s.key, s.status, s.text) for s in walk(f, role).steps]


def test_the_walk_goes_through_every_workflow_step():
    f = facts(
        visits=[done(1, -42), booked(2, -0.5, A.NO_SHOW), booked(3, 7)],
        reviews=[reviewed(-20)],
    )
    assert _steps(f, DERM) == [
        ("assessment", Status.DONE, "Assessed on 1 Sep 2025"),
        (
            "route",
            Status.DONE,
            "Microneedling, 4 sessions every 42 days (6 weeks) (planned on 2 Sep 2025)",
        ),
        ("booked", Status.WAITING, "3 of 4 booked"),
        ("session-1", Status.DONE, "Done on 12 Feb 2026"),
        ("session-2", Status.MISSED, "Missed (no-show) on 25 Mar 2026"),
        ("session-3", Status.BOOKED, "Booked for Thursday 2 April, 11:00"),
        ("session-4", Status.WAITING, "Not booked yet"),
        ("follow-ups", Status.DONE, "1 recorded"),
        ("outcome", Status.WAITING, "Not yet: the course is under way"),
    ]


def test_the_dermatologist_gets_links_and_the_gais_the_desk_and_patient_do_not():
    f = facts(visits=[done(1, -42)], reviews=[reviewed(-20)])
    derm = {s.key: s for s in walk(f, DERM).steps}
    assert derm["assessment"].url == f"/patients/{PATIENT}/assessments/{ASSESSMENT}/"
    assert derm["route"].url == PLAN_PAGE
    assert [(i.text, i.url) for i in derm["follow-ups"].items] == [
        ("6 Mar 2026: much improved (GAIS); continue the course", "/treatments/follow-ups/900/")
    ]
    for role in (DESK, PATIENT_ROLE):
        steps = {s.key: s for s in walk(f, role).steps}
        assert steps["assessment"].url == steps["route"].url == ""
        assert [(i.text, i.url) for i in steps["follow-ups"].items] == [
            ("Reviewed on 6 Mar 2026", "")
        ]


def test_only_the_desk_gets_the_booking_link_on_the_booked_step():
    f = facts(S.PLANNED)
    assert {s.key: s.url for s in walk(f, DESK).steps}["booked"] == BOOK
    assert {s.key: s.url for s in walk(f, DERM).steps}["booked"] == ""


def test_the_reason_for_cancelling_is_for_the_dermatologist_only():
    f = facts(S.CANCELLED, cancel_reason="Moved abroad.", visits=[done(1, -42)])
    derm = {s.key: s for s in walk(f, DERM).steps}
    desk = {s.key: s for s in walk(f, DESK).steps}
    assert derm["outcome"].text == "Cancelled on 20 Mar 2026: Moved abroad."
    assert desk["outcome"].text == "Cancelled on 20 Mar 2026"
    assert desk["session-2"].status == Status.CANCELLED


def test_a_draft_has_no_route_yet_and_a_completed_plan_its_outcome():
    assert _steps(facts(S.DRAFT, planned_at=None), DERM)[1] == (
        "route",
        Status.WAITING,
        "Not yet: the plan is a draft",
    )
    assert _steps(facts(S.COMPLETED), DESK)[-1] == (
        "outcome",
        Status.DONE,
        "Completed on 20 Mar 2026",
    )


def test_checked_in_and_not_treated_sessions_read_plainly():
    f = facts(
        visits=[
            Visit(101, _at(-42), A.COMPLETED, True, SessionStatus.NOT_TREATED, _at(-42, 10)),
            booked(2, 0.05, A.CHECKED_IN),
        ]
    )
    steps = {s.key: (s.status, s.text) for s in walk(f, DESK).steps}
    assert steps["session-1"] == (Status.NOT_TREATED, "Closed without treatment on 12 Feb 2026")
    assert steps["session-2"] == (Status.NOW, "Checked in today for 10:00")


def test_counts():
    walked = walk(facts(visits=[done(1, -42), booked(2, -0.5, A.NO_SHOW), booked(3, 7)]), DESK)
    assert (walked.sessions_done, walked.sessions_booked, walked.remaining) == (1, 3, 1)


def test_a_manager_has_no_course_view():
    with pytest.raises(ValueError, match="No course view"):
        walk(facts(), Role.MANAGER)
