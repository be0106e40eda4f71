"""The served benches' arithmetic: wrk's and locust's figures read right, ratios taken against
the /healthz run just before each page, and double bookings found."""

import datetime as dt

import pytest

from bench.measure import (
    WrkRun,
    interleaved,
    milliseconds,
    overlapping,
    parse_locust_stats,
    parse_wrk,
    percentile,
    ratios,
)

# wrk 4.2 as Debian ships it, which pads "1.16s" with a trailing space.
WRK_SLOW = """Running 2s test @ http://127.0.0.1:59565/treatments/calendar/week/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   812.70ms  237.30ms   1.16s    75.00%
    Req/Sec     2.25      0.96     3.00     75.00%
  Latency Distribution
     50%  771.87ms
     75%    1.16s~
     90%    1.16s~
     99%    1.16s~
  4 requests in 2.04s, 20.34KB read
Requests/sec:      1.96
Transfer/sec:      9.99KB
""".replace("~", " ")

WRK_FAST_WITH_ERRORS = """Running 4s test @ http://127.0.0.1:8000/healthz
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.31ms  512.00us   9.79ms   85.00%
    Req/Sec   870.25     50.12     1.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    2.50ms
     90%    2.90ms
     99%    4.50ms
  3481 requests in 4.00s, 1.02MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 5
Requests/sec:    870.12
Transfer/sec:    260.05KB
"""


@pytest.mark.parametrize(
    ("text", "ms"),
    [("812.00us", 0.812), ("2.31ms", 2.31), ("1.16s", 1160.0), ("1.5m", 90_000.0), (" 3ms ", 3.0)],
)
def test_wrk_durations_in_milliseconds(text, ms):
    assert milliseconds(text) == pytest.approx(ms)


def test_a_wrk_duration_without_a_unit_is_refused():
    with pytest.raises(ValueError, match="not a wrk duration"):
        milliseconds("12")


def test_a_slow_run_is_read_with_its_percentiles():
    run = parse_wrk(WRK_SLOW)
    assert run == WrkRun(
        requests=4,
        seconds=2.04,
        per_second=1.96,
        p50_ms=771.87,
        p90_ms=1160.0,
        p99_ms=1160.0,
        bad_status=0,
        socket_errors=0,
    )


def test_bad_answers_and_socket_errors_are_counted():
    run = parse_wrk(WRK_FAST_WITH_ERRORS)
    assert (run.p50_ms, run.bad_status, run.socket_errors) == (pytest.approx(0.812), 5, 3)


def test_output_without_the_latency_table_is_refused():
    with pytest.raises(ValueError, match="wrk --latency"):
        parse_wrk(WRK_SLOW.replace("Latency Distribution", "").replace("     50%  771.87ms\n", ""))


def test_each_page_comes_right_after_the_baseline_and_rounds_start_from_another_page():
    assert interleaved(["a", "b"], 2) == [
        (0, "healthz"),
        (0, "a"),
        (0, "healthz"),
        (0, "b"),
        (1, "healthz"),
        (1, "b"),
        (1, "healthz"),
        (1, "a"),
    ]
    assert interleaved([], 3) == []


def _run(p50: float, per_second: float) -> WrkRun:
    return WrkRun(10, 1.0, per_second, p50, p50, p50, 0, 0)


def test_a_page_is_compared_with_the_baseline_measured_just_before_it():
    runs = [
        (0, "healthz", _run(2.0, 800)),
        (0, "week", _run(40.0, 40)),  # 20x, 1/20
        (1, "healthz", _run(4.0, 400)),  # the machine got busier: the ratio holds
        (1, "week", _run(80.0, 20)),
        (2, "healthz", _run(2.0, 800)),
        (2, "week", _run(60.0, 25)),  # 30x, 1/32
    ]
    (week,) = ratios(runs)
    assert week.page == "week"
    assert week.latency == 20.0
    assert week.throughput == 20.0
    assert week.page_p50_ms == 60.0
    assert week.baseline_p50_ms == 2.0


def test_a_page_measured_before_any_baseline_is_not_compared():
    assert ratios([(0, "week", _run(40.0, 40))]) == []


@pytest.mark.parametrize(
    ("values", "share", "expected"),
    [
        ([5.0], 0.95, 5.0),
        (list(range(1, 101)), 0.95, 95),
        (list(range(1, 21)), 0.95, 19),
        ([3, 1, 2], 0.5, 2),
        (list(range(1, 11)), 1.0, 10),
    ],
)
def test_nearest_rank_percentile(values, share, expected):
    assert percentile(values, share) == expected


def test_a_percentile_of_nothing_is_refused():
    with pytest.raises(ValueError):
        percentile([], 0.95)


LOCUST_CSV = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,\
90%,95%,98%,99%,99.9%,99.99%,100%
GET,week calendar,120,0,210,230.5,90,900,41000,2.0,0.0,210,240,260,280,330,410,600,700,900,900,900
POST,desk booking,40,2,300,320.1,120,1200,300,0.7,0.03,300,330,350,380,450,520,800,1000,\
1200,1200,1200
,Aggregated,160,2,230,250.0,90,1200,30000,2.7,0.03,230,260,280,300,360,450,700,900,1200,1200,1200
"""


def test_locust_stats_are_read_per_page_and_in_all():
    rows = {row.name: row for row in parse_locust_stats(LOCUST_CSV)}
    assert set(rows) == {"week calendar", "desk booking", "all"}
    booking = rows["desk booking"]
    assert (booking.requests, booking.failures, booking.p50_ms, booking.p95_ms) == (40, 2, 300, 520)
    assert rows["all"].per_second == 2.7


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 2, hour, minute, tzinfo=dt.UTC)


def test_overlapping_bookings_of_one_resource_are_found_and_back_to_back_ones_are_not():
    bookings = [
        ("dr a", _at(9), _at(10)),
        ("dr a", _at(10), _at(10, 30)),  # back to back: fine
        ("dr b", _at(9, 15), _at(9, 45)),  # another practitioner: fine
        ("dr a", _at(9, 30), _at(9, 45)),  # inside the first
        ("dr a", _at(8), _at(12)),  # over all of them
    ]
    clashes = overlapping(bookings)
    assert len(clashes) == 3
    assert all(a[0] == b[0] == "dr a" for a, b in clashes)


def test_no_bookings_no_clashes():
    assert overlapping([]) == []
