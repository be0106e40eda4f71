import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_recover_messages_reports_what_it_queued(capsys, monkeypatch):
    from treatments.services import messaging

    monkeypatch.setattr(messaging, "recover_stale", lambda: 2)
    call_command("recover_messages")
    assert "2 messages queued again." in capsys.readouterr().out
