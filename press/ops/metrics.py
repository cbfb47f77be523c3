"""What press counts for Prometheus, one truth across `press serve --workers N`.

prometheus_client's multiprocess mode: each worker writes its values to memory-mapped files
in PROMETHEUS_MULTIPROC_DIR (made by `press serve`), and whichever worker answers /metrics
reads every worker's files. Without that variable (tests, `uvicorn press.app:create_app`)
the values live in this process only.

The request path is hot (a cached public answer is about 50 µs of work): a histogram
observation through prometheus_client takes a lock and writes the memory map several times,
so each request is tallied here in plain dicts and ints, and the tallies are handed to
prometheus_client once a second and before each scrape (`flush`).

What the database knows (backlogs, ages, overdue lifts) is read when /metrics is asked for:
every instance then reports the same figures, whichever worker answers.
"""

from __future__ import annotations

import bisect
import os
import shutil
from pathlib import Path
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from press.db import queries_beside
from press.ops.multiproc import forget_dead_workers, forget_worker, multiprocess_dir

Q = queries_beside(__file__)
REQUEST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LIFT_LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)
_BOUNDS = [*REQUEST_BUCKETS, float("inf")]


class Metrics:
    """The metrics of one app; `create_app` makes one and keeps it in `app.state.metrics`."""

    def __init__(self) -> None:
        # A registry of the app's own: several apps in one process (tests) register the
        # same names without colliding. In multiprocess mode values go to the files anyway.
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Histogram(
            "press_http_request_duration_seconds",
            "Time from a request's arrival to its answer's last byte, by route template.",
            ["method", "route", "status"],
            buckets=REQUEST_BUCKETS,
            registry=r,
        )
        self.cache = Counter(
            "press_public_cache_lookups",
            "Public answers asked of the cache: hit (sent from it), miss (built), or render.",
            ["outcome"],
            registry=r,
        )
        self.lift_lag = Histogram(
            "press_lift_lag_seconds",
            "From a release's scheduled instant to the commit recording its lift.",
            buckets=LIFT_LAG_BUCKETS,
            registry=r,
        )
        self.webhook_attempts = Counter(
            "press_webhook_attempts",
            "Webhook delivery attempts, by outcome.",
            ["outcome"],
            registry=r,
        )
        self.mail_attempts = Counter(
            "press_mail_attempts", "E-mails tried, by outcome.", ["outcome"], registry=r
        )
        self.pool = Gauge(
            "press_db_pool_connections",
            "Connections of the database pools of live workers: in use, open, or allowed.",
            ["state"],
            multiprocess_mode="livesum",
            registry=r,
        )
        self.leader = Gauge(
            "press_lift_leader",
            "1 if a worker of this instance leads the lift loop.",
            multiprocess_mode="livemax",
            registry=r,
        )
        # Every outcome from the start, at 0: a rate() over a series that appears only with
        # its first failure misses that failure.
        for counter, outcomes in (
            (self.cache, ("hit", "miss", "render")),
            (self.webhook_attempts, ("delivered", "retry", "failed")),
            (self.mail_attempts, ("sent", "retry", "bounced", "failed")),
        ):
            for outcome in outcomes:
                counter.labels(outcome)
        # The tallies since the last flush: (method, route, status) -> [sum, per bucket...]
        self._tally: dict[tuple[str, str, int], list[float]] = {}
        self.cache_hits = self.cache_misses = 0
        self._cache_flushed = (0, 0, 0)

    def count_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Tally one request: a dict lookup and two additions, nothing locked."""
        key = (method, route, status)
        tally = self._tally.get(key)
        if tally is None:
            tally = self._tally[key] = [0.0] * (len(_BOUNDS) + 1)
        tally[0] += seconds
        tally[bisect.bisect_left(_BOUNDS, seconds) + 1] += 1

    def flush(self, state: Any) -> None:
        """Hand the tallies to prometheus_client and set the gauges this worker owns."""
        tallies, self._tally = self._tally, {}
        for (method, route, status), tally in tallies.items():
            child = self.requests.labels(method, route, str(status))
            # The histogram's own parts, to add a batch at once; observe() adds one value.
            child._sum.inc(tally[0])
            for bucket, count in zip(child._buckets, tally[1:], strict=True):
                if count:
                    bucket.inc(count)
        self._flush_cache(state.public_cache)
        db = state.db
        pool = getattr(db, "pool", None)
        if pool is not None:
            self.pool.labels("in_use").set(pool.get_size() - pool.get_idle_size())
            self.pool.labels("open").set(pool.get_size())
            self.pool.labels("max").set(pool.get_max_size())
        lift = getattr(state, "lift_loop", None)
        self.leader.set(1 if lift is not None and lift.is_leader else 0)

    def _flush_cache(self, cache: Any) -> None:
        now = (cache.hits, cache.misses, cache.builds)
        for outcome, new, old in zip(
            ("hit", "miss", "render"), now, self._cache_flushed, strict=True
        ):
            if new > old:
                self.cache.labels(outcome).inc(new - old)
        self._cache_flushed = now

    def exposition(self) -> bytes:
        """This process's registry, or every worker's files in multiprocess mode."""
        path = multiprocess_dir()
        if path is None:
            return generate_latest(self.registry)
        forget_dead_workers(path)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path)  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def worker_exits(self) -> None:
        """This worker's live gauges leave the sums (the files of its counters stay)."""
        path = multiprocess_dir()
        if path is not None:
            forget_worker(path, os.getpid())


def data_dir_usage(path: Path) -> tuple[int, int] | None:
    """Free and total bytes of the file system holding the data directory."""
    try:
        usage = shutil.disk_usage(path)
    except OSError:
        return None
    return usage.free, usage.total
