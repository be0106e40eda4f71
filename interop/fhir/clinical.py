"""Consent, QuestionnaireResponse (screens), Observation (assessments, follow-ups, ratings) and
Media (photos' metadata and views; the image itself stays in the clinic)."""

import datetime as dt

from django.utils import timezone
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.media import Media
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from clinic.lib.vocabulary import Area, Concern, Fitzpatrick
from interop.fhir import codes
from patients.screens import screen_answers

SCREEN_QUESTIONNAIRE = f"{codes.BASE}/Questionnaire/contraindication-screen"


def instant(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat()


def consent(record) -> Consent:
    scope = "treatment" if record.kind == "treatment" else "patient-privacy"
    data = {
        "id": str(record.pk),
        "status": "inactive" if record.revoked_at else "active",
        "scope": codes.concept(codes.CONSENT_SCOPE, scope),
        "category": [
            codes.concept(codes.LOINC, codes.LOINC_CONSENT, "Consent Document"),
            codes.own_concept("consent-kind", record.kind, record.get_kind_display()),
        ],
        "patient": codes.ref("Patient", record.patient_id),
        "dateTime": instant(record.signed_at),
        "policy": [{"uri": f"{codes.BASE}/ConsentText/{record.text.kind}/{record.text.version}"}],
        "provision": {"type": "permit"},
    }
    if record.witnessed_by_id:
        data["performer"] = [codes.ref("Practitioner", record.witnessed_by_id)]
    if record.kind == "photo":
        data["provision"]["action"] = [codes.concept(codes.CONSENT_ACTION, "collect")]
    if record.revoked_at:
        data["provision"]["period"] = {"end": instant(record.revoked_at)}
    return Consent(**data)


def questionnaire_response(screen) -> QuestionnaireResponse:
    """A screen's every answer, under the form's headings, as the chart shows them."""
    groups = []
    for number, (heading, answers) in enumerate(screen_answers(screen), start=1):
        groups.append(
            {
                "linkId": f"g{number}",
                "text": heading,
                "item": [
                    {
                        "linkId": f"g{number}.{index}",
                        "text": answer.question,
                        "answer": [{"valueString": answer.answer}],
                    }
                    for index, answer in enumerate(answers, start=1)
                ],
            }
        )
    return QuestionnaireResponse(
        id=str(screen.pk),
        questionnaire=f"{SCREEN_QUESTIONNAIRE}|{screen.kind}",
        status="completed",
        subject=codes.ref("Patient", screen.patient_id),
        authored=instant(screen.created_at),
        author=codes.ref("Practitioner", screen.author_id),
        item=groups,
    )


def _observation(*, key, patient_id, code, on, value, performer=None, category="exam", **extra):
    data = {
        "id": key,
        "status": "final",
        "category": [codes.concept(codes.OBSERVATION_CATEGORY, category)],
        "code": code,
        "subject": codes.ref("Patient", patient_id),
        "effectiveDateTime": on.isoformat(),
        **value,
        **extra,
    }
    if performer:
        data["performer"] = [performer]
    return Observation(**data)


def _score(value, system_name: str, label: str) -> dict:
    return {"valueCodeableConcept": codes.own_concept(system_name, value, label)}


def assessment_observations(assessment) -> list[Observation]:
    """Fitzpatrick, each concern's 0-4 severity (with its areas), MASI, Glogau and IGA."""
    common = {
        "patient_id": assessment.patient_id,
        "on": assessment.assessed_on,
        "performer": codes.ref("Practitioner", assessment.author_id),
    }
    prefix = f"assessment-{assessment.pk}"
    found = [
        _observation(
            key=f"{prefix}-fitzpatrick",
            code=codes.own_concept("observation", "fitzpatrick", "Fitzpatrick phototype"),
            value=_score(
                assessment.fitzpatrick, "fitzpatrick", Fitzpatrick(assessment.fitzpatrick).label
            ),
            **common,
        )
    ]
    for concern in assessment.concerns.all():
        found.append(
            _observation(
                key=f"{prefix}-{concern.concern.replace('_', '-')}",
                code=codes.own_concept("concern", concern.concern, Concern(concern.concern).label),
                value={"valueInteger": concern.severity},
                bodySite=codes.areas(concern.areas)[0] if len(concern.areas) == 1 else None,
                note=[{"text": "Areas: " + ", ".join(Area(a).label for a in concern.areas)}]
                if concern.areas
                else None,
                **common,
            )
        )
    if assessment.masi is not None:
        found.append(
            _observation(
                key=f"{prefix}-masi",
                code=codes.own_concept(
                    "observation", "masi", "MASI (Melasma Area and Severity Index)"
                ),
                value={
                    "valueQuantity": {
                        "value": float(assessment.masi),
                        "unit": "score",
                        "system": codes.UCUM,
                        "code": "{score}",
                    }
                },
                **common,
            )
        )
    if assessment.glogau is not None:
        found.append(
            _observation(
                key=f"{prefix}-glogau",
                code=codes.own_concept("observation", "glogau", "Glogau photoaging"),
                value=_score(assessment.glogau, "glogau", assessment.get_glogau_display()),
                **common,
            )
        )
    if assessment.iga is not None:
        found.append(
            _observation(
                key=f"{prefix}-iga",
                code=codes.own_concept("observation", "iga", "Acne IGA"),
                value=_score(assessment.iga, "iga", assessment.get_iga_display()),
                **common,
            )
        )
    return found


def follow_up_observations(follow_up, patient_id) -> list[Observation]:
    """GAIS by clinician and patient, satisfaction and each concern re-scored 0-4."""
    from treatments.models import GAIS

    common = {
        "patient_id": patient_id,
        "on": follow_up.reviewed_on,
        "performer": codes.ref("Practitioner", follow_up.clinician_id),
    }
    prefix = f"follow-up-{follow_up.pk}"
    gais_code = codes.own_concept(
        "observation", "gais", "GAIS (Global Aesthetic Improvement Scale)"
    )
    found = [
        _observation(
            key=f"{prefix}-gais-clinician",
            code=gais_code,
            value=_score(follow_up.gais_clinician, "gais", GAIS(follow_up.gais_clinician).label),
            method={"text": "Rated by the clinician"},
            **common,
        )
    ]
    if follow_up.gais_patient is not None:
        found.append(
            _observation(
                key=f"{prefix}-gais-patient",
                code=gais_code,
                value=_score(follow_up.gais_patient, "gais", GAIS(follow_up.gais_patient).label),
                method={"text": "Rated by the patient"},
                category="survey",
                **common,
            )
        )
    if follow_up.satisfaction is not None:
        found.append(
            _satisfaction(
                f"{prefix}-satisfaction", patient_id, follow_up.reviewed_on, follow_up.satisfaction
            )
        )
    for score in follow_up.scores.all():
        label = Concern(score.concern).label if score.concern in Concern.values else score.concern
        found.append(
            _observation(
                key=f"{prefix}-{score.concern.replace('_', '-')}",
                code=codes.own_concept("concern", score.concern, label),
                value={"valueInteger": score.severity},
                **common,
            )
        )
    return found


def _satisfaction(key, patient_id, on, value) -> Observation:
    return _observation(
        key=key,
        patient_id=patient_id,
        on=on,
        code=codes.own_concept("observation", "satisfaction", "Satisfaction with results (1-5)"),
        value={"valueInteger": value},
        category="survey",
    )


def rating_observations(rating, patient_id) -> list[Observation]:
    """The patient's own rating from the portal: GAIS and satisfaction."""
    from treatments.models import GAIS

    on = timezone.localtime(rating.submitted_at).date()
    return [
        _observation(
            key=f"rating-{rating.pk}-gais",
            patient_id=patient_id,
            on=on,
            code=codes.own_concept(
                "observation", "gais", "GAIS (Global Aesthetic Improvement Scale)"
            ),
            value=_score(rating.gais, "gais", GAIS(rating.gais).label),
            method={"text": "Rated by the patient in the portal"},
            category="survey",
        ),
        _satisfaction(f"rating-{rating.pk}-satisfaction", patient_id, on, rating.satisfaction),
    ]


def media(photo) -> Media:
    return Media(
        id=str(photo.pk),
        status="completed",
        type=codes.concept(codes.MEDIA_TYPE, "image", "Image"),
        view=codes.own_concept("photo-view", photo.view, photo.get_view_display()),
        subject=codes.ref("Patient", photo.patient_id),
        createdDateTime=photo.taken_on.isoformat(),
        operator=codes.ref("Practitioner", photo.uploaded_by_id),
        bodySite=codes.own_concept("area", photo.area, photo.get_area_display()),
        height=photo.height,
        width=photo.width,
        content={"contentType": "image/jpeg", "title": str(photo)},
    )
