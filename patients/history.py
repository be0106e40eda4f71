"""Which patient records have a readable history page, and who may read it."""

from clinic import history
from clinic.models import Role
from patients.access import get_patient
from patients.models import Consent, ConsentText, Patient

history.register(
    "patient",
    Patient,
    roles=(Role.DERMATOLOGIST,),
    get_object=lambda request, pk: get_patient(request.user, pk),
)
history.register("consent", Consent, roles=(Role.DERMATOLOGIST,))
history.register("consent-text", ConsentText, roles=(Role.DERMATOLOGIST, Role.MANAGER))
