"""The scale test's load (bench/scale/run.py starts it): desk staff booking, staff reading the
calendar, patients in the portal, spread over the app servers as a load balancer would.

Runs in locust's own virtual environment, with no Django: what it needs (the servers' addresses,
signed-in sessions, patients, the appointment type, the days to book on) comes in the JSON file
named by SCALE_PLAN, written by run.py. Every answer that is not a page, a redirect after a
booking or the "just taken" refusal counts as a failure; 5xx answers are named as such.
"""

import html
import itertools
import json
import os
import random
import re
from urllib.parse import parse_qs, urlsplit

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["SCALE_PLAN"]).read())  # noqa: SIM115
_serial = itertools.count()
_SLOT_LINK = re.compile(r'href="([^"]*book-starts_at=[^"]*)"')
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
OUTCOMES = {"booked": 0, "taken": 0}


def _check(response, ok=(200,)):
    if response.status_code >= 500:
        response.failure(f"5xx: {response.status_code}")
    elif response.status_code not in ok:
        response.failure(f"unexpected: {response.status_code}")
    else:
        response.success()


class _Signed(HttpUser):
    abstract = True
    host = PLAN["servers"][0]
    kind = ""

    def on_start(self):
        n = next(_serial)
        sessions = PLAN["sessions"][self.kind]
        self.client.cookies.set("sessionid", sessions[n % len(sessions)])
        # Each person stays on the server the balancer gave them first (no stickiness needed:
        # the servers share only the database, but this spreads people evenly).
        self.server = PLAN["servers"][n % len(PLAN["servers"])]

    def get(self, path, name, **kwargs):
        with self.client.get(
            self.server + path, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            _check(response)
            return response


class Desk(_Signed):
    """Finds a free time for a patient and books it; others race for the same first times."""

    weight = 3
    kind = "desk"
    wait_time = between(3, 10)

    @task
    def book(self):
        patient = random.choice(PLAN["patients"])
        day = random.choice(PLAN["days"])
        page = self.get(f"/treatments/patients/{patient}/book/", "booking page")
        token = _TOKEN.search(page.text or "")
        found = self.get(
            f"/treatments/patients/{patient}/book/slots/?type={PLAN['type']}&start={day}&end={day}",
            "slot finder, one day",
        )
        links = _SLOT_LINK.findall(found.text or "")
        if not (token and links):
            return
        # One of the day's first three times: desks race each other for them.
        query = parse_qs(urlsplit(html.unescape(random.choice(links[:3]))).query)
        data = {
            "step": "confirm",
            "book-type": PLAN["type"],
            "book-plan": "",
            "book-practitioner": query["book-practitioner"][0],
            "book-room": query["book-room"][0],
            "book-starts_at": query["book-starts_at"][0],
            "csrfmiddlewaretoken": token.group(1),
        }
        with self.client.post(
            self.server + f"/treatments/patients/{patient}/book/",
            data=data,
            name="desk booking",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            _check(response, ok=(200, 302))
            if response.status_code == 302:
                OUTCOMES["booked"] += 1
            elif response.status_code == 200:
                OUTCOMES["taken"] += 1


class Calendar(_Signed):
    """Staff keeping the day and the week open and stepping through days."""

    weight = 4
    kind = "desk"
    wait_time = between(3, 10)

    @task(3)
    def day(self):
        self.get(f"/treatments/calendar/day/?date={random.choice(PLAN['days'])}", "day calendar")

    @task(1)
    def week(self):
        self.get(f"/treatments/calendar/week/?date={random.choice(PLAN['days'])}", "week calendar")

    @task(2)
    def next_day(self):
        self.get(
            f"/treatments/calendar/day/?date={random.choice(PLAN['days'])}",
            "day calendar, htmx swap",
            headers={"HX-Request": "true"},
        )


class Portal(_Signed):
    """Patients looking at their home page and their appointments."""

    weight = 3
    kind = "portal"
    wait_time = between(3, 10)

    @task(2)
    def home(self):
        self.get("/", "portal home")

    @task(1)
    def appointments(self):
        self.get("/treatments/portal/appointments/", "portal appointments")


@events.quitting.add_listener
def _outcomes(environment, **kwargs):
    path = os.environ.get("SCALE_OUTCOMES")
    if path:
        with open(path, "w") as out:
            json.dump(OUTCOMES, out)
