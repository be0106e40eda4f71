"""Outcomes, each figure worked out by hand (docs/clinical-rules.md §Follow-up)."""

import datetime as dt

from clinic.lib.stats import SMALL_GROUP
from tests.treatments.reports.factories import (
    add_concern,
    follow_up,
    in_range,
    june,
    local,
    plan,
    portal_rating,
)
from treatments.services.reports.outcomes import outcomes_report

D = dt.date


def rows(report, slug):
    return report.table(slug).rows


def test_an_empty_range_has_no_rows(world):
    course = plan(world)
    follow_up(course, on=D(2026, 5, 20), scores={"melasma": 1})
    portal_rating(course, at=local(D(2026, 5, 31), 23, 59), gais=2)
    portal_rating(course, at=local(D(2026, 7, 1), 0, 0), gais=2)
    report = outcomes_report(june())
    assert [rows(report, slug) for slug in ("changes", "gais", "satisfaction", "scores")] == [
        [], [], [], []
    ]
    assert report.chart == "" and report.chart_text == ""


def test_a_single_follow_up(world):
    course = plan(world, severity=3)
    follow_up(course, on=D(2026, 6, 10), scores={"melasma": 1}, gais=2, gais_patient=3,
              satisfaction=4)
    report = outcomes_report(june())
    assert rows(report, "changes") == [["Microneedling", "Melasma", 1, "2", "2 to 2"]]
    assert report.table("changes").flags == {0: f"Fewer than {SMALL_GROUP} courses: read with "
                                                "care."}
    assert rows(report, "gais") == [["Microneedling", "Much improved", 1, 0, 0],
                                    ["Microneedling", "Improved", 0, 1, 0]]
    assert rows(report, "satisfaction") == [["Microneedling", 1, "4", "4 to 4"]]
    assert "Microneedling, Melasma: 2 points" in report.chart_text


def test_median_and_quartiles_over_the_latest_rescore_of_each_course(world):
    # Changes 3->1 (2), 2->1 (1), 2->2 (0), and one course re-scored twice: 3->2 then 3->1 (2).
    for severity, latest in ((3, 1), (2, 1), (2, 2)):
        follow_up(plan(world, severity=severity), on=D(2026, 6, 5), scores={"melasma": latest})
    twice = plan(world, severity=3)
    follow_up(twice, on=D(2026, 6, 2), scores={"melasma": 2})
    follow_up(twice, on=D(2026, 6, 16), scores={"melasma": 1})
    # Outside the range: not counted.
    follow_up(plan(world, severity=4), on=D(2026, 7, 1), scores={"melasma": 0})
    report = outcomes_report(june())
    # Changes 0, 1, 2, 2: median 1.5; quartiles at positions 0.75 and 2.25 -> 0.75 and 2.
    assert rows(report, "changes") == [["Microneedling", "Melasma", 4, "1.5", "0.8 to 2"]]
    # Five follow-ups in June, all GAIS 3 by the clinician.
    assert rows(report, "gais") == [["Microneedling", "Improved", 5, 0, 0]]


def test_the_patients_own_gais_from_the_portal_counts_each_course_once(world):
    # A: rated "no change" on 3 June, then "much improved" on 15 June: the latest counts.
    a = plan(world)
    portal_rating(a, at=local(D(2026, 6, 3), 9), gais=4)
    portal_rating(a, at=local(D(2026, 6, 15), 20), gais=2)
    follow_up(a, on=D(2026, 6, 16), scores={}, gais=2, gais_patient=2)
    # B: "very much improved" in May (outside the range), "improved" on 10 June: only June's.
    b = plan(world)
    portal_rating(b, at=local(D(2026, 5, 28), 9), gais=1)
    portal_rating(b, at=local(D(2026, 6, 10), 9), gais=3)
    # C: "improved" on the range's first morning, just after midnight in London.
    c = plan(world)
    portal_rating(c, at=local(D(2026, 6, 1), 0, 30), gais=3)
    # D, topical: "much improved" on 5 June; E, topical: only in May, not counted.
    d = plan(world, route="topical")
    portal_rating(d, at=local(D(2026, 6, 5), 12), gais=2)
    portal_rating(plan(world, route="topical"), at=local(D(2026, 5, 20), 12), gais=1)
    report = outcomes_report(june())
    # Clinician: A's follow-up, much improved. Patient at follow-up: A, much improved.
    # Portal: microneedling A much improved, B and C improved; topical D much improved.
    assert rows(report, "gais") == [
        ["Microneedling", "Much improved", 1, 1, 1],
        ["Microneedling", "Improved", 0, 0, 2],
        ["Topical", "Much improved", 0, 0, 1],
    ]
    assert rows(outcomes_report(june(route="topical")), "gais") == [
        ["Topical", "Much improved", 0, 0, 1]
    ]
    # In May, B's and E's ratings are the latest of that range.
    assert rows(outcomes_report(in_range(D(2026, 5, 1), D(2026, 5, 31))), "gais") == [
        ["Microneedling", "Very much improved", 0, 0, 1],
        ["Topical", "Very much improved", 0, 0, 1],
    ]


def test_portal_ratings_narrowed_by_the_plans_author_and_product(world):
    course = plan(world, author=world.hart.user)
    portal_rating(course, at=local(D(2026, 6, 5), 12), gais=3)
    assert rows(outcomes_report(june(practitioner=world.mehta)), "gais") == []
    assert rows(outcomes_report(june(practitioner=world.hart)), "gais") == [
        ["Microneedling", "Improved", 0, 0, 1]
    ]
    assert len(rows(outcomes_report(june(product=world.product)), "gais")) == 1


def test_five_courses_are_not_flagged(world):
    for _ in range(SMALL_GROUP):
        follow_up(plan(world, severity=3), on=D(2026, 6, 5), scores={"melasma": 2})
    report = outcomes_report(june())
    assert rows(report, "changes") == [["Microneedling", "Melasma", 5, "1", "1 to 1"]]
    assert report.table("changes").flags == {}


def test_each_concern_and_route_is_its_own_group(world):
    course = plan(world, severity=3)
    add_concern(course, "fine_lines", 2)
    follow_up(course, on=D(2026, 6, 5), scores={"melasma": 2, "fine_lines": 3})
    topical = plan(world, severity=2, route="topical")
    follow_up(topical, on=D(2026, 6, 6), scores={"melasma": 2})
    report = outcomes_report(june())
    assert rows(report, "changes") == [
        ["Microneedling", "Fine lines / wrinkles", 1, "-1", "-1 to -1"],
        ["Microneedling", "Melasma", 1, "1", "1 to 1"],
        ["Topical", "Melasma", 1, "0", "0 to 0"],
    ]
    only_topical = outcomes_report(june(route="topical"))
    assert rows(only_topical, "changes") == [["Topical", "Melasma", 1, "0", "0 to 0"]]


def test_narrowed_by_product_and_practitioner(world):
    course = plan(world, severity=3)
    follow_up(course, on=D(2026, 6, 5), scores={"melasma": 1}, clinician=world.hart.user)
    assert rows(outcomes_report(june(practitioner=world.mehta)), "changes") == []
    assert len(rows(outcomes_report(june(practitioner=world.hart)), "changes")) == 1
    assert len(rows(outcomes_report(june(product=world.product)), "changes")) == 1


def test_a_concern_not_in_the_assessment_is_left_out(world):
    course = plan(world, severity=3)
    follow_up(course, on=D(2026, 6, 5), scores={"acne": 1})
    assert rows(outcomes_report(in_range(D(2026, 6, 5), D(2026, 6, 5))), "changes") == []


def test_satisfaction_median(world):
    for score in (3, 4, 5, 5):
        follow_up(plan(world), on=D(2026, 6, 5), scores={}, satisfaction=score)
    # 3, 4, 5, 5: median 4.5, quartiles 3.75 and 5.
    assert rows(outcomes_report(june()), "satisfaction") == [
        ["Microneedling", 4, "4.5", "3.8 to 5"]
    ]


def test_masi_and_iga_against_the_latest_later_assessment(world):
    from decimal import Decimal

    from tests.factories import AssessmentFactory

    course = plan(world)
    course.assessment.masi = Decimal("12.5")
    course.assessment.iga = 3
    course.assessment.assessed_on = D(2026, 4, 1)
    course.assessment.save()
    AssessmentFactory(patient=course.patient, assessed_on=D(2026, 6, 3), masi=Decimal("9.0"))
    AssessmentFactory(patient=course.patient, assessed_on=D(2026, 6, 20), masi=Decimal("6.5"),
                      iga=1)
    # Outside the range: not read.
    AssessmentFactory(patient=course.patient, assessed_on=D(2026, 7, 2), masi=Decimal("1.0"))
    report = outcomes_report(june())
    # MASI 12.5 -> 6.5 (the latest in June): 6 better; IGA 3 -> 1: 2 better.
    assert rows(report, "scores") == [
        ["MASI", "Microneedling", 1, "6", "6 to 6"],
        ["IGA", "Microneedling", 1, "2", "2 to 2"],
    ]
    assert report.table("scores").flags == {0: "Fewer than 5 courses: read with care.",
                                             1: "Fewer than 5 courses: read with care."}
    assert rows(outcomes_report(in_range(D(2026, 8, 1), D(2026, 8, 31))), "scores") == []
