"""The route recommender (docs/clinical-rules.md > Administration routes and > Contraindication
screen).

Realistic patients first, then the ranking, course and needle-depth tables case by case. Every
case's id or comment names the docs/clinical-rules.md rule it checks. No database.
"""

from datetime import date
from decimal import Decimal

import pytest

from clinic.lib.courses import (
    COURSES,
    NEEDLE_DEPTH_LIMITS,
    ConcernScore,
    DepthRange,
    depth_range,
)
from clinic.lib.product_screening import product_findings
from clinic.lib.routes import (
    LEAST_INVASIVE_FIRST,
    AssessmentFacts,
    ReasonLevel,
    Recommendation,
    Suitability,
    recommend,
)
from clinic.lib.screening import (
    ALL_ROUTES,
    RULES_DOC,
    ClinicPolicy,
    Finding,
    Level,
    ProductFacts,
    ScreenFacts,
    screen_findings,
)
from clinic.lib.vocabulary import Allergen, Area, Concern, ProductSource, Route, SkinType

ON = date(2026, 12, 1)
DEFAULT = ClinicPolicy()
FACE = frozenset({Area.FACE})
NEEDLING = (Route.MICRONEEDLING, Route.LASER_ASSISTED)


def concern(kind: Concern, severity: int, *areas: Area) -> ConcernScore:
    return ConcernScore(concern=kind, severity=severity, areas=frozenset(areas or {Area.FACE}))


def patient(
    *concerns: ConcernScore, fitzpatrick: int = 2, skin_type: SkinType = SkinType.NORMAL
) -> AssessmentFacts:
    return AssessmentFacts(fitzpatrick=fitzpatrick, skin_type=skin_type, concerns=concerns)


def findings(policy: ClinicPolicy = DEFAULT, **answers: object):
    facts = ScreenFacts(screened_on=ON, **answers)  # type: ignore[arg-type]
    return screen_findings(facts, policy=policy, on=ON)


def run(assessment: AssessmentFacts, policy: ClinicPolicy = DEFAULT, **kwargs) -> Recommendation:
    kwargs.setdefault("findings", [])
    return recommend(assessment, policy=policy, **kwargs)


def order(rec: Recommendation) -> list[Route]:
    return [a.route for a in rec.advice if a.rank is not None]


def texts(rec: Recommendation, route: Route, level: ReasonLevel) -> list[str]:
    return [r.text for r in rec.for_route(route).reasons if r.level == level]


# --- Realistic patients ------------------------------------------------------------------------

MELASMA_V = patient(concern(Concern.MELASMA, 3), fitzpatrick=5)


def test_fitzpatrick_v_melasma_microneedling_first_with_depth_laser_caution():
    # docs/clinical-rules.md §Skin assessment: IV-VI, melasma suits exosomes with microneedling;
    # > Contraindication screen: Fitzpatrick IV-VI with laser-assisted: caution
    rec = run(MELASMA_V)
    top = rec.top
    assert top is not None and top.route == Route.MICRONEEDLING
    assert top.suitability == Suitability.SUITABLE
    assert top.rationale.startswith("Melasma (3): deeper delivery needed")
    assert top.course.depths == (NEEDLE_DEPTH_LIMITS[Area.FACE],)
    assert top.course.text == "3-6 sessions, 4-6 weeks apart"
    laser = rec.for_route(Route.LASER_ASSISTED)
    assert laser.suitability == Suitability.CAUTION
    assert any("Fitzpatrick V" in t for t in texts(rec, Route.LASER_ASSISTED, ReasonLevel.CAUTION))
    assert laser.rank is not None and laser.rank > top.rank


def test_same_patient_with_cold_sores_on_the_face_keeps_topical_open():
    # docs/clinical-rules.md > active skin infection in the area: blocks microneedling and
    # laser-assisted
    rec = run(MELASMA_V, findings=findings(active_infection_areas=FACE))
    for route in NEEDLING:
        advice = rec.for_route(route)
        assert (advice.suitability, advice.rank) == (Suitability.BLOCKED, None)
        assert "infection" in advice.rationale
    assert rec.for_route(Route.TOPICAL).suitability == Suitability.SUITABLE
    assert rec.top is not None and rec.top.route == Route.TOPICAL
    # "anyone for whom needling is blocked" suits topical (docs/clinical-rules.md §Administration
    # routes)
    assert any("blocked" in t for t in texts(rec, Route.TOPICAL, ReasonLevel.FIT))


def test_cold_sores_on_the_face_do_not_block_scalp_needling():
    # docs/clinical-rules.md "in the area": treating only the scalp for hair thinning stays open
    rec = run(
        patient(concern(Concern.HAIR_THINNING, 3, Area.SCALP)),
        findings=findings(active_infection_areas=FACE),
    )
    assert rec.top is not None and rec.top.route == Route.MICRONEEDLING
    assert rec.top.course.depths == (NEEDLE_DEPTH_LIMITS[Area.SCALP],)


def test_rosacea_flare_topical_first_needling_blocked():
    # docs/clinical-rules.md > active flare of rosacea in the area: blocks needling; topical stays
    # open; > Administration routes: topical suits rosacea
    rec = run(
        patient(concern(Concern.REDNESS, 3), skin_type=SkinType.SENSITIVE),
        findings=findings(inflammatory_flare_areas=FACE),
    )
    assert order(rec)[0] == Route.TOPICAL
    assert rec.top is not None and rec.top.rationale.startswith("Redness / rosacea (3)")
    for route in NEEDLING:
        assert rec.for_route(route).suitability == Suitability.BLOCKED


def test_warfarin_with_acne_scars_blocks_needling_and_names_the_anticoagulant():
    # docs/clinical-rules.md > bleeding disorder or anticoagulant (warfarin, DOACs): blocks needling
    rec = run(patient(concern(Concern.ACNE_SCARS, 3)), findings=findings(anticoagulant=True))
    for route in NEEDLING:
        advice = rec.for_route(route)
        assert advice.suitability == Suitability.BLOCKED
        assert any("anticoagulant" in t for t in texts(rec, route, ReasonLevel.BLOCKED))
    assert order(rec) == [Route.TOPICAL, Route.TRANSDERMAL]


@pytest.mark.parametrize(
    ("policy", "suitability", "top"),
    [
        pytest.param(
            ClinicPolicy(),
            Suitability.BLOCKED,
            None,
            id="pregnant: no exosome treatment by default, every route blocked",
        ),
        pytest.param(
            ClinicPolicy(pregnancy_blocks=False),
            Suitability.CAUTION,
            Route.MICRONEEDLING,
            id="pregnant: clinic setting off, every route caution",
        ),
    ],
)
def test_pregnant_patient(policy, suitability, top):
    rec = run(MELASMA_V, policy, findings=findings(policy, pregnant_or_breastfeeding=True))
    assert {a.suitability for a in rec.advice if a.route != Route.LASER_ASSISTED} == {suitability}
    assert (rec.top.route if rec.top else None) == top
    if top is None:
        assert all(a.rank is None for a in rec.advice)


SALMON = ProductFacts(
    name="E-50",
    source=ProductSource.ANIMAL,
    species="salmon",
    allergens=frozenset({Allergen.FISH}),
    routes=ALL_ROUTES,
)
HUMAN = ProductFacts(name="MSC-Exo", source=ProductSource.HUMAN, routes=ALL_ROUTES)


def test_fish_allergic_patient_and_salmon_product_is_blocked_everywhere():
    # docs/clinical-rules.md > allergy to a product's source (e.g. fish for salmon-derived): blocks
    # it
    facts = ScreenFacts(screened_on=ON, allergens=frozenset({Allergen.FISH}))
    rec = run(
        MELASMA_V,
        findings=screen_findings(facts, policy=DEFAULT, on=ON),
        product=SALMON,
        facts=facts,
    )
    assert rec.top is None
    for route in Route:
        assert any("fish" in t and "E-50" in t for t in texts(rec, route, ReasonLevel.BLOCKED))


@pytest.mark.parametrize(
    ("policy", "blocked"),
    [
        pytest.param(ClinicPolicy(), True, id="human-derived: blocked by default"),
        pytest.param(
            ClinicPolicy(human_derived_allowed=True),
            False,
            id="human-derived: allowed by the clinic setting",
        ),
    ],
)
def test_human_derived_product(policy, blocked):
    facts = ScreenFacts(screened_on=ON)
    rec = run(MELASMA_V, policy, product=HUMAN, facts=facts)
    assert (rec.top is None) is blocked
    assert (rec.for_route(Route.TOPICAL).suitability == Suitability.BLOCKED) is blocked


# --- Products ----------------------------------------------------------------------------------


def test_routes_the_product_is_not_made_for_are_blocked():
    serum = ProductFacts(
        name="Serum-X",
        source=ProductSource.PLANT,
        routes=frozenset({Route.TOPICAL, Route.MICRONEEDLING}),
    )
    rec = run(MELASMA_V, product=serum, facts=ScreenFacts(screened_on=ON))
    for route in (Route.TRANSDERMAL, Route.LASER_ASSISTED):
        assert rec.for_route(route).suitability == Suitability.BLOCKED
        assert any("not made for" in t for t in texts(rec, route, ReasonLevel.BLOCKED))
    assert order(rec) == [Route.MICRONEEDLING, Route.TOPICAL]


def test_a_product_without_screen_answers_is_a_caution_not_a_silent_pass():
    # docs/clinical-rules.md > allergy row: cannot be checked without the patient's answers
    rec = run(patient(concern(Concern.DEHYDRATION, 2)), product=SALMON)
    topical = rec.for_route(Route.TOPICAL)
    assert topical.suitability == Suitability.CAUTION
    assert any(
        "allergies were not checked" in t for t in texts(rec, Route.TOPICAL, ReasonLevel.CAUTION)
    )


def test_a_finding_passed_twice_counts_once():
    facts = ScreenFacts(screened_on=ON, allergens=frozenset({Allergen.FISH}))
    twice = product_findings(SALMON, facts=facts, policy=DEFAULT)
    rec = run(MELASMA_V, findings=twice, product=SALMON, facts=facts)
    assert len(texts(rec, Route.TOPICAL, ReasonLevel.BLOCKED)) == 1


# --- The assessment's own contraindications ----------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "blocked"),
    [
        pytest.param(2, False, id="inflammatory acne mild (2): needling open"),
        pytest.param(3, True, id="inflammatory acne moderate (3) in the area: blocks needling"),
        pytest.param(4, True, id="inflammatory acne severe (4) in the area: blocks needling"),
    ],
)
def test_moderate_or_severe_acne_in_the_assessment_blocks_needling(severity, blocked):
    rec = run(patient(concern(Concern.ACNE, severity), concern(Concern.ACNE_SCARS, 3)))
    for route in NEEDLING:
        assert (rec.for_route(route).suitability == Suitability.BLOCKED) is blocked
    assert rec.for_route(Route.TOPICAL).suitability == Suitability.SUITABLE  # topical stays open


def test_acne_on_the_back_of_the_hands_does_not_block_the_face():
    rec = run(
        patient(concern(Concern.ACNE, 4, Area.HANDS), concern(Concern.MELASMA, 3)),
        areas=[Area.FACE],
    )
    assert rec.top is not None and rec.top.route == Route.MICRONEEDLING


# --- Ranking -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assessment", "first"),
    [
        pytest.param(
            patient(concern(Concern.LAXITY, 3)),
            Route.MICRONEEDLING,
            id="suits: microneedling for laxity",
        ),
        pytest.param(
            patient(concern(Concern.ENLARGED_PORES, 2)),
            Route.MICRONEEDLING,
            id="suits: microneedling for enlarged pores",
        ),
        pytest.param(
            patient(concern(Concern.HAIR_THINNING, 2, Area.SCALP)),
            Route.MICRONEEDLING,
            id="suits: microneedling for hair thinning on the scalp",
        ),
        pytest.param(
            patient(concern(Concern.HYPERPIGMENTATION, 4)),
            Route.MICRONEEDLING,
            id="suits: microneedling for deep pigmentation (severe)",
        ),
        pytest.param(
            patient(concern(Concern.HYPERPIGMENTATION, 2)),
            Route.TRANSDERMAL,
            id="suits: transdermal for mild to moderate tone",
        ),
        pytest.param(
            patient(concern(Concern.UNEVEN_TONE, 3)),
            Route.TRANSDERMAL,
            id="suits: transdermal for moderate uneven tone",
        ),
        pytest.param(
            patient(concern(Concern.FINE_LINES, 2)),
            Route.TRANSDERMAL,
            id="suits: mild fine lines, transdermal wins the tie as least invasive",
        ),
        pytest.param(
            patient(concern(Concern.FINE_LINES, 4)),
            Route.MICRONEEDLING,
            id="suits: severe wrinkles beyond transdermal, microneedling before laser",
        ),
        pytest.param(
            patient(concern(Concern.TEXTURE, 4)),
            Route.LASER_ASSISTED,
            id="suits: laser-assisted for severe texture",
        ),
        pytest.param(
            patient(concern(Concern.ACNE_SCARS, 3)),
            Route.MICRONEEDLING,
            id="suits: acne scars tie microneedling and laser, least invasive first",
        ),
        pytest.param(
            patient(concern(Concern.ECZEMA, 2)), Route.TOPICAL, id="suits: topical for eczema"
        ),
        pytest.param(
            patient(concern(Concern.PSORIASIS, 3)), Route.TOPICAL, id="suits: topical for psoriasis"
        ),
        pytest.param(
            patient(concern(Concern.DEHYDRATION, 1)),
            Route.TOPICAL,
            id="suits: topical for dehydration",
        ),
        pytest.param(
            patient(concern(Concern.SLOW_HEALING_WOUND, 2)),
            Route.TOPICAL,
            id="practice: a slow-healing wound is treated topically",
        ),
        pytest.param(
            patient(concern(Concern.DARK_CIRCLES, 2, Area.PERIORBITAL)),
            Route.TRANSDERMAL,
            id="practice: dark circles are a tone concern",
        ),
        pytest.param(patient(), Route.TOPICAL, id="no concerns: least invasive first"),
        pytest.param(
            patient(concern(Concern.MELASMA, 0)), Route.TOPICAL, id="severity 0 is no concern"
        ),
    ],
)
def test_the_suits_column_picks_the_first_route(assessment, first):
    assert order(run(assessment))[0] == first


def test_severity_weights_the_score():
    # docs/clinical-rules.md > suits, weighted by severity: eczema 3 (topical) beats laxity 2
    # (microneedling)
    rec = run(patient(concern(Concern.ECZEMA, 3), concern(Concern.LAXITY, 2)))
    assert order(rec)[:2] == [Route.TOPICAL, Route.MICRONEEDLING]
    assert rec.for_route(Route.TOPICAL).score == 3.0
    assert rec.for_route(Route.MICRONEEDLING).score == 2.0


def test_sensitive_skin_type_favours_topical():
    # docs/clinical-rules.md > topical suits sensitive skin: tips mild fine lines from transdermal
    # to topical
    normal = run(patient(concern(Concern.FINE_LINES, 1)))
    sensitive = run(patient(concern(Concern.FINE_LINES, 1), skin_type=SkinType.SENSITIVE))
    assert order(normal)[0] == Route.TRANSDERMAL
    assert order(sensitive)[0] == Route.TOPICAL
    assert "Suits sensitive skin" in texts(sensitive, Route.TOPICAL, ReasonLevel.FIT)


def caution_on(route: Route) -> Finding:
    return Finding(
        code="test",
        level=Level.CAUTION,
        routes=frozenset({route}),
        reason="test caution",
        rule="test",
    )


@pytest.mark.parametrize(
    ("assessment", "cautioned", "expected"),
    [
        pytest.param(
            patient(concern(Concern.ACNE_SCARS, 3)),
            Route.MICRONEEDLING,
            [Route.LASER_ASSISTED, Route.MICRONEEDLING],
            id="acne scars tie: cautioned microneedling drops below suitable laser",
        ),
        pytest.param(
            patient(),
            Route.TOPICAL,
            [Route.TRANSDERMAL, Route.MICRONEEDLING, Route.LASER_ASSISTED, Route.TOPICAL],
            id="all score 0: cautioned topical drops below every suitable route",
        ),
        pytest.param(
            patient(concern(Concern.ACNE_SCARS, 3)),
            Route.LASER_ASSISTED,
            [Route.MICRONEEDLING, Route.LASER_ASSISTED],
            id="acne scars tie: cautioned laser stays below microneedling",
        ),
    ],
)
def test_caution_ranks_below_an_equal_suitable_route(assessment, cautioned, expected):
    # docs/clinical-rules.md "Caution is relative": it loses a tie, whatever the invasiveness order
    # says
    rec = run(assessment, findings=[caution_on(cautioned)])
    assert order(rec)[: len(expected)] == expected
    assert rec.for_route(cautioned).suitability == Suitability.CAUTION


def test_a_caution_route_with_a_higher_score_still_ranks_first():
    # docs/clinical-rules.md "Caution ... allowed with a written justification": it is not a block
    rec = run(MELASMA_V, findings=findings(isotretinoin_last_taken=date(2026, 9, 1)))
    assert rec.top is not None and rec.top.route == Route.MICRONEEDLING
    assert rec.top.suitability == Suitability.CAUTION


def test_advice_lists_ranked_routes_then_blocked_ones():
    rec = run(MELASMA_V, findings=findings(keloid_history=True))
    assert [a.rank for a in rec.advice] == [1, 2, None, None]
    assert [a.route for a in rec.advice][2:] == [Route.MICRONEEDLING, Route.LASER_ASSISTED]
    assert {a.route for a in rec.advice} == set(Route)


def test_recommend_is_deterministic():
    assessment = patient(
        concern(Concern.MELASMA, 2),
        concern(Concern.TEXTURE, 2),
        concern(Concern.ECZEMA, 2),
        fitzpatrick=4,
    )
    assert run(assessment) == run(assessment)


def test_for_route_refuses_an_unknown_route():
    with pytest.raises(KeyError):
        run(MELASMA_V).for_route("injection")  # type: ignore[arg-type]


def test_unsuited_route_says_so():
    rec = run(MELASMA_V)
    assert texts(rec, Route.TRANSDERMAL, ReasonLevel.UNFIT)
    assert rec.for_route(Route.TRANSDERMAL).score == 0


def test_rationale_is_tied_to_the_concerns_heaviest_first():
    rec = run(patient(concern(Concern.ACNE_SCARS, 2), concern(Concern.MELASMA, 3)))
    assert rec.top is not None
    assert rec.top.rationale == (
        "Melasma (3) and acne scars (2): deeper delivery needed; microneedling allows deeper "
        "penetration"
    )
    assert [r.text for r in rec.top.reasons] == [
        "Suits melasma (3) on the face",
        "Suits acne scars (2) on the face",
    ]
    assert all(r.rule.startswith(RULES_DOC + "Administration routes") for r in rec.top.reasons)


# --- Treated areas -----------------------------------------------------------------------------


def test_treated_areas_default_to_the_scored_concerns_areas():
    # a lesion on the neck does not touch a face-only assessment (docs/clinical-rules.md "in that
    # area")
    rec = run(MELASMA_V, findings=findings(lesion_areas=frozenset({Area.NECK})))
    assert rec.top is not None and rec.top.route == Route.MICRONEEDLING


def test_explicit_treated_areas_scope_findings_and_concerns():
    assessment = patient(concern(Concern.MELASMA, 3), concern(Concern.HAIR_THINNING, 3, Area.SCALP))
    lesion_on_scalp = findings(lesion_areas=frozenset({Area.SCALP}))
    # treating the scalp: the lesion there blocks every route (docs/clinical-rules.md > lesion: all
    # routes)
    assert run(assessment, findings=lesion_on_scalp, areas=[Area.SCALP]).top is None
    # treating the face: the scalp lesion and the scalp concern drop out
    face = run(assessment, findings=lesion_on_scalp, areas=[Area.FACE])
    assert face.top is not None and face.top.route == Route.MICRONEEDLING
    assert face.top.score == 3.0
    assert face.top.course.depths == (NEEDLE_DEPTH_LIMITS[Area.FACE],)


def test_a_concern_without_areas_counts_everywhere_and_gives_no_depths():
    assessment = AssessmentFacts(
        fitzpatrick=2,
        skin_type=SkinType.NORMAL,
        concerns=(ConcernScore(concern=Concern.LAXITY, severity=3, areas=frozenset()),),
    )
    rec = run(assessment, findings=findings(lesion_areas=FACE))
    # areas unknown: the face lesion applies (conservative), so every route is blocked
    assert rec.top is None


# --- Courses (docs/clinical-rules.md §Administration routes, "typical course")
# ----------------------------


@pytest.mark.parametrize(
    ("route", "sessions", "days", "home_care", "text"),
    [
        pytest.param(
            Route.TOPICAL,
            (4, 6),
            (7, 14),
            True,
            "4-6 sessions, 1-2 weeks apart, or daily home care",
            id="topical: every 1-2 weeks, or daily home care (4-6 is practice)",
        ),
        pytest.param(
            Route.TRANSDERMAL,
            (4, 6),
            (14, 28),
            False,
            "4-6 sessions, 2-4 weeks apart",
            id="transdermal: 4-6 sessions, 2-4 weeks apart",
        ),
        pytest.param(
            Route.MICRONEEDLING,
            (3, 6),
            (28, 42),
            False,
            "3-6 sessions, 4-6 weeks apart",
            id="microneedling: 3-6 sessions, 4-6 weeks",
        ),
        pytest.param(
            Route.LASER_ASSISTED,
            (3, 5),
            (28, 42),
            False,
            "3-5 sessions, 4-6 weeks apart",
            id="laser-assisted: 3-5 sessions, 4-6 weeks",
        ),
    ],
)
def test_typical_course(route, sessions, days, home_care, text):
    course = run(patient(concern(Concern.LAXITY, 2))).for_route(route).course
    assert (course.sessions_min, course.sessions_max) == sessions
    assert (course.interval_days_min, course.interval_days_max) == days
    assert (course.home_care, course.text) == (home_care, text)
    assert course == COURSES[route] or route == Route.MICRONEEDLING
    assert bool(course.depths) is (route == Route.MICRONEEDLING)


def test_microneedling_course_gives_a_depth_per_treated_area_in_domain_order():
    assessment = patient(
        concern(Concern.LAXITY, 2, Area.NECK, Area.FACE),
        concern(Concern.ACNE_SCARS, 3, Area.FACE),
        concern(Concern.FINE_LINES, 2, Area.PERIORBITAL),
    )
    depths = run(assessment).for_route(Route.MICRONEEDLING).course.depths
    assert [d.text for d in depths] == [
        "face 0.5-2.0 mm",
        "periorbital 0.25-0.5 mm",
        "neck 0.25-0.5 mm",
    ]


# --- Needle depth (docs/clinical-rules.md > microneedling "needle depth")
# -----------------------------------

SCARS_ON_FACE = [concern(Concern.ACNE_SCARS, 2, Area.FACE)]


@pytest.mark.parametrize(
    ("area", "concerns", "low", "high"),
    [
        pytest.param(Area.PERIORBITAL, [], "0.25", "0.5", id="periorbital 0.25-0.5 mm"),
        pytest.param(Area.FACE, [], "0.5", "1.5", id="face 0.5-1.5 mm"),
        pytest.param(Area.FACE, SCARS_ON_FACE, "0.5", "2.0", id="face up to 2.0 mm for acne scars"),
        pytest.param(
            Area.FACE,
            [concern(Concern.ACNE_SCARS, 0, Area.FACE)],
            "0.5",
            "1.5",
            id="acne scars scored 0 do not deepen the face",
        ),
        pytest.param(
            Area.FACE,
            [concern(Concern.ACNE_SCARS, 3, Area.NECK)],
            "0.5",
            "1.5",
            id="acne scars elsewhere do not deepen the face",
        ),
        pytest.param(
            Area.FACE,
            [ConcernScore(concern=Concern.ACNE_SCARS, severity=3, areas=frozenset())],
            "0.5",
            "1.5",
            id="acne scars without a recorded area do not deepen the face",
        ),
        pytest.param(
            Area.FACE,
            [concern(Concern.MELASMA, 4, Area.FACE)],
            "0.5",
            "1.5",
            id="other concerns do not deepen the face",
        ),
        pytest.param(
            Area.PERIORBITAL,
            [concern(Concern.ACNE_SCARS, 4, Area.PERIORBITAL)],
            "0.25",
            "0.5",
            id="periorbital stays 0.25-0.5 even with scars",
        ),
        pytest.param(Area.SCALP, [], "0.5", "1.5", id="scalp 0.5-1.5 mm"),
        pytest.param(Area.NECK, [], "0.25", "0.5", id="practice: neck at delivery depth"),
        pytest.param(
            Area.DECOLLETAGE, [], "0.25", "0.5", id="practice: décolletage at delivery depth"
        ),
        pytest.param(Area.HANDS, [], "0.25", "0.5", id="practice: hands at delivery depth"),
    ],
)
def test_depth_range(area, concerns, low, high):
    assert depth_range(area, concerns=concerns) == DepthRange(
        area=area, min_mm=Decimal(low), max_mm=Decimal(high)
    )


def test_every_area_has_a_depth_limit():
    assert set(NEEDLE_DEPTH_LIMITS) == set(Area)
    assert all(limit.area == area for area, limit in NEEDLE_DEPTH_LIMITS.items())


@pytest.mark.parametrize(
    ("depth", "allowed"),
    [
        pytest.param("0.4", False, id="below the face minimum"),
        pytest.param("0.5", True, id="the face minimum"),
        pytest.param("1.5", True, id="the face maximum"),
        pytest.param("1.6", False, id="above the face maximum"),
    ],
)
def test_depth_range_validates_a_chosen_depth(depth, allowed):
    assert NEEDLE_DEPTH_LIMITS[Area.FACE].contains(Decimal(depth)) is allowed


# --- Input validation and never injection ------------------------------------------------------


@pytest.mark.parametrize("severity", [-1, 5])
def test_concern_severity_outside_0_to_4_is_refused(severity):
    with pytest.raises(ValueError, match="0-4"):
        ConcernScore(concern=Concern.MELASMA, severity=severity, areas=FACE)


@pytest.mark.parametrize("fitzpatrick", [0, 7])
def test_fitzpatrick_outside_i_to_vi_is_refused(fitzpatrick):
    with pytest.raises(ValueError, match="1-6"):
        patient(fitzpatrick=fitzpatrick)


def test_no_route_value_contains_inject():
    # docs/clinical-rules.md §Never injection: the recommender only ever offers the four routes
    rec = run(MELASMA_V)
    assert [a.route for a in rec.advice] != []
    assert all("inject" not in str(a.route) for a in rec.advice)
    assert all("inject" not in route.value for route in Route)
    assert set(LEAST_INVASIVE_FIRST) == set(Route)


# docs/clinical-rules.md §Contraindication screen: moderate or severe inflammatory acne blocks
# needling.
@pytest.mark.parametrize(
    ("iga", "needling_blocked"),
    [(None, False), (0, False), (2, False), (3, True), (4, True)],
    ids=["no-iga", "iga-0-clear", "iga-2-mild", "iga-3-moderate-blocks", "iga-4-severe-blocks"],
)
def test_acne_iga_of_3_or_more_blocks_needling_even_without_an_acne_concern(iga, needling_blocked):
    from clinic.lib.routes import AssessmentFacts, ConcernScore, Suitability, recommend
    from clinic.lib.screening import ClinicPolicy
    from clinic.lib.vocabulary import Area, Concern, Route, SkinType

    facts = AssessmentFacts(
        fitzpatrick=3,
        skin_type=SkinType.OILY,
        concerns=(
            ConcernScore(concern=Concern.ACNE_SCARS, severity=3, areas=frozenset({Area.FACE})),
        ),
        iga=iga,
    )
    result = recommend(facts, findings=[], policy=ClinicPolicy())
    for route in (Route.MICRONEEDLING, Route.LASER_ASSISTED):
        blocked = result.for_route(route).suitability == Suitability.BLOCKED
        assert blocked is needling_blocked
    assert result.for_route(Route.TOPICAL).suitability != Suitability.BLOCKED
