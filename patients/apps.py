from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"

    def ready(self):
        """Wire what patients contribute to shared pages: chart timeline entries and history."""
        from clinic import history, home
        from clinic.access import CLINICAL_READERS, CLINICIANS
        from clinic.models import Role
        from patients import access, chart, sections, timeline
        from patients.models import Assessment, Consent, ConsentText, Patient

        for provider in (chart.screen_entries, chart.consent_entries, chart.assessment_entries):
            timeline.register(provider)
        for kind, model, roles, get_object in (
            ("patient", Patient, CLINICIANS, access.get_patient_for_user),
            ("assessment", Assessment, CLINICIANS, access.get_assessment_for_user),
            ("consent", Consent, CLINICIANS, access.get_consent_for_user),
            ("consent-text", ConsentText, CLINICAL_READERS, access.get_consent_text_for_user),
        ):
            history.register(kind, model, roles=roles, get_object=get_object)
        home.register(
            Role.DERMATOLOGIST,
            "merges",
            title="Records to merge",
            template="patients/sections/merges_waiting.html",
            order=40,
            width="col-lg-6",
        )(sections.merges_waiting_section)
