"""A stand-in for Twilio's Messages API on 127.0.0.1, for the real ``twilio`` client to talk to.

It speaks the parts of the 2010-04-01 API that sending uses: create a message (form POST) and
list messages (GET), with Twilio's JSON error bodies. ``script`` holds the answers to give to the
next creates, in order ((status, code, message) tuples); when it is empty a create is accepted.
``hold`` (a threading.Event) makes an accepted create wait before answering, as a slow
provider does, so a test can stop the worker in between.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token"
FROM_NUMBER = "+441234567890"

INVALID_NUMBER = (400, 21211, "The 'To' number {to} is not a valid phone number.")
RATE_LIMITED = (429, 20429, "Too Many Requests")
DOWN = (503, 20503, "Service Unavailable")


class FakeTwilio:
    def __init__(self):
        self.script: list[tuple[int, int, str]] = []
        self.accepted: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.hold: threading.Event | None = None
        self.held = threading.Event()  # set once a held create has been recorded
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def _answer(self, status: int, payload: dict):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                path = urlsplit(self.path).path
                with fake.lock:
                    fake.requests.append(("POST", path))
                    answer = fake.script.pop(0) if fake.script else None
                    if answer is None:
                        sid = f"SM{len(fake.accepted) + 1:032d}"
                        message = {
                            "sid": sid,
                            "to": form.get("To"),
                            "from": form.get("From"),
                            "body": form.get("Body"),
                            "status_callback": form.get("StatusCallback"),
                            "status": "queued",
                            "account_sid": ACCOUNT_SID,
                            "num_segments": "1",
                            "date_sent": None,
                        }
                        fake.accepted.append(message)
                if answer is not None:
                    status, code, text = answer
                    self._answer(
                        status,
                        {"code": code, "message": text.format(to=form.get("To")), "status": status},
                    )
                    return
                if fake.hold is not None:
                    fake.held.set()
                    fake.hold.wait(timeout=30)
                self._answer(201, message)

            def do_GET(self):
                path = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(path.query).items()}
                with fake.lock:
                    fake.requests.append(("GET", path.path))
                    found = [m for m in fake.accepted if m["to"] == query.get("To", m["to"])]
                self._answer(
                    200,
                    {
                        "messages": found,
                        "page": 0,
                        "page_size": 50,
                        "next_page_uri": None,
                        "uri": path.path,
                        "first_page_uri": path.path,
                        "previous_page_uri": None,
                        "start": 0,
                        "end": len(found),
                    },
                )

        return Handler
