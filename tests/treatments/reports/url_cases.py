"""Who may open the reports: the clinical ones for dermatologists and the manager, utilisation
and attendance for the manager; the desk and patients none."""

from tests.url_expectations import DERM_AND_MANAGER, MANAGER, Case

CLINICAL = ("outcomes", "courses", "adverse_events", "stock")
MANAGEMENT = ("utilisation", "attendance")

CASES = {"treatments:reports": Case(allowed=DERM_AND_MANAGER)}
for name in CLINICAL:
    CASES[f"treatments:report_{name}"] = Case(allowed=DERM_AND_MANAGER)
    CASES[f"treatments:report_{name}_csv"] = Case(allowed=DERM_AND_MANAGER)
for name in MANAGEMENT:
    CASES[f"treatments:report_{name}"] = Case(allowed=MANAGER)
    CASES[f"treatments:report_{name}_csv"] = Case(allowed=MANAGER)
