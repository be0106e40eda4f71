from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Access log"

    def ready(self):
        """The chart's "who has opened this" panel, for dermatologists."""
        from audit import panels as audit_panels
        from patients import panels

        panels.register(audit_panels.who_opened_panel)
