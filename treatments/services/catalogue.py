"""What the catalogue adds to other pages: the regulatory status of the products a patient may
receive, under the treatment consent (docs/clinical-rules.md §Approval status)."""

from clinic.models import ClinicSettings
from patients import consent_notices
from patients.models import ConsentKind
from treatments.models import PlanState, Product


def product_status_notice(patient, kind) -> consent_notices.Notice | None:
    """The products of the patient's plans (every product the clinic may use while they have
    none) with their regulatory status; one query."""
    if kind != ConsentKind.TREATMENT:
        return None
    live = [state for state in PlanState if state != PlanState.CANCELLED]
    planned = list(Product.objects.filter(plans__patient=patient, plans__state__in=live).distinct())
    products = planned or list(Product.objects.allowed_by(ClinicSettings.load().policy))
    if not products:
        return None
    return consent_notices.Notice(
        key="product-status",
        title="The products' approval status",
        template="treatments/catalogue/_consent_product_status.html",
        context={"products": products, "planned": bool(planned)},
    )
