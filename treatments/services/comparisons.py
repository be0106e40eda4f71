"""Before-and-after comparisons: two photos of the same view and area, each with its date, the
number of sessions done by then and the scores recorded with it (docs/clinical-rules.md §Photos:
"follow-up photos repeat the earlier views, so that before and after compare like with like").

Photos come from the caller, already limited to what the viewer may see
(``patients.access.photos_for_user``): the dermatologist any photo, the patient their own while
their photo consent stands. Three queries, whatever the number of photos.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from clinic.lib.vocabulary import Area, Concern
from clinic.models import ClinicSettings
from patients.models import Photo, PhotoView
from patients.services.photos import alt_text
from treatments.models import FollowUp, SessionStatus, TreatmentSession

NOT_THE_SAME_VIEW = "Choose two photos of the same view and area."
NOT_TWO = "Choose two different photos."


@dataclass(frozen=True, slots=True)
class PhotoFacts:
    photo: Photo
    #: "Assessment" or "Follow-up": where the photo was taken.
    occasion: str
    sessions_done: int
    scores: list[tuple[str, int]]

    @property
    def alt(self) -> str:
        return alt_text(self.photo)

    @property
    def caption(self) -> str:
        sessions = self.sessions_done
        done = "before any session" if not sessions else f"after session {sessions}"
        return f"{self.occasion}, {self.photo.taken_on:%-d %b %Y}, {done}"


@dataclass(frozen=True, slots=True)
class Comparison:
    label: str
    before: PhotoFacts
    after: PhotoFacts


def _label(photo: Photo) -> str:
    return f"{PhotoView(photo.view).label} of the {Area(photo.area).label.lower()}"


def _scores(rows) -> list[tuple[str, int]]:
    return [(Concern(row.concern).label, row.severity) for row in rows]


def photo_facts(photos: QuerySet[Photo]) -> list[PhotoFacts]:
    """Each photo, oldest first, with its occasion, the sessions done by its day and its
    scores."""
    listed = list(
        photos.select_related("assessment")
        .prefetch_related(
            "assessment__concerns",
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("plan").prefetch_related("scores"),
            ),
        )
        .order_by("taken_on", "pk")
    )
    if not listed:
        return []
    zone = ClinicSettings.load().zone
    # A photo's session count is its course's: the completed sessions of the plans written from
    # the assessment it was taken at (or whose follow-up took it), up to its day.
    courses: dict[int, list] = {}
    for assessment_id, started in TreatmentSession.objects.filter(
        patient_id__in={p.patient_id for p in listed}, status=SessionStatus.COMPLETED
    ).values_list("plan__assessment_id", "started_at"):
        courses.setdefault(assessment_id, []).append(timezone.localdate(started, zone))
    facts = []
    for photo in listed:
        follow_ups = list(photo.follow_ups.all())
        course = photo.assessment_id
        if follow_ups:
            occasion, scores = "Follow-up", _scores(follow_ups[0].scores.all())
            course = follow_ups[0].plan.assessment_id
        elif photo.assessment is not None:
            occasion, scores = "Assessment", _scores(photo.assessment.concerns.all())
        else:
            occasion, scores = "Photo", []
        done = sum(1 for day in courses.get(course, []) if day <= photo.taken_on)
        facts.append(PhotoFacts(photo, occasion, done, scores))
    return facts


def compare(photos: QuerySet[Photo], *, before_pk: int, after_pk: int) -> Comparison:
    """The comparison of two photos the viewer may see; refused unless they show the same view
    of the same area of one patient. ``Photo.DoesNotExist`` for a photo they may not see."""
    if before_pk == after_pk:
        raise ValidationError({"after": NOT_TWO})
    chosen = {f.photo.pk: f for f in photo_facts(photos.filter(pk__in=[before_pk, after_pk]))}
    if len(chosen) != 2:
        raise Photo.DoesNotExist
    before, after = chosen[before_pk], chosen[after_pk]
    a, b = before.photo, after.photo
    if (a.patient_id, a.view, a.area) != (b.patient_id, b.view, b.area):
        raise ValidationError({"after": NOT_THE_SAME_VIEW})
    if (b.taken_on, b.pk) < (a.taken_on, a.pk):
        before, after = after, before
    return Comparison(_label(a), before, after)


def first_and_latest(photos: QuerySet[Photo]) -> list[Comparison]:
    """Each view and area photographed more than once: its first photo beside its latest."""
    groups: dict[tuple, list[PhotoFacts]] = {}
    for facts in photo_facts(photos):
        groups.setdefault((facts.photo.patient_id, facts.photo.area, facts.photo.view), []).append(
            facts
        )
    order = {view: index for index, view in enumerate(PhotoView.values)}
    return [
        Comparison(_label(group[0].photo), group[0], group[-1])
        for key, group in sorted(groups.items(), key=lambda kv: (kv[0][1], order[kv[0][2]]))
        if len(group) > 1
    ]


def for_follow_up(photos: QuerySet[Photo], follow_up: FollowUp) -> list[Comparison]:
    """A follow-up's photos, each beside the same view at its course's assessment."""
    taken = follow_up.photos.values("pk")
    baseline = photos.filter(assessment_id=follow_up.plan.assessment_id).values("pk")
    return first_and_latest(photos.filter(pk__in=taken.union(baseline)))
