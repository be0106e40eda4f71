"""The record of emails sent under a limit."""

from django.db import models


class ThrottleEvent(models.Model):
    """One email sent under a limit (clinic/throttle.py): kept for the limit's window, then gone.

    In the database rather than a per-process cache, so several app servers share the count.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=254)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_scope_key_at_idx")]

    def __str__(self):
        return f"{self.scope} {self.key} at {self.at:%Y-%m-%d %H:%M}"
