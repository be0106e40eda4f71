"""Step 3 by zone: each treated zone with its amount and needle depth (microneedling) or laser
settings (laser-assisted); the route is the plan's and the lot the session's. Each zone's depth
is checked against its area's range, by the same rule as the areas' (docs/clinical-rules.md
§Treated zones > Zones, §Needle depth). Bad input: a message at the field, nothing saved.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.models import ClinicSettings, Role
from tests.factories import AssessmentConcernFactory
from tests.treatments.sessions.factories import (
    completed_session,
    planned_plan,
    prepared_session,
    usable_lot,
)
from treatments.models import TreatmentSession
from treatments.services import sessions
from treatments.services.session_checks import Application, ZoneApplication

pytestmark = pytest.mark.django_db


def _post(client, session, data):
    return client.post(reverse("treatments:session_application", args=[session.pk]), data)


def _zones(lot, zones: dict[str, tuple[str, str]], **extra):
    """A POST with ``zones``: {zone: (amount, depth)}; no area ticked, no total amount."""
    data = {"lot": lot.pk, "device": "Dermapen 4", "zones": list(zones), "depth_face": ""}
    for zone, (amount, depth) in zones.items():
        data[f"zone_{zone}_amount"] = amount
        data[f"zone_{zone}_depth"] = depth
    return data | extra


def _unchanged(session):
    session = TreatmentSession.objects.get(pk=session.pk)
    assert (session.lot_id, session.amount, session.areas, session.zones) == (
        None,
        None,
        list(session.plan.areas),
        [],
    )


def test_the_form_offers_the_zones_of_the_plans_areas_on_the_chart(client, derm):
    session = prepared_session(plan=planned_plan(areas=["face", "periorbital"]))
    client.force_login(derm)
    html = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert 'name="zones" value="forehead"' in html
    assert 'name="zones" value="periorbital_left"' in html
    assert 'name="zones" value="neck_anterior"' not in html  # the plan does not treat the neck
    assert 'data-zone="neck_anterior"' in html  # drawn, greyed
    assert 'name="zone_periorbital_left_depth"' in html
    assert "0.25\u20130.5 mm" in html


def test_each_zone_is_recorded_with_its_amount_and_depth(client, derm):
    plan = planned_plan(areas=["face", "periorbital"], depths={"face": "1.0", "periorbital": "0.3"})
    session = prepared_session(plan=plan)
    lot = usable_lot(plan)
    client.force_login(derm)

    response = _post(
        client,
        session,
        _zones(
            lot,
            {
                "cheek_left": ("0.2", "1.2"),
                "forehead": ("0.2", "0.8"),
                "periorbital_right": ("0.1", "0.25"),
            },
            depth_periorbital="",
        ),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.amount == Decimal("0.5")  # the zones' amounts added up
    assert session.areas == ["face", "periorbital"]
    assert session.depths == {"face": "1.2", "periorbital": "0.25"}  # each area's deepest zone
    assert session.zones == [
        {"zone": "forehead", "amount": "0.2", "depth": "0.8", "laser_settings": ""},
        {"zone": "cheek_left", "amount": "0.2", "depth": "1.2", "laser_settings": ""},
        {"zone": "periorbital_right", "amount": "0.1", "depth": "0.25", "laser_settings": ""},
    ]


# docs/clinical-rules.md §Needle depth, per zone: the zone takes its area's range.
@pytest.mark.parametrize(
    ("zone", "depth", "message"),
    [
        (
            "periorbital_left",
            "0.6",
            "0.6 mm is outside the range allowed for the periorbital, left "
            "(periorbital: 0.25\u20130.5 mm).",
        ),
        (
            "chin",
            "1.8",
            "1.8 mm is outside the range allowed for the chin (face: 0.5\u20131.5 mm).",
        ),
        (
            "glabella",
            "0.3",
            "0.3 mm is outside the range allowed for the glabella (face: 0.5\u20131.5 mm).",
        ),
        ("nose", "", "Give the needle depth used on the nose."),
    ],
)
def test_a_zones_depth_outside_its_areas_range_is_refused_at_its_field(
    client, derm, zone, depth, message
):
    plan = planned_plan(areas=["face", "periorbital"], depths={"face": "1.0", "periorbital": "0.3"})
    session = prepared_session(plan=plan)
    lot = usable_lot(plan)
    client.force_login(derm)

    response = _post(
        client, session, _zones(lot, {"forehead": ("0.2", "1.0"), zone: ("0.1", depth)})
    )

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert f'id="id_application_zone_{zone}_depth_error"' in response.text
    # Said once, at the zone: not again at the area's own depth field.
    assert 'id="id_application_depth_face_error"' not in response.text
    _unchanged(session)


def test_acne_scars_on_the_face_deepen_every_face_zone_not_the_eyes(client, derm):
    plan = planned_plan(areas=["face", "periorbital"], depths={"face": "1.0", "periorbital": "0.3"})
    AssessmentConcernFactory(
        assessment=plan.assessment, concern="acne_scars", severity=2, areas=["face"]
    )
    session = prepared_session(plan=plan)
    lot = usable_lot(plan)
    client.force_login(derm)

    refused = _post(
        client,
        session,
        _zones(lot, {"cheek_left": ("0.2", "1.8"), "periorbital_left": ("0.1", "0.7")}),
    )
    assert "periorbital: 0.25\u20130.5 mm" in refused.text
    _unchanged(session)

    accepted = _post(client, session, _zones(lot, {"cheek_left": ("0.2", "1.8")}))
    assert accepted.status_code == 302


@pytest.mark.parametrize(
    "forged",
    [
        {"zones": ["neck_anterior"]},  # a zone of an area the plan does not treat
        {"zones": ["ear"]},
        {"zones": ["forehead"], "zone_forehead_amount": "-1"},
        {"zones": ["forehead"], "zone_forehead_amount": "lots"},
        {"zones": ["forehead"], "zone_forehead_amount": ""},
    ],
)
def test_a_forged_or_bad_zone_value_is_refused_and_nothing_is_saved(client, derm, forged):
    plan = planned_plan(areas=["face"])
    session = prepared_session(plan=plan)
    lot = usable_lot(plan)
    client.force_login(derm)
    data = {"lot": lot.pk, "device": "Dermapen 4", "zone_forehead_depth": "1.0"} | forged

    response = _post(client, session, data)

    assert response.status_code == 200
    assert "is-invalid" in response.text
    _unchanged(session)


def test_zone_amounts_must_add_up_to_the_amount_used(client, derm):
    plan = planned_plan(areas=["face"])
    session = prepared_session(plan=plan)
    lot = usable_lot(plan)
    client.force_login(derm)
    response = _post(client, session, _zones(lot, {"chin": ("0.2", "1.0")}, amount="0.5"))
    assert "The zones&#x27; amounts add up to 0.2, not the 0.5 used" in response.text
    _unchanged(session)


def test_a_zone_in_an_area_the_days_screen_blocks_is_refused(client, derm):
    plan = planned_plan(areas=["face", "neck"], depths={"face": "1.0", "neck": "0.5"})
    session = prepared_session(plan=plan, screen_fields={"lesion_areas": ["neck"]})
    lot = usable_lot(plan)
    client.force_login(derm)
    response = _post(
        client, session, _zones(lot, {"chin": ("0.2", "1.0"), "neck_left": ("0.1", "0.3")})
    )
    assert "The day&#x27;s screen blocks the neck: not the neck, left side." in response.text
    _unchanged(session)


def test_laser_zones_take_the_sessions_settings_unless_their_own(client, derm):
    plan = planned_plan(route="laser_assisted", areas=["face"])
    session = prepared_session(plan=plan)
    lot = usable_lot(plan)
    client.force_login(derm)
    response = _post(
        client,
        session,
        {
            "lot": lot.pk,
            "device": "Fraxel",
            "laser_settings": "1550 nm, 10 mJ, 2 passes",
            "zones": ["forehead", "chin"],
            "zone_forehead_amount": "0.3",
            "zone_chin_amount": "0.2",
            "zone_chin_laser": "1550 nm, 8 mJ, 1 pass",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert [(z["zone"], z["laser_settings"], z["depth"]) for z in session.zones] == [
        ("forehead", "1550 nm, 10 mJ, 2 passes", None),
        ("chin", "1550 nm, 8 mJ, 1 pass", None),
    ]


def test_completing_rechecks_each_zone_and_the_record_shows_them(client, derm):
    plan = planned_plan(areas=["face"])
    session = prepared_session(plan=plan)
    lot = usable_lot(plan)
    sessions.session_application(
        session=session,
        by=session.clinician,
        application=Application(
            lot=lot,
            amount=None,
            areas=(),
            device="Dermapen 4",
            zones=(
                ZoneApplication(zone="chin", amount=Decimal("0.3"), depth=Decimal("1.0")),
                ZoneApplication(zone="forehead", amount=Decimal("0.2"), depth=Decimal("0.75")),
            ),
        ),
        policy=ClinicSettings.load().policy,
        on=session.started_at.date(),
    )
    client.force_login(derm)
    page = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert "Treated zones: route microneedling, lot" in page
    assert 'aria-label="Treated zones: Forehead, Chin"' in page


def test_a_completed_session_shows_its_zones_on_the_chart_and_table(client, derm):
    session = completed_session()
    TreatmentSession.objects.filter(pk=session.pk).update(
        zones=[{"zone": "chin", "amount": "0.5", "depth": "1.0", "laser_settings": ""}]
    )
    client.force_login(derm)
    page = client.get(reverse("treatments:session_detail", args=[session.pk])).text
    assert '<th scope="row" class="fw-normal">Chin</th><td>0.5</td><td>1.0 mm</td>' in page


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.MANAGER, Role.PATIENT])
def test_other_roles_cannot_record_zones(client_for, role):
    plan = planned_plan(areas=["face"])
    session = prepared_session(plan=plan)
    lot = usable_lot(plan)
    response = client_for(role).post(
        reverse("treatments:session_application", args=[session.pk]),
        _zones(lot, {"chin": ("0.2", "1.0")}),
    )
    assert response.status_code in (403, 404)
    _unchanged(session)


def test_anonymous_is_sent_to_login(client):
    session = prepared_session(plan=planned_plan(areas=["face"]))
    response = client.post(reverse("treatments:session_application", args=[session.pk]), {})
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]
    _unchanged(session)
