"""What the patient chart shows: alerts from the latest screen, consent status, timeline entries.

Each function fetches in a fixed number of queries, whatever the patient's history.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from clinic.access import CLINICIANS, DESK
from clinic.lib.screening import Finding, Level, screen_findings
from clinic.lib.vocabulary import Allergen
from patients import timeline
from patients.models import Assessment, Consent, ConsentKind, Screen


@dataclass(frozen=True, slots=True)
class ConsentStatus:
    kind: str
    label: str
    consent: Consent | None

    @property
    def valid(self) -> bool:
        return self.consent is not None


def consent_status(patient) -> list[ConsentStatus]:
    """The latest valid consent of each kind, or None (one query)."""
    latest: dict[str, Consent] = {}
    for consent in Consent.objects.valid().filter(patient=patient).select_related("text"):
        latest.setdefault(consent.kind, consent)
    return [ConsentStatus(kind, label, latest.get(kind)) for kind, label in ConsentKind.choices]


def latest_screen(patient) -> Screen | None:
    return Screen.objects.filter(patient=patient).select_related("author").first()


@dataclass(frozen=True, slots=True)
class Alerts:
    screen: Screen | None
    findings: list[Finding]
    allergens: list[str]
    other_allergies: str

    @property
    def blocked(self) -> list[Finding]:
        return [f for f in self.findings if f.level == Level.BLOCKED]

    @property
    def cautions(self) -> list[Finding]:
        return [f for f in self.findings if f.level == Level.CAUTION]


def alerts(patient, *, policy) -> Alerts:
    """Active contraindications as of today, from the latest screen (docs/clinical-rules.md screen
    table)."""
    screen = latest_screen(patient)
    if screen is None:
        return Alerts(None, [], [], "")
    findings = screen_findings(screen.facts(), policy=policy, on=timezone.localdate())
    return Alerts(
        screen,
        findings,
        [Allergen(a).label for a in screen.allergens],
        screen.other_allergies,
    )


def screen_entries(patient, role):
    if role not in CLINICIANS:
        return []
    return [
        timeline.Entry(
            when=screen.created_at,
            kind="Screen",
            title=screen.get_kind_display(),
            url=reverse("patients:screen_detail", args=[patient.pk, screen.pk]),
            detail=f"by {screen.author}",
        )
        for screen in Screen.objects.filter(patient=patient).select_related("author")
    ]


def consent_entries(patient, role):
    if role not in DESK:
        return []
    entries = []
    for consent in Consent.objects.filter(patient=patient).select_related("text", "witnessed_by"):
        entries.append(
            timeline.Entry(
                when=consent.signed_at,
                kind="Consent",
                title=f"{consent.get_kind_display()} signed (version {consent.text.version})",
                detail=f"witnessed by {consent.witnessed_by}" if consent.witnessed_by else "",
            )
        )
        if consent.revoked_at:
            entries.append(
                timeline.Entry(
                    when=consent.revoked_at,
                    kind="Consent",
                    title=f"{consent.get_kind_display()} revoked",
                    # The reason is often clinical ("reacted to the product"): not for the desk.
                    detail=consent.revocation_reason if role in CLINICIANS else "",
                    badges=("revoked",),
                )
            )
    return entries


def assessment_entries(patient, role):
    if role not in CLINICIANS:
        return []
    return [
        timeline.Entry(
            when=assessment.created_at,
            kind="Assessment",
            title=f"Skin assessment, Fitzpatrick {assessment.get_fitzpatrick_display()}",
            url=reverse("patients:assessment_detail", args=[patient.pk, assessment.pk]),
            detail=", ".join(str(c) for c in assessment.concerns.all()) or "No concerns scored",
        )
        for assessment in Assessment.objects.filter(patient=patient)
        .select_related("author")
        .prefetch_related("concerns")
    ]
