"""Background tasks of the treatments app (Django's tasks framework; `manage.py db_worker` runs
them in production and under `make run`)."""

from django.tasks import task

from treatments.services import messaging


@task
def send_message(message_id: int) -> str:
    """Send one queued patient email; however often this runs, the email goes once (messaging)."""
    return messaging.deliver(message_id)
