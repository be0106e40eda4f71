"""Who may open the treatments pages.

Plans are clinical: dermatologists only (the desk sees plans on the chart timeline). The product
list, lots and lot recall are for dermatologists and the clinic manager.
"""

from tests.factories import LotFactory, PlanFactory, melasma_v
from tests.url_expectations import DERM, DERM_AND_MANAGER, Case


def _assessment(request):
    return {"assessment_pk": melasma_v().pk}


def _plan(request):
    return {"pk": PlanFactory().pk}


def _lot(request):
    return {"pk": LotFactory().pk}


CASES = {
    "treatments:plan_new": Case(allowed=DERM, kwargs=_assessment),
    "treatments:plan_recommendation": Case(allowed=DERM, kwargs=_assessment, method="post"),
    "treatments:plan_detail": Case(allowed=DERM, kwargs=_plan),
    "treatments:plan_edit": Case(allowed=DERM, kwargs=_plan),
    # A cancel without a reason: the page again with the message at the field.
    "treatments:plan_transition": Case(
        allowed=DERM, kwargs=_plan, method="post", data={"to": "cancelled", "reason": ""}
    ),
    "treatments:product_list": Case(allowed=DERM_AND_MANAGER),
    "treatments:lot_list": Case(allowed=DERM_AND_MANAGER),
    "treatments:lot_recall": Case(allowed=DERM_AND_MANAGER, kwargs=_lot),
    "treatments:lot_recall_csv": Case(allowed=DERM_AND_MANAGER, kwargs=_lot),
    # A withdrawal without a reason: the page again with the message at the field.
    "treatments:lot_withdraw": Case(allowed=DERM_AND_MANAGER, kwargs=_lot, method="post"),
}
