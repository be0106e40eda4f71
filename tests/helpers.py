from html.parser import HTMLParser

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def assert_queries_do_not_grow(fetch, grow, *, limit: int):
    """fetch() once warm, grow the data, fetch again: the query count must stay put and small.

    The slot finder's cache of busy time is emptied before each count: what is counted is what a
    search costs when nothing it needs is cached (a cached day costs fewer queries, never more).
    """
    fetch()  # warm caches that are filled once (the clinic record, content types)
    caches["busy"].clear()
    before = count_queries(fetch)
    grow()
    caches["busy"].clear()
    after = count_queries(fetch)
    assert after == before, f"queries grew with the data: {before} -> {after}"
    assert after <= limit, f"{after} queries, more than the limit of {limit}"


def mark_second_factor_passed(client, user) -> None:
    """Make a signed-in test client's session one that has proved a second factor, as if the
    person had typed their authenticator code (for the people who need one)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.twofactor import two_factor_required

    if not two_factor_required(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for a base32 secret (``oathtool --totp -b``)."""
    import base64

    from django_otp.oath import TOTP

    return f"{TOTP(base64.b32decode(secret)).token():06d}"

class _Regions(HTMLParser):
    """Each named form field of a page or fragment, with the ids of the elements around it."""

    VOID = frozenset({"input", "br", "hr", "img", "meta", "link", "area", "base", "col", "wbr"})

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, dict]] = []
        self.fields: dict[str, list[dict]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("name") and tag in {"input", "select", "textarea"}:
            self.fields.setdefault(attrs["name"], []).append(
                {
                    "within": [a["id"] for _, a in self.open if a.get("id")],
                    "oob": [a.get("hx-swap-oob") for _, a in self.open if a.get("hx-swap-oob")],
                    "attrs": attrs,
                }
            )
        if tag not in self.VOID:
            self.open.append((tag, attrs))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return


def form_fields(html: str) -> dict[str, list[dict]]:
    """{field name: [{"within": ids around it, outermost first, "oob": their hx-swap-oob,
    "attrs": its attributes}, ...]} for every input, select and textarea."""
    parser = _Regions()
    parser.feed(html)
    return parser.fields
