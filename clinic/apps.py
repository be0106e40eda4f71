from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from clinic import (
            checks,  # noqa: F401  (registers the deployment checks)
            session_limits,
        )
        from clinic.twofactor import middleware as two_factor

        user_logged_in.connect(session_limits.start_at_login, dispatch_uid="session_limits")
        user_logged_in.connect(two_factor.decide_at_login, dispatch_uid="two_factor_at_login")
