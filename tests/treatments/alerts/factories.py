from django.utils import timezone

from clinic.models import Role
from tests.factories import PatientFactory, UserFactory
from treatments.models import ClinicalAlert


def alert(**fields) -> ClinicalAlert:
    values = {
        "reason": "Olivia Bennett reports severe swelling 2 days after the microneedling session",
        "urgency": "urgent",
        "source": "skin_report",
        "raised_at": timezone.now(),
        **fields,
    }
    if "patient" not in values:
        values["patient"] = PatientFactory()
    if "responsible" not in values:
        values["responsible"] = UserFactory(role=Role.DERMATOLOGIST)
    return ClinicalAlert.objects.create(**values)
