from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"

    def ready(self):
        # Chart timeline providers and history kinds register themselves on import.
        from patients import chart, history  # noqa: F401
