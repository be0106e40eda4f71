"""The treatments app's demo data, loaded by ``seed_demo`` after the patients' demo.

Each step is idempotent and builds on the one before: the catalogue and plans, then the booked
schedule, the recorded sessions, what patients sent from the portal, texts and alerts, the
follow-ups, a session a patient booked herself, the waitlist with a live offer, and the clinic's
earlier courses that the reports read.
"""

from treatments.demo import (
    contact,
    followups,
    plans,
    portal,
    portal_booking,
    reports,
    scheduling,
    sessions,
    waitlist,
)


def seed(stdout) -> None:
    plans.seed(stdout)
    scheduling.seed(stdout)
    sessions.seed(stdout)
    portal.seed(stdout)
    contact.seed(stdout)
    followups.seed(stdout)
    portal_booking.seed(stdout)
    waitlist.seed(stdout)
    reports.seed(stdout)
