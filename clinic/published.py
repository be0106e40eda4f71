"""Texts the clinic manager publishes in versions: consent forms, aftercare wording.

A published text is never edited: a change is a new version. Each version takes effect from
its ``published_at``, which may be set ahead to schedule it; the current text of a kind is its
newest version already in effect, never one dated later than now (however high its number).
"""

import datetime as dt

from django.db import models
from django.db.models import Case, OuterRef, Subquery, When
from django.utils import timezone

#: Among the versions in effect, the current one is the newest version: a later version replaces
#: an earlier one as soon as it takes effect, even when it was back-dated.
CURRENT_FIRST = ("-version",)


class PublishedTextQuerySet(models.QuerySet):
    def in_effect(self, at: dt.datetime | None = None):
        """The versions already in effect at ``at`` (now by default)."""
        return self.filter(published_at__lte=at or timezone.now())

    def current(self, at: dt.datetime | None = None):
        """The version in effect at ``at``, or None."""
        return self.in_effect(at).order_by(*CURRENT_FIRST).first()

    def with_is_current(self, at: dt.datetime | None = None):
        """Each version annotated ``is_current``: whether it is the one in effect (one query)."""
        version_of = self.model.version_of
        current = (
            self.model.objects.in_effect(at)
            .filter(**{version_of: OuterRef(version_of)})
            .order_by(*CURRENT_FIRST)
            .values("pk")[:1]
        )
        return self.annotate(is_current=Case(When(pk=Subquery(current), then=True), default=False))


class PublishedText(models.Model):
    """A numbered version of a text, in effect from ``published_at``.

    ``version_of`` names the field that says which text this is a version of (the consent
    kind, the route): versions are numbered 1, 2, 3... within it.
    """

    version_of: str

    version = models.PositiveIntegerField(editable=False)
    published_at = models.DateTimeField(
        "in effect from",
        default=timezone.now,
        help_text="The text is used from this moment on. A later date schedules it.",
    )

    objects = PublishedTextQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.version is None:
            siblings = type(self).objects.filter(**{self.version_of: self._version_key})
            latest = siblings.aggregate(v=models.Max("version"))["v"]
            self.version = (latest or 0) + 1
        super().save(*args, **kwargs)

    @property
    def _version_key(self):
        return getattr(self, self.version_of)

    @classmethod
    def current(cls, key: str, at: dt.datetime | None = None):
        """The version of the text ``key`` (a consent kind, a route) in effect now, or None."""
        return cls.objects.filter(**{cls.version_of: key}).current(at)

    @property
    def is_in_effect(self) -> bool:
        return self.published_at <= timezone.now()
