"""The contraindication screen, row by row of docs/clinical-rules.md §Contraindication screen.

Every case's id names the docs/clinical-rules.md rule it checks. No database.
"""

from dataclasses import fields
from datetime import date

import pytest

from clinic.lib.product_screening import product_allergens, product_findings, product_route_findings
from clinic.lib.screening import (
    ALL_ROUTES,
    RULES_DOC,
    TWO_WEEKS,
    ClinicPolicy,
    Finding,
    Level,
    ProductFacts,
    ScreenFacts,
    Window,
    add_months,
    findings_for,
    phototype_findings,
    screen_findings,
)
from clinic.lib.vocabulary import NEEDLING_ROUTES, Allergen, Area, ProductSource, Route

ON = date(2026, 12, 1)  # the intended treatment date used throughout
DEFAULT = ClinicPolicy()
FACE = frozenset({Area.FACE})
TABLE = RULES_DOC + "Contraindication screen: "


def screen(**answers: object) -> ScreenFacts:
    return ScreenFacts(screened_on=ON, **answers)  # type: ignore[arg-type]


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


# --- Every row of the table, under the default policy -----------------------------------------

# (answers, code, level, routes, areas, words the reason must contain: the patient fact)
ROWS = [
    pytest.param(
        {"active_infection_areas": FACE},
        "active_infection",
        Level.BLOCKED,
        NEEDLING_ROUTES,
        FACE,
        ("infection", "face"),
        id="active skin infection in the area: blocks needling",
    ),
    pytest.param(
        {"isotretinoin_last_taken": date(2026, 8, 1)},
        "isotretinoin",
        Level.CAUTION,
        NEEDLING_ROUTES,
        frozenset(),
        ("Isotretinoin last taken 2026-08-01", "6 months"),
        id="isotretinoin in the last 6 months: caution for needling",
    ),
    pytest.param(
        {"keloid_history": True},
        "keloid",
        Level.BLOCKED,
        NEEDLING_ROUTES,
        frozenset(),
        ("keloid",),
        id="keloid or hypertrophic scarring history: blocks needling",
    ),
    pytest.param(
        {"bleeding_disorder": True},
        "bleeding_disorder",
        Level.BLOCKED,
        NEEDLING_ROUTES,
        frozenset(),
        ("Bleeding disorder",),
        id="bleeding disorder: blocks needling",
    ),
    pytest.param(
        {"anticoagulant": True},
        "anticoagulant",
        Level.BLOCKED,
        NEEDLING_ROUTES,
        frozenset(),
        ("anticoagulant", "warfarin"),
        id="anticoagulant (warfarin, DOACs): blocks needling",
    ),
    pytest.param(
        {"antiplatelet": True},
        "antiplatelet",
        Level.CAUTION,
        NEEDLING_ROUTES,
        frozenset(),
        ("antiplatelet",),
        id="antiplatelets: caution",
    ),
    pytest.param(
        {"inflammatory_flare_areas": FACE},
        "inflammatory_flare",
        Level.BLOCKED,
        NEEDLING_ROUTES,
        FACE,
        ("flare", "face", "topical stays open"),
        id="active flare or inflammatory acne in the area: blocks needling, topical stays open",
    ),
    pytest.param(
        {"last_sunburn_or_tan": date(2026, 11, 25)},
        "recent_sun",
        Level.BLOCKED,
        NEEDLING_ROUTES,
        frozenset(),
        ("Sunburn or tanning on 2026-11-25", "2 weeks"),
        id="sunburn or tanning in the last 2 weeks: blocks needling",
    ),
    pytest.param(
        {"last_peel_or_laser": date(2026, 11, 25)},
        "recent_peel_or_laser",
        Level.BLOCKED,
        NEEDLING_ROUTES,
        frozenset(),
        ("peel or laser on 2026-11-25", "2 weeks"),
        id="chemical peel or laser in the last 2 weeks: blocks needling",
    ),
    pytest.param(
        {"pregnant_or_breastfeeding": True},
        "pregnancy",
        Level.BLOCKED,
        ALL_ROUTES,
        frozenset(),
        ("Pregnant or breastfeeding", "no safety data"),
        id="pregnant or breastfeeding: no exosome treatment by default (all routes)",
    ),
    pytest.param(
        {"immunosuppressed": True},
        "immunosuppressed",
        Level.CAUTION,
        NEEDLING_ROUTES,
        frozenset(),
        ("Immunosuppressed", "documented reason"),
        id="immunosuppression: caution, needs a documented reason for needling",
    ),
    pytest.param(
        {"uncontrolled_diabetes": True},
        "uncontrolled_diabetes",
        Level.CAUTION,
        NEEDLING_ROUTES,
        frozenset(),
        ("Uncontrolled diabetes", "documented reason"),
        id="uncontrolled diabetes: caution, needs a documented reason for needling",
    ),
    pytest.param(
        {"lesion_areas": FACE},
        "lesion",
        Level.BLOCKED,
        ALL_ROUTES,
        FACE,
        ("lesion", "face"),
        id="skin cancer or unassessed lesion in the area: blocks all routes there",
    ),
]


@pytest.mark.parametrize(("answers", "code", "level", "routes", "areas", "words"), ROWS)
def test_each_row_fires_one_finding(answers, code, level, routes, areas, words):
    finding = only(screen_findings(screen(**answers), policy=DEFAULT, on=ON))
    assert (finding.code, finding.level, finding.routes, finding.areas) == (
        code,
        level,
        routes,
        areas,
    )
    assert finding.rule.startswith(TABLE)
    for word in words:  # the reason names the patient fact that fired
        assert word in finding.reason


def test_every_screen_answer_has_a_row_here():
    # a new ScreenFacts answer without a docs/clinical-rules.md row (and a case above) fails here
    answered = {name for param in ROWS for name in param.values[0]}
    assert answered == {f.name for f in fields(ScreenFacts)} - {"screened_on", "allergens"}


def test_a_clean_screen_finds_nothing():
    # docs/clinical-rules.md §Contraindication screen: no answer fired.
    assert screen_findings(screen(), policy=DEFAULT, on=ON) == []


def test_a_screen_with_every_answer_fires_every_row_once_in_table_order():
    everything = {}
    for param in ROWS:
        everything |= param.values[0]
    codes = [f.code for f in screen_findings(screen(**everything), policy=DEFAULT, on=ON)]
    assert codes == [param.values[1] for param in ROWS]


@pytest.mark.parametrize("code", [p.values[1] for p in ROWS if p.values[3] == NEEDLING_ROUTES])
def test_needling_rows_leave_topical_and_transdermal_open(code):
    # docs/clinical-rules.md §Contraindication screen: these rows say "microneedling and
    # laser-assisted"; transdermal crosses an intact stratum corneum, so they do not touch it.
    answers = next(p.values[0] for p in ROWS if p.values[1] == code)
    findings = screen_findings(screen(**answers), policy=DEFAULT, on=ON)
    for route in (Route.TOPICAL, Route.TRANSDERMAL):
        assert findings_for(findings, route=route) == []
    for route in NEEDLING_ROUTES:
        assert [f.code for f in findings_for(findings, route=route)] == [code]


# --- Date windows: both sides of each boundary -------------------------------------------------


@pytest.mark.parametrize(
    ("field", "event", "on", "fires"),
    [
        # isotretinoin in the last 6 months: clear from the day 6 calendar months have passed
        pytest.param(
            "isotretinoin_last_taken",
            date(2026, 8, 1),
            date(2027, 1, 31),
            True,
            id="isotretinoin 6 months: day before the 6-month anniversary fires",
        ),
        pytest.param(
            "isotretinoin_last_taken",
            date(2026, 8, 1),
            date(2027, 2, 1),
            False,
            id="isotretinoin 6 months: on the anniversary, clear",
        ),
        pytest.param(
            "isotretinoin_last_taken",
            date(2026, 8, 31),
            date(2027, 2, 27),
            True,
            id="isotretinoin 6 months: 31 Aug clamps to 28 Feb, 27 Feb fires",
        ),
        pytest.param(
            "isotretinoin_last_taken",
            date(2026, 8, 31),
            date(2027, 2, 28),
            False,
            id="isotretinoin 6 months: 31 Aug clamps to 28 Feb, clear on 28 Feb",
        ),
        pytest.param(
            "isotretinoin_last_taken",
            date(2027, 8, 31),
            date(2028, 2, 28),
            True,
            id="isotretinoin 6 months: leap year, 28 Feb 2028 still fires",
        ),
        pytest.param(
            "isotretinoin_last_taken",
            date(2027, 8, 31),
            date(2028, 2, 29),
            False,
            id="isotretinoin 6 months: leap year, clear on 29 Feb 2028",
        ),
        pytest.param(
            "isotretinoin_last_taken",
            ON,
            ON,
            True,
            id="isotretinoin 6 months: taken on the day fires",
        ),
        pytest.param(
            "isotretinoin_last_taken",
            date(2026, 12, 5),
            ON,
            True,
            id="isotretinoin 6 months: a date after the treatment fires (conservative)",
        ),
        # sunburn or tanning in the last 2 weeks: clear from 14 days after
        pytest.param(
            "last_sunburn_or_tan",
            date(2026, 11, 17),
            date(2026, 11, 30),
            True,
            id="sunburn 2 weeks: 13 days after fires",
        ),
        pytest.param(
            "last_sunburn_or_tan",
            date(2026, 11, 17),
            date(2026, 12, 1),
            False,
            id="sunburn 2 weeks: 14 days after, clear",
        ),
        pytest.param(
            "last_sunburn_or_tan", ON, ON, True, id="sunburn 2 weeks: sunburnt on the day fires"
        ),
        # chemical peel or laser in the last 2 weeks
        pytest.param(
            "last_peel_or_laser",
            date(2026, 11, 17),
            date(2026, 11, 30),
            True,
            id="peel or laser 2 weeks: 13 days after fires",
        ),
        pytest.param(
            "last_peel_or_laser",
            date(2026, 11, 17),
            date(2026, 12, 1),
            False,
            id="peel or laser 2 weeks: 14 days after, clear",
        ),
        pytest.param(
            "last_peel_or_laser",
            date(2026, 12, 25),
            date(2027, 1, 7),
            True,
            id="peel or laser 2 weeks: across a year end, 13 days after fires",
        ),
        pytest.param(
            "last_peel_or_laser",
            date(2026, 12, 25),
            date(2027, 1, 8),
            False,
            id="peel or laser 2 weeks: across a year end, 14 days after, clear",
        ),
    ],
)
def test_date_windows_are_measured_to_the_treatment_date(field, event, on, fires):
    findings = screen_findings(screen(**{field: event}), policy=DEFAULT, on=on)
    assert bool(findings) is fires


def test_window_reason_says_when_the_patient_is_clear():
    # docs/clinical-rules.md > isotretinoin in the last 6 months: the clinician sees the date it
    # ends
    finding = only(
        screen_findings(screen(isotretinoin_last_taken=date(2026, 8, 1)), policy=DEFAULT, on=ON)
    )
    assert "within 6 months of 2026-12-01" in finding.reason
    assert "clear from 2027-02-01" in finding.reason


def test_windows_use_the_treatment_date_not_the_screen_date():
    # screened 1 Dec with a sunburn on 25 Nov; treatment booked for 10 Dec -> 2 weeks not up
    facts = screen(last_sunburn_or_tan=date(2026, 11, 25))
    assert screen_findings(facts, policy=DEFAULT, on=date(2026, 12, 8))
    assert not screen_findings(facts, policy=DEFAULT, on=date(2026, 12, 9))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2026, 8, 1), 6, date(2027, 2, 1), id="plain"),
        pytest.param(date(2026, 8, 31), 6, date(2027, 2, 28), id="clamps to a short February"),
        pytest.param(date(2027, 8, 31), 6, date(2028, 2, 29), id="clamps to a leap February"),
        pytest.param(date(2026, 3, 31), 1, date(2026, 4, 30), id="clamps to a 30-day month"),
        pytest.param(date(2026, 12, 15), 1, date(2027, 1, 15), id="crosses the year"),
        pytest.param(date(2026, 1, 31), -2, date(2025, 11, 30), id="backwards"),
    ],
)
def test_add_months_is_calendar_arithmetic(day, months, expected):
    assert add_months(day, months) == expected


def test_window_clear_from_combines_months_and_days():
    assert TWO_WEEKS.clear_from(date(2026, 2, 20)) == date(2026, 3, 6)
    assert Window(months=1, days=1).clear_from(date(2026, 1, 31)) == date(2026, 3, 1)


# --- Policy switches ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "policy", "level", "says"),
    [
        pytest.param(
            {"isotretinoin_last_taken": date(2026, 8, 1)},
            ClinicPolicy(),
            Level.CAUTION,
            "written justification",
            id="isotretinoin: caution by default",
        ),
        pytest.param(
            {"isotretinoin_last_taken": date(2026, 8, 1)},
            ClinicPolicy(isotretinoin_blocks=True),
            Level.BLOCKED,
            "makes this a block",
            id="isotretinoin: a clinic setting can make it a block",
        ),
        pytest.param(
            {"pregnant_or_breastfeeding": True},
            ClinicPolicy(),
            Level.BLOCKED,
            "makes this a block",
            id="pregnancy: no exosome treatment by default",
        ),
        pytest.param(
            {"pregnant_or_breastfeeding": True},
            ClinicPolicy(pregnancy_blocks=False),
            Level.CAUTION,
            "written justification",
            id="pregnancy: a clinic setting turns it into a caution",
        ),
    ],
)
def test_policy_decides_the_level_and_the_reason_says_so(answers, policy, level, says):
    finding = only(screen_findings(screen(**answers), policy=policy, on=ON))
    assert finding.level is level
    assert says in finding.reason


def test_pregnancy_with_policy_off_is_caution_on_every_route():
    # docs/clinical-rules.md > pregnant or breastfeeding: "no exosome treatment" concerns every
    # route
    facts = screen(pregnant_or_breastfeeding=True)
    findings = screen_findings(facts, policy=ClinicPolicy(pregnancy_blocks=False), on=ON)
    for route in Route:
        assert [f.level for f in findings_for(findings, route=route)] == [Level.CAUTION]


@pytest.mark.parametrize(
    "policy",
    [
        pytest.param(ClinicPolicy(human_derived_allowed=True), id="human_derived_allowed"),
        pytest.param(ClinicPolicy(isotretinoin_blocks=True), id="isotretinoin_blocks"),
        pytest.param(ClinicPolicy(pregnancy_blocks=False), id="pregnancy_blocks off"),
    ],
)
def test_fixed_rows_ignore_the_policy(policy):
    # docs/clinical-rules.md §Contraindication screen: only the rows that say "a clinic setting"
    # move
    facts = screen(keloid_history=True, antiplatelet=True)
    assert screen_findings(facts, policy=policy, on=ON) == screen_findings(
        facts, policy=DEFAULT, on=ON
    )


# --- Area scoping ------------------------------------------------------------------------------

LESION_ON_NECK = screen_findings(screen(lesion_areas=frozenset({Area.NECK})), policy=DEFAULT, on=ON)
INFECTION_ON_FACE = screen_findings(screen(active_infection_areas=FACE), policy=DEFAULT, on=ON)


@pytest.mark.parametrize(
    ("findings", "route", "areas", "applies"),
    [
        pytest.param(
            LESION_ON_NECK,
            Route.TOPICAL,
            [Area.NECK],
            True,
            id="lesion in the area: blocks all routes there, even topical",
        ),
        pytest.param(
            LESION_ON_NECK,
            Route.MICRONEEDLING,
            [Area.FACE, Area.NECK],
            True,
            id="lesion in the area: one of several treated areas",
        ),
        pytest.param(
            LESION_ON_NECK,
            Route.MICRONEEDLING,
            [Area.FACE],
            False,
            id="lesion in the area: another area stays open",
        ),
        pytest.param(
            INFECTION_ON_FACE,
            Route.LASER_ASSISTED,
            [Area.FACE],
            True,
            id="infection in the area: blocks laser there",
        ),
        pytest.param(
            INFECTION_ON_FACE,
            Route.MICRONEEDLING,
            [Area.SCALP],
            False,
            id="infection in the area: scalp needling stays open",
        ),
        pytest.param(
            INFECTION_ON_FACE,
            Route.MICRONEEDLING,
            None,
            True,
            id="areas unknown (None): every area finding applies",
        ),
        pytest.param(
            INFECTION_ON_FACE,
            Route.MICRONEEDLING,
            [],
            True,
            id="areas unknown (empty): every area finding applies",
        ),
        pytest.param(
            INFECTION_ON_FACE,
            Route.TOPICAL,
            [Area.FACE],
            False,
            id="infection in the area: topical stays open",
        ),
    ],
)
def test_findings_for_scopes_by_route_and_area(findings, route, areas, applies):
    assert bool(findings_for(findings, route=route, areas=areas)) is applies


def test_findings_without_areas_apply_to_every_area():
    findings = screen_findings(screen(keloid_history=True), policy=DEFAULT, on=ON)
    for area in Area:
        assert findings_for(findings, route=Route.MICRONEEDLING, areas=[area])


def test_area_reason_names_every_area_in_domain_order():
    areas = frozenset({Area.SCALP, Area.FACE, Area.DECOLLETAGE})
    finding = only(screen_findings(screen(lesion_areas=areas), policy=DEFAULT, on=ON))
    assert "face, décolletage and scalp" in finding.reason


# --- Products: source and allergy --------------------------------------------------------------

SALMON = ProductFacts(
    name="E-50",
    source=ProductSource.ANIMAL,
    species="salmon",
    allergens=frozenset({Allergen.FISH}),
    routes=frozenset({Route.TOPICAL, Route.MICRONEEDLING}),
)
HUMAN_MSC = ProductFacts(
    name="MSC-Exo",
    source=ProductSource.HUMAN,
    species="human mesenchymal stem cells",
    routes=ALL_ROUTES,
)
PLANT = ProductFacts(name="Rose-Exo", source=ProductSource.PLANT, routes=ALL_ROUTES)
FISH_ALLERGIC = screen(allergens=frozenset({Allergen.FISH}))


@pytest.mark.parametrize(
    ("product", "facts", "policy", "codes"),
    [
        pytest.param(
            HUMAN_MSC,
            None,
            DEFAULT,
            ["human_derived_forbidden"],
            id="human-derived: not allowed by default",
        ),
        pytest.param(
            HUMAN_MSC,
            None,
            ClinicPolicy(human_derived_allowed=True),
            [],
            id="human-derived: a clinic setting allows it",
        ),
        pytest.param(
            SALMON,
            FISH_ALLERGIC,
            DEFAULT,
            ["product_allergy"],
            id="allergy to source (fish for salmon-derived): blocks that product",
        ),
        pytest.param(
            SALMON,
            screen(allergens=frozenset({Allergen.SOY})),
            DEFAULT,
            [],
            id="allergy to something the product lacks: no finding",
        ),
        pytest.param(SALMON, None, DEFAULT, [], id="no screen given: allergy not checked here"),
        pytest.param(
            PLANT, FISH_ALLERGIC, DEFAULT, [], id="plant product, fish allergy: no finding"
        ),
    ],
)
def test_product_findings(product, facts, policy, codes):
    findings = product_findings(product, facts=facts, policy=policy)
    assert [f.code for f in findings] == codes
    for finding in findings:  # both rows block the product on every route
        assert (finding.level, finding.routes, finding.areas) == (
            Level.BLOCKED,
            ALL_ROUTES,
            frozenset(),
        )


def test_allergy_reason_names_the_allergen_and_the_product():
    # docs/clinical-rules.md > allergy to a product's source or ingredients (e.g. fish for
    # salmon-derived)
    finding = only(product_findings(SALMON, facts=FISH_ALLERGIC, policy=DEFAULT))
    assert "fish" in finding.reason
    assert "E-50" in finding.reason
    assert "salmon" in finding.reason
    assert finding.rule.startswith(TABLE)


def test_human_derived_reason_names_the_product():
    finding = only(product_findings(HUMAN_MSC, facts=None, policy=DEFAULT))
    assert "MSC-Exo" in finding.reason
    assert "human-derived" in finding.reason
    assert finding.rule.startswith(RULES_DOC + "Exosome products: ")


@pytest.mark.parametrize(
    ("species", "listed", "expected"),
    [
        pytest.param(
            "salmon", frozenset(), {Allergen.FISH}, id="salmon implies fish even when not listed"
        ),
        pytest.param("Salmon (testes)", frozenset(), {Allergen.FISH}, id="any case, extra words"),
        pytest.param(
            "bovine colostrum",
            frozenset({Allergen.PRESERVATIVES}),
            {Allergen.BOVINE, Allergen.PRESERVATIVES},
            id="implied plus listed",
        ),
        pytest.param("", frozenset({Allergen.EGG}), {Allergen.EGG}, id="listed only"),
        pytest.param(
            "codium seaweed", frozenset(), set(), id="whole words only: codium is not cod"
        ),
    ],
)
def test_product_allergens_include_those_the_source_implies(species, listed, expected):
    product = ProductFacts(
        name="X", source=ProductSource.ANIMAL, species=species, allergens=listed, routes=ALL_ROUTES
    )
    assert product_allergens(product) == expected


def test_an_unlisted_salmon_source_still_blocks_a_fish_allergic_patient():
    unlisted = ProductFacts(
        name="Salmon-Exo", source=ProductSource.ANIMAL, species="salmon", routes=ALL_ROUTES
    )
    assert [f.code for f in product_findings(unlisted, facts=FISH_ALLERGIC, policy=DEFAULT)] == [
        "product_allergy"
    ]


def test_several_shared_allergens_are_all_named():
    product = ProductFacts(
        name="Mix",
        source=ProductSource.SYNTHETIC,
        allergens=frozenset({Allergen.FRAGRANCE, Allergen.SOY}),
        routes=ALL_ROUTES,
    )
    facts = screen(allergens=frozenset({Allergen.SOY, Allergen.FRAGRANCE, Allergen.EGG}))
    finding = only(product_findings(product, facts=facts, policy=DEFAULT))
    assert "soy and fragrance" in finding.reason


def test_product_route_findings_block_the_routes_it_is_not_made_for():
    finding = only(product_route_findings(SALMON))
    assert finding.routes == {Route.TRANSDERMAL, Route.LASER_ASSISTED}
    assert finding.level is Level.BLOCKED
    assert "not made for" in finding.reason
    assert product_route_findings(PLANT) == []


# --- Fitzpatrick IV-VI with laser-assisted -----------------------------------------------------


@pytest.mark.parametrize(
    ("fitzpatrick", "cautioned"),
    [pytest.param(n, n >= 4, id=f"Fitzpatrick {n}: laser caution {n >= 4}") for n in range(1, 7)],
)
def test_phototype_iv_to_vi_cautions_laser_only(fitzpatrick, cautioned):
    findings = phototype_findings(fitzpatrick)
    if not cautioned:
        assert findings == []
        return
    finding = only(findings)
    assert (finding.code, finding.level, finding.routes) == (
        "phototype_laser",
        Level.CAUTION,
        {Route.LASER_ASSISTED},
    )
    assert "prefer microneedling" in finding.reason
    assert finding.rule.startswith(TABLE)


@pytest.mark.parametrize("fitzpatrick", [0, 7])
def test_phototype_outside_i_to_vi_is_refused(fitzpatrick):
    with pytest.raises(ValueError):
        phototype_findings(fitzpatrick)


# --- Never injection ---------------------------------------------------------------------------


def test_no_route_is_an_injection():
    # docs/clinical-rules.md §Administration routes: "Never injection"
    assert all(
        "inject" not in route.value and "inject" not in route.label.lower() for route in ALL_ROUTES
    )
    assert len(ALL_ROUTES) == 4


def test_findings_are_immutable_and_hashable():
    finding = only(screen_findings(screen(keloid_history=True), policy=DEFAULT, on=ON))
    with pytest.raises(AttributeError):
        finding.level = Level.CAUTION  # type: ignore[misc]
    assert len({finding, finding}) == 1
