"""Who may open the access report: the clinic manager only (it names patients, not their care)."""

from tests.url_expectations import MANAGER, Case

CASES = {
    "audit:report": Case(allowed=MANAGER),
    "audit:report_csv": Case(allowed=MANAGER),
}
