"""The intake before a consultation: asked of the patient, read and confirmed by a dermatologist.

docs/clinical-rules.md §Intake.

- Once a consultation is booked for a patient whose portal login is activated (a password
  chosen), the intake request goes out (``intake_request``): by email, and by text where the
  patient's preferences allow, through the outbox, once per appointment, schedule version and
  channel like every message. A patient invited but not yet in the portal (a first consultation
  booked at /book/, say) is asked when they activate it (``intake_requests_on_activation``).
- The patient saves their answers as they go (in progress) and sends them (submitted); until a
  dermatologist confirms them they may change them (``intake_save``).
- An answer that would block treatment raises a clinical alert for the responsible dermatologist
  when the intake is sent, once per intake.
- A dermatologist confirms a submitted intake (``intake_confirm``): it becomes a dated screen
  marked patient-reported, recorded through the screen service. Only then do the rules read it;
  the day-of-session "anything changed?" check still asks again.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.lib import intake as rules
from clinic.models import AppointmentType, ClinicSettings, Role
from patients.forms.screens import ScreenForm
from patients.models import Patient, Screen
from patients.services.records import screen_record
from treatments.models import (
    AlertSource,
    AlertUrgency,
    Appointment,
    AppointmentStatus,
    Intake,
    IntakeStatus,
    MessageKind,
    Workflow,
)

VIA = Workflow.INTAKE
ANSWER_THIS = "Answer yes or no."
CLOSED = "This intake can no longer be changed: the clinic has already confirmed it."
NO_INTAKE = "Only a booked consultation still to come has an intake."

#: What the desk may know of an intake: its status, never an answer.
OPEN_STATUSES = (IntakeStatus.NOT_STARTED, IntakeStatus.IN_PROGRESS)


def needs_intake(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    """A booked consultation still to come asks for an intake."""
    return (
        appointment.appointment_type.kind == AppointmentType.Kind.CONSULTATION
        and appointment.status == AppointmentStatus.BOOKED
        and appointment.starts_at > (now or timezone.now())
    )


def status_of(appointment: Appointment) -> IntakeStatus | None:
    """The intake's status of a consultation (not started when there is no row yet); None for
    an appointment that has no intake. Reads ``appointment.intake`` (select_related it)."""
    if appointment.appointment_type.kind != AppointmentType.Kind.CONSULTATION:
        return None
    try:
        return IntakeStatus(appointment.intake.status)
    except Intake.DoesNotExist:
        return IntakeStatus.NOT_STARTED


@transaction.atomic
def intake_for(*, appointment: Appointment) -> Intake:
    """The appointment's intake, made (not started) the first time it is asked for."""
    intake, _ = Intake.objects.get_or_create(
        appointment=appointment, defaults={"patient_id": appointment.patient_id}
    )
    return intake


def _responsible(appointment: Appointment):
    """The consultation's own dermatologist; failing that, the alert service's choice."""
    user = appointment.practitioner.user
    return user if user.is_active and user.has_role(Role.DERMATOLOGIST) else None


@transaction.atomic
def intake_save(*, intake: Intake, answers: dict, submit: bool) -> Intake:
    """Save the patient's answers; ``submit`` sends them to the clinic.

    Sending needs every yes/no question answered (ValidationError naming the fields). Raises
    TransitionRefused on a confirmed intake. A blocking answer alerts the responsible
    dermatologist when the intake is sent, once.
    """
    intake = (
        Intake.objects.select_for_update()
        .select_related("appointment__practitioner__user", "appointment__appointment_type")
        .get(pk=intake.pk)
    )
    if intake.status == IntakeStatus.CONFIRMED:
        raise ValidationError(CLOSED)
    if not needs_intake(intake.appointment):
        raise ValidationError(NO_INTAKE)
    fields = [*(q.name for q in rules.QUESTIONS), "concerns", "concerns_in_own_words", "goals"]
    for name in fields:
        if name in answers:
            setattr(intake, name, answers[name])
    target = IntakeStatus.SUBMITTED if submit else IntakeStatus.IN_PROGRESS
    if submit:
        missing = rules.unanswered(intake.answers())
        if missing:
            raise ValidationError({q.name: ANSWER_THIS for q in missing})
    now = timezone.now()
    if intake.status != target:
        intake.transition_to(target, via=VIA)
    intake.started_at = intake.started_at or now
    intake.submitted_at = now if submit else intake.submitted_at
    intake.save()
    if submit and intake.alert_id is None:
        _alert_if_blocking(intake)
    return intake


def _alert_if_blocking(intake: Intake) -> None:
    from treatments.services.alerts import alert_raise

    clinic = ClinicSettings.load()
    appointment = intake.appointment
    blocks = rules.blocking_findings(
        intake.answers(),
        reported_on=clinic.today(),
        visit_on=timezone.localtime(appointment.starts_at, clinic.zone).date(),
        policy=clinic.policy,
    )
    if not blocks:
        return
    when = timezone.localtime(appointment.starts_at, clinic.zone)
    reason = f"Intake for the consultation of {when:%a %d %b %Y, %H:%M}: " + "; ".join(
        f.reason for f in blocks
    )
    intake.alert = alert_raise(
        patient=intake.patient,
        reason=reason,
        urgency=AlertUrgency.SOON,
        source=AlertSource.INTAKE,
        by=intake.patient.user,
        responsible=_responsible(appointment),
    )
    intake.save(update_fields=["alert"])


def screen_data(intake: Intake, *, screened_on: dt.date) -> dict:
    """The intake's answers as the screen form's data (unanswered yes/no: no)."""
    data = {"screened_on": screened_on.isoformat()}
    for question in rules.QUESTIONS:
        value = getattr(intake, question.name)
        if question.ask == rules.Ask.YES_NO:
            if value:
                data[question.name] = "on"
        elif question.ask in (rules.Ask.AREAS, rules.Ask.ALLERGENS):
            data[question.name] = list(value or [])
        elif question.ask == rules.Ask.DATE:
            data[question.name] = value.isoformat() if value else ""
        else:
            data[question.name] = value or ""
    return data


@transaction.atomic
def intake_confirm(*, intake: Intake, by, note: str = "") -> Screen:
    """A dermatologist confirms a submitted intake: a dated screen, patient-reported, authored
    by them (the screen service records it). Raises TransitionRefused otherwise."""
    intake = Intake.objects.select_for_update().select_related("patient").get(pk=intake.pk)
    intake.state_machine.check(intake, IntakeStatus.CONFIRMED, by=by)
    clinic = ClinicSettings.load()
    data = screen_data(intake, screened_on=clinic.today())
    submitted = timezone.localtime(intake.submitted_at, clinic.zone)
    data["notes"] = " ".join(
        part
        for part in (f"Patient-reported in the portal intake of {submitted:%d %b %Y}.", note)
        if part
    )
    form = ScreenForm(data)
    if not form.is_valid():  # the intake's answers passed the same checks: never expected
        raise ValidationError(form.errors)
    form.instance.source = Screen.Source.PATIENT_REPORTED
    screen = screen_record(patient=intake.patient, author=by, form=form)
    intake.transition_to(IntakeStatus.CONFIRMED, by=by)
    intake.screen = screen
    intake.confirmed_by = by
    intake.confirmed_at = timezone.now()
    intake.save()
    return screen


def in_portal(user) -> bool:
    """Whether a patient's login can be used: activated (a password chosen) and not disabled."""
    return user is not None and user.is_active and user.has_usable_password()


def intake_request(appointment: Appointment) -> list:
    """Queue the intake request for a booked consultation (once per channel and schedule
    version: asking again queues nothing new), when its patient can reach the portal."""
    from treatments.services.messaging import queue_for_patient

    if not needs_intake(appointment) or not in_portal(appointment.patient.user):
        return []
    intake = intake_for(appointment=appointment)
    if intake.status not in OPEN_STATUSES:
        return []
    return queue_for_patient(appointment=appointment, kind=MessageKind.INTAKE_REQUEST)


@transaction.atomic
def intake_requests_on_activation(user) -> list:
    """A patient has just activated their portal login: queue the intake request for each of
    their coming consultations whose intake is not sent yet. A request queued before (booked
    when the login already worked) is the outbox's same message and is not sent twice."""
    patient = Patient.objects.filter(user=user).select_related("user").first()
    if patient is None or not in_portal(user):
        return []
    consultations = Appointment.objects.filter(
        patient=patient,
        appointment_type__kind=AppointmentType.Kind.CONSULTATION,
        status=AppointmentStatus.BOOKED,
        starts_at__gt=timezone.now(),
    ).select_related("appointment_type", "patient__user")
    queued = []
    for appointment in consultations.order_by("starts_at", "pk"):
        queued += intake_request(appointment)
    return queued


def request_skip_reason(appointment: Appointment, *, now: dt.datetime) -> str:
    """Why an intake request must not go now ("" when it should)."""
    if not needs_intake(appointment, now=now):
        return "The consultation is no longer booked ahead."
    status = Intake.objects.filter(appointment=appointment).values_list("status", flat=True)
    if status and status[0] not in OPEN_STATUSES:
        return "The patient has already sent their intake."
    return ""


# --- What the schedule and the dermatologist's home read ----------------------------------------


def statuses_for(appointment_ids) -> dict[int, IntakeStatus]:
    """appointment id -> its intake's status, for the consultations among them (one query)."""
    rows = Appointment.objects.filter(
        pk__in=list(appointment_ids), appointment_type__kind=AppointmentType.Kind.CONSULTATION
    ).values_list("pk", "intake__status")
    return {pk: IntakeStatus(status or IntakeStatus.NOT_STARTED) for pk, status in rows}


def to_confirm():
    """Submitted intakes of consultations still to come (or today's), soonest visit first."""
    clinic = ClinicSettings.load()
    start_of_today = timezone.make_aware(
        dt.datetime.combine(clinic.today(), dt.time.min), clinic.zone
    )
    return (
        Intake.objects.filter(
            status=IntakeStatus.SUBMITTED,
            appointment__status__in=[AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN],
            appointment__starts_at__gte=start_of_today,
        )
        .select_related("patient", "appointment__practitioner", "alert")
        .order_by("appointment__starts_at", "pk")
    )
