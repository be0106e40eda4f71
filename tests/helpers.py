from html.parser import HTMLParser

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def assert_queries_do_not_grow(fetch, grow, *, limit: int):
    """fetch() once warm, grow the data, fetch again: the query count must stay put and small."""
    fetch()  # warm caches that are filled once (the clinic record, content types)
    before = count_queries(fetch)
    grow()
    after = count_queries(fetch)
    assert after == before, f"queries grew with the data: {before} -> {after}"
    assert after <= limit, f"{after} queries, more than the limit of {limit}"


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
