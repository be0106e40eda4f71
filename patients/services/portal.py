"""Inviting a patient to the portal: their own login, activated through a one-time link."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clinic.models import Role, User
from clinic.throttle import invitation_check
from patients.models import Patient


@dataclass(frozen=True, slots=True)
class Invitation:
    user: User
    link: str


@transaction.atomic
def portal_invite(*, patient: Patient, base_url: str, clinic_name: str) -> Invitation:
    """Give the patient a portal login (no password yet) and email them a link to choose one.

    The link is Django's password-reset token: it works once (choosing a password or logging in
    changes what it was made from) and expires after PASSWORD_RESET_TIMEOUT.
    """
    if not patient.email:
        raise ValidationError("Add the patient's email address first: the invitation goes there.")
    if patient.is_archived:
        raise ValidationError("This patient is archived. Make them active again before inviting.")
    user = patient.user
    if user is None:
        if User.objects.filter(email__iexact=patient.email).exists():
            raise ValidationError(
                f"Another account already uses {patient.email}. Check the patient's email address."
            )
        user = User.objects.create_user(
            email=patient.email, first_name=patient.first_name, last_name=patient.last_name
        )
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=Role.PATIENT.value))
        patient.user = user
        patient.save(update_fields=["user"])
    elif user.has_usable_password():
        raise ValidationError("This patient already uses the portal.")
    invitation_check(email=patient.email)  # clinic/throttle.py: a few an hour per address
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url + reverse("portal_activate", kwargs={"uidb64": uid, "token": token})
    context = {"patient": patient, "link": link, "clinic_name": clinic_name}
    message = EmailMultiAlternatives(
        subject=render_to_string("emails/portal_invite-subject.txt", context).strip(),
        body=render_to_string("emails/portal_invite-body.txt", context),
        to=[patient.email],
    )
    message.attach_alternative(
        render_to_string("emails/portal_invite-body.html", context), "text/html"
    )
    # Sent only once the transaction commits, so a rolled-back invitation sends nothing.
    transaction.on_commit(message.send)
    return Invitation(user=user, link=link)
