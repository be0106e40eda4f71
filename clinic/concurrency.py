"""Optimistic locking: two people editing one record, and the second save is refused.

A record with a ``version`` field is edited through a form that carries the version
it was loaded at. Saving locks the row, compares versions and bumps it; a mismatch
means someone else saved first, and the caller shows the person their own input
again with a message, so nothing they typed is lost and nothing of the other's is
overwritten.
"""

from django.db import models, transaction


class StaleEdit(Exception):
    """Someone else saved this record after it was loaded for editing."""

    def __init__(self, current):
        self.current = current
        who = None
        history = getattr(current, "history", None)
        if history is not None:
            latest = history.select_related("history_user").order_by("-history_date").first()
            who = latest.history_user if latest else None
        self.message = (
            f"{who or 'Someone'} saved changes to this record while you were editing. "
            "Your changes were not saved: they are still in the form below. "
            "Open the record again to see the latest version, then make your changes there."
        )
        super().__init__(self.message)


@transaction.atomic
def save_versioned(instance: models.Model, *, loaded_version: int, save=None) -> None:
    """Save ``instance`` if the stored version is still ``loaded_version``; raise StaleEdit if not.

    ``save`` does the actual saving (a form's save, say); by default instance.save().
    """
    model = type(instance)
    current = model.objects.select_for_update().get(pk=instance.pk)
    if current.version != loaded_version:
        raise StaleEdit(current)
    instance.version = current.version + 1
    (save or instance.save)()
