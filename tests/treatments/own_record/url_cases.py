"""Who may open "My record": patients, each only their own (a login without a record gets 404)."""

from clinic.models import Role
from tests.url_expectations import PATIENT, Case

# The permission test's patient user has no patient record: 404, never someone else's record (the
# 200 is tested in test_my_record).
NO_PATIENT_RECORD = {Role.PATIENT: 404}

CASES = {
    "treatments:my_record": Case(allowed=PATIENT, per_role=NO_PATIENT_RECORD),
    "treatments:my_record_print": Case(allowed=PATIENT, per_role=NO_PATIENT_RECORD),
    "treatments:my_record_fhir": Case(allowed=PATIENT, per_role=NO_PATIENT_RECORD),
}
