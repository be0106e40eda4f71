"""Thirty demo patients with screens, consents, skin assessments and a few photos.

Called by `manage.py seed_demo` after the clinic's people exist. Each patient is keyed
on their demo email, so a second run adds nothing. Photos are generated pictures
labelled "demo photo", never real people.
"""

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from clinic.models import User
from patients.models import Assessment, AssessmentConcern, Consent, ConsentText, Patient, Screen
from patients.services.assessments import photo_add

TREATMENT_CONSENT = (
    "Exosome skin treatment",
    "I have been told what exosome skin treatment involves: the route my dermatologist has "
    "chosen (topical, transdermal, microneedling or laser-assisted infusion; never injection), "
    "the expected short-term effects (mild redness, warmth, swelling, itching, tenderness), and "
    "that results build over several weeks to months. I know that no exosome product is "
    "approved by the FDA or the MHRA. I have answered the medical questions truthfully and will "
    "tell the clinic if anything changes. I may withdraw this consent at any time.",
)
PHOTO_CONSENT = (
    "Clinical photographs",
    "I agree that the clinic takes photographs of the treated areas for my clinical record, to "
    "compare before and after. They are kept securely, seen only by my clinicians, and never "
    "used for marketing without my separate written agreement. I may withdraw this consent at "
    "any time; photos already taken stay in my record.",
)

# first, last, dob, sex, fitzpatrick, skin type, concerns [(concern, severity, areas)], screen facts
PEOPLE = [
    (
        "Olivia",
        "Bennett",
        "1988-04-12",
        "female",
        5,
        "combination",
        [("melasma", 3, ["face"]), ("hyperpigmentation", 2, ["face"])],
        {},
    ),
    (
        "Amara",
        "Okafor",
        "1991-09-03",
        "female",
        6,
        "oily",
        [("acne_scars", 3, ["face"]), ("enlarged_pores", 2, ["face"])],
        {},
    ),
    (
        "James",
        "Whitfield",
        "1969-01-22",
        "male",
        2,
        "normal",
        [("fine_lines", 3, ["face", "periorbital"]), ("laxity", 2, ["neck"])],
        {"anticoagulant": True},
    ),
    (
        "Sofia",
        "Rossi",
        "1984-06-30",
        "female",
        3,
        "sensitive",
        [("redness", 3, ["face"])],
        {"inflammatory_flare_areas": ["face"]},
    ),
    (
        "Priya",
        "Sharma",
        "1993-02-14",
        "female",
        4,
        "combination",
        [("melasma", 2, ["face"]), ("uneven_tone", 2, ["face"])],
        {"active_infection_areas": ["face"]},
    ),
    (
        "Hannah",
        "Clarke",
        "1990-11-05",
        "female",
        2,
        "dry",
        [("dehydration", 2, ["face"]), ("fine_lines", 1, ["periorbital"])],
        {"pregnant_or_breastfeeding": True},
    ),
    (
        "Mei",
        "Chen",
        "1987-03-18",
        "female",
        3,
        "normal",
        [("texture", 2, ["face"]), ("enlarged_pores", 2, ["face"])],
        {"allergens": ["fish"]},
    ),
    ("Daniel", "Murphy", "1979-08-09", "male", 2, "oily", [("hair_thinning", 3, ["scalp"])], {}),
    (
        "Leila",
        "Haddad",
        "1995-12-01",
        "female",
        4,
        "oily",
        [("acne", 2, ["face"]), ("acne_scars", 2, ["face"])],
        {"isotretinoin_last_taken": -90},
    ),
    (
        "Grace",
        "Thompson",
        "1962-05-27",
        "female",
        1,
        "dry",
        [
            ("fine_lines", 3, ["face"]),
            ("laxity", 3, ["face", "neck"]),
            ("hyperpigmentation", 1, ["hands"]),
        ],
        {},
    ),
    (
        "Tomasz",
        "Nowak",
        "1985-10-10",
        "male",
        2,
        "normal",
        [("acne_scars", 2, ["face"])],
        {"keloid_history": True},
    ),
    (
        "Aisha",
        "Rahman",
        "1998-07-07",
        "female",
        5,
        "combination",
        [("hyperpigmentation", 3, ["face"]), ("uneven_tone", 2, ["face"])],
        {},
    ),
    (
        "Lucy",
        "Evans",
        "1975-04-02",
        "female",
        2,
        "sensitive",
        [("eczema", 2, ["hands"]), ("dehydration", 2, ["hands"])],
        {},
    ),
    (
        "Marcus",
        "Reid",
        "1983-01-15",
        "male",
        6,
        "oily",
        [("texture", 2, ["face"]), ("enlarged_pores", 3, ["face"])],
        {},
    ),
    (
        "Chloe",
        "Martin",
        "1992-09-21",
        "female",
        2,
        "normal",
        [("dark_circles", 2, ["periorbital"])],
        {},
    ),
    (
        "Fatima",
        "Ali",
        "1989-02-28",
        "female",
        4,
        "combination",
        [("melasma", 3, ["face"])],
        {"last_sunburn_or_tan": -7},
    ),
    (
        "Ella",
        "Walker",
        "1970-12-12",
        "female",
        2,
        "dry",
        [("fine_lines", 2, ["face", "decolletage"]), ("laxity", 2, ["decolletage"])],
        {},
    ),
    (
        "Noah",
        "Green",
        "1996-06-06",
        "male",
        3,
        "oily",
        [("acne", 3, ["face"])],
        {"inflammatory_flare_areas": ["face"]},
    ),
    (
        "Isabella",
        "Costa",
        "1981-03-09",
        "female",
        3,
        "normal",
        [("texture", 2, ["face"]), ("fine_lines", 2, ["face"])],
        {"last_peel_or_laser": -5},
    ),
    (
        "Yusuf",
        "Demir",
        "1977-11-19",
        "male",
        4,
        "normal",
        [("hair_thinning", 2, ["scalp"])],
        {"immunosuppressed": True},
    ),
    (
        "Ruth",
        "Adeyemi",
        "1966-08-25",
        "female",
        6,
        "dry",
        [("uneven_tone", 2, ["face"]), ("fine_lines", 2, ["face"])],
        {},
    ),
    (
        "Emily",
        "Hughes",
        "1994-05-16",
        "female",
        1,
        "sensitive",
        [("redness", 2, ["face"]), ("dehydration", 1, ["face"])],
        {},
    ),
    (
        "Oliver",
        "Wright",
        "1988-10-30",
        "male",
        2,
        "normal",
        [("acne_scars", 3, ["face"])],
        {"bleeding_disorder": True},
    ),
    (
        "Zara",
        "Hussain",
        "1999-01-08",
        "female",
        5,
        "oily",
        [("acne", 1, ["face"]), ("hyperpigmentation", 2, ["face"])],
        {},
    ),
    (
        "Charlotte",
        "King",
        "1973-07-13",
        "female",
        2,
        "combination",
        [("fine_lines", 2, ["periorbital"]), ("dark_circles", 2, ["periorbital"])],
        {},
    ),
    (
        "Ben",
        "Carter",
        "1990-03-03",
        "male",
        3,
        "normal",
        [("texture", 1, ["face"])],
        {"lesion_areas": ["neck"]},
    ),
    (
        "Nadia",
        "Ivanova",
        "1986-12-24",
        "female",
        2,
        "dry",
        [("psoriasis", 2, ["scalp"])],
        {"inflammatory_flare_areas": ["scalp"]},
    ),
    (
        "Sam",
        "Patel",
        "1982-04-19",
        "male",
        4,
        "oily",
        [("enlarged_pores", 2, ["face"]), ("acne_scars", 1, ["face"])],
        {"antiplatelet": True},
    ),
    (
        "Maya",
        "Levi",
        "1997-08-01",
        "female",
        3,
        "combination",
        [("uneven_tone", 1, ["face"]), ("dehydration", 2, ["face"])],
        {"uncontrolled_diabetes": True},
    ),
    (
        "Harriet",
        "Lowe",
        "1958-02-11",
        "female",
        1,
        "dry",
        [("laxity", 3, ["face", "neck"]), ("fine_lines", 4, ["face"])],
        {},
    ),
]

# The demo patient login sees the first person's portal.
PORTAL_EMAIL = "patient@demo.clinic"
# Patients whose assessment gets two demo photos.
DUPLICATE_EMAIL = "olivia.b.walkin@example.test"
WITH_PHOTOS = {"Olivia Bennett", "Amara Okafor", "Grace Thompson"}
# One revoked photo consent and one patient with no consent yet, so both states show.
PHOTO_CONSENT_REVOKED = {"Tomasz Nowak"}
NO_CONSENT = {"Ben Carter"}


#: The face chart's zones of some demo concerns (docs/clinical-rules.md §Treated zones > Zones):
#: Olivia Bennett's melasma in its usual centrofacial pattern.
CONCERN_ZONES: dict[str, dict[str, list[str]]] = {
    "olivia.bennett@patients.demo.clinic": {
        "melasma": ["forehead", "cheek_left", "cheek_right"],
        "hyperpigmentation": ["cheek_left", "cheek_right", "chin"],
    },
    "daniel.murphy@patients.demo.clinic": {"hair_thinning": ["scalp_crown", "scalp_vertex"]},
}


def _email(first: str, last: str) -> str:
    return f"{first}.{last}@patients.demo.clinic".lower()


def _screen_facts(raw: dict, today: dt.date) -> dict:
    """Day offsets (negative ints) become dates relative to today, so windows stay current."""
    return {
        key: today + dt.timedelta(days=value)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
        for key, value in raw.items()
    }


def _demo_picture(label: str, seed: int) -> SimpleUploadedFile:
    rng = random.Random(seed)  # noqa: S311 - picture colours, not secrets
    base = (rng.randint(170, 220), rng.randint(130, 175), rng.randint(110, 150))
    image = Image.new("RGB", (640, 800), base)
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, r = rng.randint(0, 640), rng.randint(0, 800), rng.randint(3, 14)
        shade = tuple(max(0, c - rng.randint(20, 50)) for c in base)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    draw.rectangle((0, 0, 640, 48), fill=(255, 255, 255))
    draw.text((16, 16), f"DEMO PHOTO - {label}", fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed(stdout) -> None:
    derm = User.objects.get(email="derm@demo.clinic")
    desk = User.objects.get(email="desk@demo.clinic")
    manager = User.objects.get(email="manager@demo.clinic")
    texts = {}
    for kind, (title, body) in (("treatment", TREATMENT_CONSENT), ("photo", PHOTO_CONSENT)):
        texts[kind] = ConsentText.current(kind) or ConsentText.objects.create(
            kind=kind, title=title, body=body, created_by=manager
        )

    today = timezone.localdate()
    created = 0
    for index, (first, last, dob, sex, fitz, skin, concerns, facts) in enumerate(PEOPLE):
        email = _email(first, last)
        if Patient.objects.filter(email=email).exists():
            continue
        created += 1
        patient = Patient.objects.create(
            first_name=first,
            last_name=last,
            date_of_birth=dt.date.fromisoformat(dob),
            sex=sex,
            email=email,
            mobile=f"+4479111{index:05d}",
            address=f"{10 + index} Demo Road\nLondon",
            preferred_language="en",
        )
        if index == 0:
            patient.user = User.objects.get(email=PORTAL_EMAIL)
            patient.save(update_fields=["user"])
        seen_on = today - dt.timedelta(days=30 + index)
        Screen.objects.create(
            patient=patient,
            author=derm,
            screened_on=seen_on,
            current_medications="Warfarin 5 mg daily" if facts.get("anticoagulant") else "",
            **_screen_facts(facts, today),
        )
        name = patient.full_name
        if name not in NO_CONSENT:
            for kind in ("treatment", "photo"):
                consent = Consent.objects.create(
                    patient=patient,
                    text=texts[kind],
                    signed_name=name,
                    agreed=True,
                    witnessed_by=desk,
                )
                if kind == "photo" and name in PHOTO_CONSENT_REVOKED:
                    consent.revoked_at = timezone.now()
                    consent.revoked_by = desk
                    consent.revocation_reason = "Prefers no photographs."
                    consent.save()
        assessment = Assessment.objects.create(
            patient=patient,
            author=derm,
            assessed_on=seen_on,
            fitzpatrick=fitz,
            skin_type=skin,
            goals="Even out my skin and feel confident without make-up.",
            notes="Demo assessment.",
        )
        for concern, severity, areas in concerns:
            AssessmentConcern.objects.create(
                assessment=assessment,
                concern=concern,
                severity=severity,
                areas=areas,
                zones=CONCERN_ZONES.get(email, {}).get(concern, []),
            )
        if any(c[0] == "melasma" for c in concerns):
            regions = {
                "forehead": {"area": 2, "darkness": 2, "homogeneity": 2},
                "right_malar": {"area": 3, "darkness": 3, "homogeneity": 2},
                "left_malar": {"area": 3, "darkness": 2, "homogeneity": 2},
                "chin": {"area": 1, "darkness": 1, "homogeneity": 1},
            }
            from clinic.lib.scores import RegionScore, masi

            assessment.masi = masi(regions={k: RegionScore(**v) for k, v in regions.items()})
            assessment.masi_regions = regions
            assessment.save(update_fields=["masi", "masi_regions"])
        if name in WITH_PHOTOS:
            for view in ("front", "left_45"):
                photo = photo_add(
                    patient=patient,
                    assessment=assessment,
                    uploaded_by=derm,
                    view=view,
                    area="face",
                    upload=_demo_picture(f"{name}, {view}", seed=index * 10 + len(view)),
                )
                # Taken at the assessment, so "before" in the progress panel shows its date.
                photo.taken_on = seen_on
                photo.save(update_fields=["taken_on"])
    stdout.write(f"Demo patients: {created} added, {len(PEOPLE) - created} already there.")
    _seed_duplicate(stdout)


def _seed_duplicate(stdout) -> None:
    """A second record of Olivia, typed with one letter off at a walk-in, for the desk to merge."""
    olivia = Patient.objects.filter(email=_email("Olivia", "Bennett")).first()
    if olivia is None or Patient.objects.filter(email=DUPLICATE_EMAIL).exists():
        return
    Patient.objects.create(
        first_name="Olivia",
        last_name="Benett",
        date_of_birth=olivia.date_of_birth,
        sex=olivia.sex,
        email=DUPLICATE_EMAIL,
        desk_notes="Registered at a walk-in; may be a second record of Olivia Bennett.",
    )
    stdout.write("Demo duplicate: Olivia Benett, a second record of Olivia Bennett to merge.")
