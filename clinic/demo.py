"""The demo clinic's people, rooms and hours. Run through `manage.py seed_demo`.

Everything is keyed on a natural key (email, room name, weekday) so that running
it again changes nothing that is already there.
"""

import base64
import datetime as dt

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import (
    AppointmentType,
    ClinicSettings,
    OpeningHours,
    Role,
    Room,
    StaffProfile,
    User,
    WorkingHours,
)

DEMO_PASSWORD = "exoclinic-demo"  # noqa: S105 - published in the README for the demo only
# Each demo staff login's authenticator secret (base32, as apps and `oathtool --totp -b` take
# it), published in the README beside the password, so the demo logs in with any app. Only
# seed_demo sets them, and it runs only with DEBUG on.
DEMO_TOTP_SECRETS = {
    "derm@demo.clinic": "JZWDTRBDIRKXCYZBPOEB5PRPYNMMF7GJ",
    "derm2@demo.clinic": "BZPONXARZPC5V65YUVCSAH57YWL7TPBL",
    "desk@demo.clinic": "6HNKHTMDMA5QY5BKGSV34JYEIWX36SE7",
    "manager@demo.clinic": "7WMSNNMSHCK7ZAMTLTAFVLC5UMLGHBSE",
}

# (email, first, last, role, staff profile fields or None)
DEMO_PEOPLE = [
    (
        "derm@demo.clinic",
        "Amelia",
        "Hart",
        Role.DERMATOLOGIST,
        {
            "title": "Dr",
            "job_title": "Consultant dermatologist",
            "professional_registration": "GMC 7012345",
            "is_practitioner": True,
        },
    ),
    (
        "derm2@demo.clinic",
        "Rohan",
        "Mehta",
        Role.DERMATOLOGIST,
        {
            "title": "Dr",
            "job_title": "Dermatologist",
            "professional_registration": "GMC 7054321",
            "is_practitioner": True,
        },
    ),
    ("desk@demo.clinic", "Sam", "Taylor", Role.FRONT_DESK, {"job_title": "Receptionist"}),
    ("manager@demo.clinic", "Jordan", "Blake", Role.MANAGER, {"job_title": "Clinic manager"}),
    ("patient@demo.clinic", "Olivia", "Bennett", Role.PATIENT, None),
]

ALL_ROUTES = ["topical", "transdermal", "microneedling", "laser_assisted"]
DEMO_ROOMS = [
    ("Consultation 1", Room.Kind.CONSULTATION, []),
    ("Treatment room A", Room.Kind.PROCEDURE, ALL_ROUTES),
    ("Treatment room B", Room.Kind.PROCEDURE, ["topical", "transdermal", "microneedling"]),
]

# name, kind, route, minutes, turnover minutes
DEMO_TYPES = [
    ("Consultation and skin assessment", "consultation", "", 45, 10),
    ("Topical exosome session", "treatment", "topical", 45, 10),
    ("Transdermal exosome session", "treatment", "transdermal", 45, 10),
    ("Microneedling with exosomes", "treatment", "microneedling", 75, 20),
    ("Laser-assisted exosome infusion", "treatment", "laser_assisted", 75, 20),
    ("Follow-up review", "follow_up", "", 20, 5),
]

# email -> weekday -> spans of local time
DEMO_WORKING_HOURS = {
    "derm@demo.clinic": {d: [(dt.time(9), dt.time(17))] for d in range(5)},
    "derm2@demo.clinic": {
        1: [(dt.time(9), dt.time(13)), (dt.time(14), dt.time(19))],
        2: [(dt.time(12), dt.time(20))],
        3: [(dt.time(9), dt.time(13)), (dt.time(14), dt.time(18))],
        5: [(dt.time(10), dt.time(14))],
    },
}

# weekday -> (opens, closes) or None when closed
DEMO_HOURS = {
    0: (dt.time(9), dt.time(18)),
    1: (dt.time(9), dt.time(18)),
    2: (dt.time(9), dt.time(20)),
    3: (dt.time(9), dt.time(18)),
    4: (dt.time(9), dt.time(17)),
    5: (dt.time(10), dt.time(14)),
    6: None,
}


def seed() -> list[tuple[str, str]]:
    """Create the demo clinic; return the logins as (email, role label)."""
    clinic = ClinicSettings.load()
    if clinic.name == "Exoclinic":
        clinic.name = "Exoclinic Demo Clinic"
        clinic.address = "12 Example Street\nLondon W1A 0AX"
        clinic.phone = "020 7946 0000"
        clinic.email = "hello@demo.clinic"
        # The demo clinic sends the optional same-day reminder, so the outbox shows one.
        clinic.same_day_reminder_at = dt.time(8, 0)
        clinic.save()
    for weekday, hours in DEMO_HOURS.items():
        defaults = {"closed": True} if hours is None else {"opens": hours[0], "closes": hours[1]}
        OpeningHours.objects.get_or_create(clinic=clinic, weekday=weekday, defaults=defaults)
    for name, kind, routes in DEMO_ROOMS:
        Room.objects.get_or_create(name=name, defaults={"kind": kind, "routes": routes})
    for name, kind, route, minutes, buffer in DEMO_TYPES:
        AppointmentType.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "route": route,
                "duration_minutes": minutes,
                "buffer_minutes": buffer,
            },
        )

    logins = []
    for email, first, last, role, profile in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "is_staff": role == Role.MANAGER},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        if profile is not None:
            staff, _ = StaffProfile.objects.get_or_create(user=user, defaults=profile)
            if not staff.working_hours.exists():
                for weekday, spans in DEMO_WORKING_HOURS.get(email, {}).items():
                    for starts, ends in spans:
                        WorkingHours.objects.create(
                            staff=staff, weekday=weekday, starts=starts, ends=ends
                        )
        secret = DEMO_TOTP_SECRETS.get(email)
        if secret and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(
                user=user,
                name="Authenticator app",
                key=base64.b32decode(secret).hex(),
                confirmed=True,
            )
        logins.append((email, role.label))
    return logins
