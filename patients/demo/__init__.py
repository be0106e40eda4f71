"""The patients app's demo data: the demo clinic's patients, screens, consents and assessments."""

from patients.demo.patients import seed

__all__ = ["seed"]
