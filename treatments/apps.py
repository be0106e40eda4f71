from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"

    def ready(self):
        from clinic import history
        from clinic.models import Role
        from patients import timeline
        from treatments.models import Lot, Product, TreatmentPlan
        from treatments.timeline import plan_entries

        if plan_entries not in timeline.PROVIDERS:
            timeline.register(plan_entries)
        history.register("plan", TreatmentPlan, roles=(Role.DERMATOLOGIST,))
        catalogue = (Role.DERMATOLOGIST, Role.MANAGER)
        history.register("product", Product, roles=catalogue)
        history.register("lot", Lot, roles=catalogue)

        # The feature modules register their home sections, chart timeline entries and panels,
        # and lot recall sources on import: import them at start-up, not only when URLs load.
