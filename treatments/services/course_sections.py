"""The "courses" sections of the homes: the dermatologist's, the front desk's and the patient's.

Providers of clinic.home (``provider(request) -> dict``, the section's template context),
registered in treatments/apps.py. Each runs a fixed number of queries.
"""

from django.utils import timezone

from treatments.services import course


def dermatologist_courses_section(request) -> dict:
    """The dermatologist's courses whose next step is theirs."""
    rows = course.courses_waiting_on(request.user, now=timezone.now(), tz=request.clinic.zone)
    return {"rows": rows}


def courses_to_book_section(request) -> dict:
    """The courses with sessions the front desk still has to book."""
    return {"rows": course.courses_to_book()}


def patient_courses_section(request) -> dict:
    """The patient's own courses."""
    return {"plans": course.patient_courses(request.user)}
