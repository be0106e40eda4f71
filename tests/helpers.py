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
