"""Records written once and then only read: the audit trails."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} records are never changed.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} records are never deleted.")


class AppendOnly(models.Model):
    """A record that is written once and then only read: an audit trail."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} records are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} records are never deleted.")
