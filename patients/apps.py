from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"

    def ready(self):
        """Wire what patients contribute to shared pages: chart timeline entries and history."""
        from clinic import history, home
        from clinic.models import Role
        from patients import chart, sections, timeline
        from patients.access import get_patient
        from patients.models import Consent, ConsentText, Patient

        for provider in (chart.screen_entries, chart.consent_entries, chart.assessment_entries):
            timeline.register(provider)
        history.register(
            "patient",
            Patient,
            roles=(Role.DERMATOLOGIST,),
            get_object=lambda request, pk: get_patient(request.user, pk),
        )
        history.register("consent", Consent, roles=(Role.DERMATOLOGIST,))
        history.register("consent-text", ConsentText, roles=(Role.DERMATOLOGIST, Role.MANAGER))
        home.register(
            Role.DERMATOLOGIST,
            "merges",
            title="Records to merge",
            template="patients/sections/merges_waiting.html",
            order=40,
            width="col-lg-6",
        )(sections.merges_waiting_section)
