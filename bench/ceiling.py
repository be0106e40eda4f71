"""The in-process ceiling: ``/healthz`` through the same test client, in the same run.

On a shared machine milliseconds drift with the load; a page's time divided by ``/healthz``'s,
measured interleaved with it, is the steadier figure the README reports.
"""

import statistics
import time


def healthz_ms(client, runs: int = 30) -> float:
    """Median server time of ``/healthz`` (a trivial page: middleware and one query)."""
    client.get("/healthz")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/healthz")
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/healthz answered {response.status_code}")
    return statistics.median(times)


def interleaved(fn, client, runs: int) -> tuple[list[float], float]:
    """``runs`` timings (ms) of ``fn()``, each followed by one of ``/healthz``; returns the
    timings and ``/healthz``'s median, so that both see the same load."""
    client.get("/healthz")
    times, ceiling = [], []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        client.get("/healthz")
        ceiling.append((time.perf_counter() - started) * 1000)
    return times, statistics.median(ceiling)
