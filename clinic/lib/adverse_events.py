"""Serious adverse events and their reporting deadline (docs/clinical-rules.md §Serious adverse
events).

Plain Python, no database: which criteria make an event serious, and by when a serious event is
reported (15 business days, the US cosmetics rule, counted from the day the clinic knew it was
serious). Business days are Monday to Friday; public holidays are not counted out, so the
deadline shown is never later than the rule's.
"""

import datetime as dt

from django.db import models

#: docs/clinical-rules.md §Serious adverse events: "reported to the FDA within 15 business days".
REPORTING_BUSINESS_DAYS = 15

#: docs/clinical-rules.md §Serious adverse events: records kept 6 years.
RECORDS_KEPT_YEARS = 6


class SeriousCriterion(models.TextChoices):
    """What makes an event serious, in the rule's words (MedWatch 3500's outcome boxes)."""

    DEATH = "death", "Death"
    LIFE_THREATENING = "life_threatening", "Life-threatening"
    HOSPITALISATION = "hospitalisation", "Inpatient hospitalisation"
    DISABILITY = "disability", "Persistent or significant disability or incapacity"
    CONGENITAL_ANOMALY = "congenital_anomaly", "Congenital anomaly"
    INTERVENTION = "intervention", "Needed medical or surgical intervention to prevent one of these"
    DISFIGUREMENT = (
        "disfigurement",
        "Significant disfigurement (serious or persistent rash, second- or third-degree burn, "
        "significant hair loss, persistent alteration of appearance)",
    )


def is_serious(criteria) -> bool:
    """An event is serious when it meets at least one of the criteria."""
    return any(SeriousCriterion(value) for value in criteria)


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` business days (Monday to Friday) after ``start``."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def reporting_deadline(known_serious_on: dt.date) -> dt.date:
    """The last day to report a serious event the clinic knew was serious on that day."""
    return add_business_days(known_serious_on, REPORTING_BUSINESS_DAYS)


def business_days_left(deadline: dt.date, today: dt.date) -> int:
    """Business days from ``today`` to ``deadline``: 0 on the day itself, negative when late."""
    if today > deadline:
        return -_count(deadline, today)
    return _count(today, deadline)


def _count(start: dt.date, end: dt.date) -> int:
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days
