"""What the served benches share: reading wrk's and locust's figures, and turning them into ratios.

Plain functions with no Django and no side effects, so the tests can check them
(tests/bench/test_measure.py).
"""

import csv
import io
import re
import statistics
from dataclasses import dataclass

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_DURATION = re.compile(r"^([\d.]+)(us|ms|s|m)$")


def milliseconds(text: str) -> float:
    """wrk's durations ("812.00us", "2.31ms", "1.02s", "1.5m") in milliseconds."""
    found = _DURATION.match(text.strip())
    if not found:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    bad_status: int  # answers outside 2xx and 3xx
    socket_errors: int  # connect, read, write and timeouts


def parse_wrk(output: str) -> WrkRun:
    """The figures of one ``wrk --latency`` run."""
    percentiles = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    done = re.search(r"^\s+(\d+) requests in ([\d.]+)(us|ms|s|m),", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not (done and rate and len(percentiles) == 3):
        raise ValueError("not the output of wrk --latency:\n" + output)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkRun(
        requests=int(done.group(1)),
        seconds=milliseconds(done.group(2) + done.group(3)) / 1000,
        per_second=float(rate.group(1)),
        p50_ms=milliseconds(percentiles["50"]),
        p90_ms=milliseconds(percentiles["90"]),
        p99_ms=milliseconds(percentiles["99"]),
        bad_status=int(bad.group(1)) if bad else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def interleaved(pages: list[str], rounds: int, baseline: str = "healthz") -> list[tuple[int, str]]:
    """The order to measure in: in each round the baseline just before every page, so that each
    page is compared with a ceiling measured moments earlier under the same load."""
    order = []
    for n in range(rounds):
        # Each round starts from another page, so none is always measured first.
        shifted = pages[n % len(pages) :] + pages[: n % len(pages)] if pages else []
        for page in shifted:
            order += [(n, baseline), (n, page)]
    return order


@dataclass(frozen=True)
class Ratio:
    page: str
    latency: float  # the page's median latency over the baseline's: "12x /healthz"
    throughput: float  # the baseline's requests per second over the page's: "1/12 of /healthz"
    page_p50_ms: float
    baseline_p50_ms: float
    page_per_second: float


def ratios(runs: list[tuple[int, str, WrkRun]], baseline: str = "healthz") -> list[Ratio]:
    """Each page against the baseline run just before it, the median over the rounds."""
    pairs: dict[str, list[tuple[WrkRun, WrkRun]]] = {}
    last_baseline: WrkRun | None = None
    for _round, page, run in runs:
        if page == baseline:
            last_baseline = run
        elif last_baseline is not None:
            pairs.setdefault(page, []).append((last_baseline, run))
    found = []
    for page, measured in pairs.items():
        found.append(
            Ratio(
                page=page,
                latency=statistics.median(r.p50_ms / b.p50_ms for b, r in measured),
                throughput=statistics.median(b.per_second / r.per_second for b, r in measured),
                page_p50_ms=statistics.median(r.p50_ms for _, r in measured),
                baseline_p50_ms=statistics.median(b.p50_ms for b, _ in measured),
                page_per_second=statistics.median(r.per_second for _, r in measured),
            )
        )
    return found


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95) of a non-empty list."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class LocustRow:
    name: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    per_second: float


def parse_locust_stats(text: str) -> list[LocustRow]:
    """locust's ``--csv`` ``*_stats.csv``: one row per named request, and the "Aggregated" row."""
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        if not row.get("Name"):
            continue
        rows.append(
            LocustRow(
                name=row["Name"] if row["Name"] != "Aggregated" else "all",
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50_ms=float(row["50%"] or 0),
                p95_ms=float(row["95%"] or 0),
                per_second=float(row["Requests/s"] or 0),
            )
        )
    return rows


def overlapping(bookings: list[tuple[object, object, object]]) -> list[tuple[object, object]]:
    """Pairs of bookings of one resource whose times overlap: ``(resource, starts, ends)`` each,
    half-open intervals, so one ending at 10:00 and the next starting at 10:00 do not clash."""
    clashes = []
    by_resource: dict[object, list[tuple[object, object, int]]] = {}
    for n, (resource, starts, ends) in enumerate(bookings):
        by_resource.setdefault(resource, []).append((starts, ends, n))
    for items in by_resource.values():
        items.sort(key=lambda item: (item[0], item[1]))
        latest_end, latest = None, None
        for starts, ends, n in items:
            if latest_end is not None and starts < latest_end:
                clashes.append((bookings[latest], bookings[n]))
            if latest_end is None or ends > latest_end:
                latest_end, latest = ends, n
    return clashes
