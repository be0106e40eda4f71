"""The treatments app's demo data, loaded by ``seed_demo`` after the patients' demo.

Each step is idempotent and builds on the one before: the catalogue and plans, then the booked
schedule, the recorded sessions, what patients sent from the portal, the follow-ups, and a
session a patient booked herself.
"""

from treatments.demo import followups, plans, portal, portal_booking, scheduling, sessions


def seed(stdout) -> None:
    plans.seed(stdout)
    scheduling.seed(stdout)
    sessions.seed(stdout)
    portal.seed(stdout)
    followups.seed(stdout)
    portal_booking.seed(stdout)
