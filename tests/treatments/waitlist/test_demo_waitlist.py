"""The demo's waitlist: patients waiting in joining order, a cancelled consultation offered to
them, and Olivia Bennett's live offer in her portal; running the demo twice adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from clinic.models import User
from treatments.models import EntryStatus, FreedSlot, OfferStatus, WaitlistEntry, WaitlistOffer

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_waitlist_and_a_live_offer(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = WaitlistEntry.objects.count(), WaitlistOffer.objects.count()
    call_command("seed_demo")
    assert (WaitlistEntry.objects.count(), WaitlistOffer.objects.count()) == counts

    assert WaitlistEntry.objects.count() >= 3
    assert WaitlistEntry.objects.filter(status=EntryStatus.OFFERED).exists()
    assert FreedSlot.objects.filter(cause="cancelled").exists()
    olivia = User.objects.get(email="patient@demo.clinic")
    offer = WaitlistOffer.objects.get(entry__patient__user=olivia, status=OfferStatus.OPEN)
    client.force_login(olivia)
    page = client.get(reverse("treatments:portal_waitlist")).content.decode()
    assert reverse("treatments:waitlist_offer", args=[offer.token]) in page
    client.force_login(User.objects.get(email="desk@demo.clinic"))
    page = client.get(reverse("treatments:waitlist_list")).content.decode()
    assert page.count('id="entry-') == counts[0]
