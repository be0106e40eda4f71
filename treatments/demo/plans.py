"""Demo products, lots and treatment plans, loaded by `manage.py seed_demo` after the patients.

Products carry made-up brand names marked "(demo)". There is one product of each source (the
human-derived one is blocked by the default policy), lots that are usable, one expired and one
nearly empty, and a plan in every state. Plans go through the same services as the plan page, so
every demo plan obeys the clinical rules.

Idempotent: products are keyed on name, lots on (product, lot number), patients on email and
plans on (patient, route). The patients come from patients.demo.patients when it made them; any
that are missing are created here with the same details, so this module also works alone.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.models import ClinicSettings, User
from patients.demo.patients import CONCERN_ZONES
from patients.models import Assessment, AssessmentConcern, Patient, Screen
from treatments.models import Lot, PlanState, Product, TreatmentPlan
from treatments.services import plans as plan_services
from treatments.services.recommendation import Choice, plan_context

DEMO_NOTE = "Demo product: a made-up brand for the demo clinic, not a real product."

PRODUCTS = [
    {
        "name": "Rosa Vesicle Serum (demo)",
        "manufacturer": "Botanica Labs (demo)",
        "source": "plant",
        "form": "serum",
        "isolation_method": "tff",
        "gmp_certified": True,
        "gmp_certificate": "GMP-DEMO-0001",
        "storage": "2–8 °C, away from light",
        "routes": ["topical", "transdermal", "microneedling"],
        "allergens": [],
    },
    {
        "name": "SalmoGen E-50 (demo)",
        "manufacturer": "Nordic Marine Bio (demo)",
        "source": "animal",
        "species": "salmon",
        "form": "lyophilised",
        "isolation_method": "sec",
        "gmp_certified": True,
        "gmp_certificate": "GMP-DEMO-0002",
        "storage": "Below 25 °C, dry; use within 1 hour of reconstitution",
        "routes": ["microneedling", "laser_assisted"],
        "allergens": ["fish"],
    },
    {
        "name": "SynthEx Barrier Cream (demo)",
        "manufacturer": "Exo Synthetics (demo)",
        "source": "synthetic",
        "form": "cream",
        "isolation_method": "sec",
        "gmp_certified": False,
        "storage": "Room temperature",
        "routes": ["topical", "transdermal"],
        "allergens": ["preservatives"],
    },
    {
        "name": "MSC-Exo Lyophilisate (demo)",
        "manufacturer": "CellSource Biotech (demo)",
        "source": "human",
        "form": "lyophilised",
        "isolation_method": "tff",
        "gmp_certified": True,
        "gmp_certificate": "GMP-DEMO-0003",
        "storage": "-20 °C",
        "routes": ["transdermal", "microneedling", "laser_assisted"],
        "allergens": [],
        "notes": "Human mesenchymal stem-cell derived. " + DEMO_NOTE,
    },
]

# product name, lot number, days to expiry (negative: expired), received, remaining, unit
LOTS = [
    ("Rosa Vesicle Serum (demo)", "RV-2401", 300, 20, 14, "vial"),
    ("Rosa Vesicle Serum (demo)", "RV-2312", -30, 20, 3, "vial"),  # expired
    ("SalmoGen E-50 (demo)", "SG-118", 200, 10, 1, "vial"),  # nearly empty
    ("SalmoGen E-50 (demo)", "SG-121", 400, 10, 10, "vial"),
    ("SynthEx Barrier Cream (demo)", "SX-77", 500, 12, 12, "jar"),
    ("MSC-Exo Lyophilisate (demo)", "MSC-5", 250, 5, 5, "vial"),
]

# The patients the plans are for, as patients.demo makes them (and as made here if missing):
# first, last, date of birth, Fitzpatrick, skin type, concerns, screen answers.
PATIENTS = {
    "olivia.bennett@patients.demo.clinic": (
        "Olivia", "Bennett", "1988-04-12", 5, "combination",
        [("melasma", 3, ["face"]), ("hyperpigmentation", 2, ["face"])], {},
    ),
    "amara.okafor@patients.demo.clinic": (
        "Amara", "Okafor", "1991-09-03", 6, "oily",
        [("acne_scars", 3, ["face"]), ("enlarged_pores", 2, ["face"])], {},
    ),
    "daniel.murphy@patients.demo.clinic": (
        "Daniel", "Murphy", "1979-08-09", 2, "oily", [("hair_thinning", 3, ["scalp"])], {},
    ),
    "grace.thompson@patients.demo.clinic": (
        "Grace", "Thompson", "1962-05-27", 1, "dry",
        [("fine_lines", 3, ["face"]), ("laxity", 3, ["face", "neck"])], {},
    ),
    "mei.chen@patients.demo.clinic": (
        "Mei", "Chen", "1987-03-18", 3, "normal",
        [("texture", 2, ["face"]), ("enlarged_pores", 2, ["face"])], {"allergens": ["fish"]},
    ),
    "sofia.rossi@patients.demo.clinic": (
        "Sofia", "Rossi", "1984-06-30", 3, "sensitive",
        [("redness", 3, ["face"])], {"inflammatory_flare_areas": ["face"]},
    ),
    "aisha.rahman@patients.demo.clinic": (
        "Aisha", "Rahman", "1998-07-07", 5, "combination",
        [("hyperpigmentation", 3, ["face"]), ("uneven_tone", 2, ["face"])], {},
    ),
}  # fmt: skip

# patient email, route, product, areas, depths, sessions, interval days, justification,
# the states the plan goes through after being saved as a draft, the reason for cancelling.
# A plan goes into treatment only when its first session record is completed: the courses under
# way (Amara Okafor, Daniel Murphy, Grace Thompson) stay planned here, and treatments.demo.sessions
# records their sessions and moves them on from there.
PLANS = [
    ("mei.chen@patients.demo.clinic", "transdermal", "Rosa Vesicle Serum (demo)",
     ["face"], {}, 5, 21, "", [], ""),
    ("olivia.bennett@patients.demo.clinic", "microneedling", "SalmoGen E-50 (demo)",
     ["face"], {"face": "1.0"}, 4, 42, "", [PlanState.PLANNED], ""),
    ("amara.okafor@patients.demo.clinic", "microneedling", "Rosa Vesicle Serum (demo)",
     ["face"], {"face": "1.5"}, 5, 35, "", [PlanState.PLANNED], ""),
    ("daniel.murphy@patients.demo.clinic", "microneedling", "Rosa Vesicle Serum (demo)",
     ["scalp"], {"scalp": "1.0"}, 6, 28, "", [PlanState.PLANNED], ""),
    ("grace.thompson@patients.demo.clinic", "microneedling", "Rosa Vesicle Serum (demo)",
     ["face", "neck"], {"face": "1.0", "neck": "0.5"}, 4, 42, "", [PlanState.PLANNED], ""),
    # Planned and not yet booked, so that the front desk can book its whole course; no later
    # demo step starts it, so a planned plan stays in the demo.
    ("aisha.rahman@patients.demo.clinic", "microneedling", "Rosa Vesicle Serum (demo)",
     ["face"], {"face": "1.0"}, 4, 42,
     "Dense, long-standing pigmentation on examination: deeper delivery is worth it (demo).",
     [PlanState.PLANNED], ""),
    ("sofia.rossi@patients.demo.clinic", "topical", "SynthEx Barrier Cream (demo)",
     ["face"], {}, 6, 14, "", [PlanState.PLANNED, PlanState.CANCELLED],
     "The patient is moving abroad and will continue with home care (demo)."),
]  # fmt: skip


def _products() -> dict[str, Product]:
    products = {}
    for spec in PRODUCTS:
        defaults = {"notes": DEMO_NOTE, **{k: v for k, v in spec.items() if k != "name"}}
        products[spec["name"]], _ = Product.objects.get_or_create(
            name=spec["name"], defaults=defaults
        )
    return products


def _lots(products: dict[str, Product], today: dt.date) -> None:
    for name, number, days, received, remaining, unit in LOTS:
        Lot.objects.get_or_create(
            product=products[name],
            lot_number=number,
            defaults={
                "expiry_date": today + dt.timedelta(days=days),
                "received_on": today - dt.timedelta(days=60),
                "quantity_received": Decimal(received),
                "quantity_remaining": Decimal(remaining),
                "unit": unit,
            },
        )


def _patient(email: str, derm: User, today: dt.date) -> Assessment:
    """The patient's latest assessment, creating the patient, screen and assessment if missing."""
    first, last, dob, fitzpatrick, skin, concerns, facts = PATIENTS[email]
    patient, _ = Patient.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first,
            "last_name": last,
            "date_of_birth": dt.date.fromisoformat(dob),
            "sex": "female",
        },
    )
    if not patient.screens.exists():
        Screen.objects.create(patient=patient, author=derm, screened_on=today, **facts)
    assessment = patient.assessments.order_by("-assessed_on", "-created_at").first()
    if assessment is None:
        assessment = Assessment.objects.create(
            patient=patient, author=derm, fitzpatrick=fitzpatrick, skin_type=skin
        )
        zones = CONCERN_ZONES.get(email, {})
        for concern, severity, areas in concerns:
            AssessmentConcern.objects.create(
                assessment=assessment,
                concern=concern,
                severity=severity,
                areas=areas,
                zones=zones.get(concern, []),
            )
    return assessment


def seed(stdout) -> None:
    derm = User.objects.get(email="derm@demo.clinic")
    policy = ClinicSettings.load().policy
    today = timezone.localdate()
    products = _products()
    _lots(products, today)

    made = 0
    for email, route, product, areas, depths, sessions, interval, why, path, cancel in PLANS:
        assessment = _patient(email, derm, today)
        if TreatmentPlan.objects.filter(patient=assessment.patient, route=route).exists():
            continue
        ctx = plan_context(assessment, policy=policy, on=today)
        choice = Choice(
            route=route,
            product=products[product],
            areas=tuple(areas),
            depths={area: Decimal(depth) for area, depth in depths.items()},
            justification=why,
            state=PlanState.DRAFT,
        )
        try:
            with transaction.atomic():  # the whole plan, or none of it
                plan = plan_services.plan_create(
                    ctx=ctx, author=derm, choice=choice, sessions=sessions, interval_days=interval
                )
                for state in path:
                    reason = cancel if state == PlanState.CANCELLED else ""
                    plan = plan_services.plan_transition(
                        plan=plan, to=state, by=derm, reason=reason, policy=policy, on=today
                    )
        except ValidationError as exc:  # a refused transition too
            # The patient's demo record no longer suits this plan: say so rather than force it.
            stdout.write(f"  Demo plan for {email} skipped: {exc}")
            continue
        made += 1
    stdout.write(f"Treatments demo: {len(PRODUCTS)} products, {len(LOTS)} lots, {made} new plans.")
