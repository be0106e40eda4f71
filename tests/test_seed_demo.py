import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from clinic.demo import DEMO_PASSWORD
from clinic.models import ClinicSettings, Role, Room, User

DEMO_LOGINS = {
    "derm@demo.clinic": Role.DERMATOLOGIST,
    "desk@demo.clinic": Role.FRONT_DESK,
    "manager@demo.clinic": Role.MANAGER,
    "patient@demo.clinic": Role.PATIENT,
}


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_logins_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Room.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Room.objects.count()) == counts
    out = capsys.readouterr().out
    for email, role in DEMO_LOGINS.items():
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password(DEMO_PASSWORD)
        assert email in out
    assert ClinicSettings.load().opening_hours.count() == 7


@pytest.mark.django_db
@pytest.mark.parametrize("email", sorted(DEMO_LOGINS))
def test_demo_login_reaches_home(settings, email):
    settings.DEBUG = True
    call_command("seed_demo")
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": email, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.status_code == 200
