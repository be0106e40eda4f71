from django.apps import AppConfig


class InteropConfig(AppConfig):
    """Handing the record to other systems: FHIR R4 (R4B) resources, bundles and bulk export."""

    name = "interop"
    verbose_name = "FHIR export"
