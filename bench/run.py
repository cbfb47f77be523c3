"""The press benchmark: `python bench/run.py` (full, about 14 minutes on 2 cores) or `--smoke` (CI).

Starts PostgreSQL from the embedded wheel in a temporary directory, migrates and seeds it,
serves press and the reference apps from one uvicorn process, drives each public endpoint
and its reference with wrk in interleaved rounds, measures search and probes embargo lifts
across two instances, sends one release by e-mail to 2,000 and to 10,000 subscribers through
a loopback aiosmtpd, compares `press serve --workers 2` with `--workers 1` (bench/workers.py),
then prints one table and a PASS/FAIL line per goal (G1-G6, G12 and G13 of the performance
issues, P1 of the press room) and writes the figures to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# This checkout's press, whatever else is installed.
sys.path[:0] = [str(ROOT), str(BENCH)]

import distribution  # noqa: E402
import httpx  # noqa: E402
import probe  # noqa: E402
import search  # noqa: E402
import seed  # noqa: E402
import workers  # noqa: E402
from load import Sample, Wrk, httpx_loop, process_cpu_seconds, wrk_path  # noqa: E402

from press.db import connect  # noqa: E402
from press.embedded import EmbeddedServer  # noqa: E402
from press.migrations import migrate  # noqa: E402

RESULTS = BENCH / "results"
BASELINE = BENCH / "baseline.json"
REGRESSION = 0.15
DETAIL_ID = "00000000-0000-0000-0000-000000000000"  # replaced by a seeded public release


@dataclass(frozen=True)
class Target:
    """One URL under load; `reference` names the target its ratio is taken against."""

    name: str
    path: str
    reference: str | None = None
    goal: str | None = None
    minimum: float | None = None
    conditional: bool = False  # sent with If-None-Match: the current ETag
    press: bool = True  # served by press (counts renders), not by a reference app
    # Each request adds one of this many distinct unread parameters (0: none, but the
    # requests are made the same way: load.Wrk.run).
    busters: int | None = None


REFERENCES = (
    Target("ref: ASGI constant 2 KB", "/__ref/asgi/constant", press=False),
    Target(
        "ref: Litestar constant", "/__ref/litestar/constant", "ref: ASGI constant 2 KB", press=False
    ),
    Target(
        "ref: Litestar 20 in memory",
        "/__ref/litestar/memory",
        "ref: Litestar constant",
        press=False,
    ),
    Target(
        "ref: Litestar one query",
        "/__ref/litestar/one-query",
        "ref: Litestar 20 in memory",
        press=False,
    ),
    Target(
        "ref: one query ?source&topic",
        "/__ref/litestar/one-query?source=city-board&topic=economy",
        press=False,
    ),
    # G8: what press sent for the public list, sent again by a bare ASGI app.
    Target("ref: ASGI same bytes", "/__ref/asgi/same-bytes?path=/api/v1/releases", press=False),
    # G7: `press serve` started by its own command with no request log (PRESS_REQUEST_LOG=off).
    Target("serve, no request log", "{quiet}/api/v1/releases", press=False),
)
MEMORY, CONSTANT, FILTERED = (
    "ref: Litestar 20 in memory",
    "ref: Litestar constant",
    "ref: one query ?source&topic",
)
ENDPOINTS = (
    Target("/api/v1/releases", "/api/v1/releases", MEMORY, "G1", 0.7),
    Target("/api/v1/releases?lang=sv", "/api/v1/releases?lang=sv", MEMORY, "G1", 0.7),
    Target(
        "?source=city-board&topic=economy",
        "/api/v1/releases?source=city-board&topic=economy",
        FILTERED,
        "G1",
        0.8,
    ),
    Target("/api/v1/releases 304", "/api/v1/releases", CONSTANT, "G2", 0.8, conditional=True),
    Target("/feeds/releases.rss", "/feeds/releases.rss", MEMORY, "G3", 0.7),
    Target("/feeds/events.ics", "/feeds/events.ics", MEMORY, "G3", 0.7),
    Target("/feeds/releases.atom", "/feeds/releases.atom", MEMORY),
    Target("/api/v1/events", "/api/v1/events", MEMORY),
    Target("/api/v1/releases/{id}", "/api/v1/releases/{id}", CONSTANT),
    # The press room's pages against the JSON list they are built from (issue: ≥ 0.9x).
    Target("/fi/ (press room)", "/fi/", "/api/v1/releases", "P1", 0.9),
    Target("/releases/{id} (page)", "/releases/{id}", "/api/v1/releases", "P1", 0.9),
    # The cached public list, with press's request log and metrics, against the same bytes
    # from a bare ASGI app under the same server (issue #19: ≥ 0.8x).
    Target("/api/v1/releases (cached)", "/api/v1/releases", "ref: ASGI same bytes", "G8", 0.8),
    # The public list from `press serve` with its default logging, against the same command
    # with no request log (issue #19: ≥ 0.9x).
    Target(
        "serve: /api/v1/releases", "{serve}/api/v1/releases", "serve, no request log", "G7", 0.9
    ),
)
SERVED = ("{serve}", "{quiet}")  # paths on the `press serve` instances of G7
# Issue #19, the read path when the cache cannot help. G9: a hundred distinct parameters no
# handler reads cost what the plain URL costs. G10: press started with PRESS_PUBLIC_CACHE_MB=0
# (instance "{uncached}") against the one-query reference. G11: a 304 against the 200 of the
# same URL.
UNCACHED = "{uncached}"
READ_PATH = (
    *(
        target
        for name, path in (
            ("/api/v1/releases", "/api/v1/releases"),
            ("/feeds/releases.rss", "/feeds/releases.rss"),
            ("/feeds/events.ics", "/feeds/events.ics"),
            ("/releases/{id} (page)", "/releases/{id}"),
        )
        for target in (
            Target(f"{name} ?_=0..99", path, f"{name} (same hook)", "G9", 0.9, busters=100),
            Target(f"{name} (same hook)", path, busters=0),
        )
    ),
    Target(
        "uncached /api/v1/releases",
        UNCACHED + "/api/v1/releases",
        "ref: Litestar one query",
        "G10",
        1.0,
    ),
    Target(
        "uncached /feeds/releases.rss",
        UNCACHED + "/feeds/releases.rss",
        "ref: Litestar one query",
        "G10",
        0.7,
    ),
    Target(
        "/api/v1/releases 304 vs 200",
        "/api/v1/releases",
        "/api/v1/releases",
        "G11",
        1.5,
        conditional=True,
    ),
    Target(
        "/feeds/releases.rss 304 vs 200",
        "/feeds/releases.rss",
        "/feeds/releases.rss",
        "G11",
        1.5,
        conditional=True,
    ),
)


@dataclass
class Row:
    target: Target
    path: str
    present: bool = True
    samples: list[Sample] = field(default_factory=list)
    builds: int = 0
    lifts: int = 0
    seconds: float = 0.0
    not_modified: bool = True
    ratios: list[float] = field(default_factory=list)  # to its reference, run back to back

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples) if self.samples else 0.0

    @property
    def failed(self) -> bool:
        return any(s.failed for s in self.samples)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def server_environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server process on the bench's database."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "DATABASE_URL": database_url,
        "PRESS_DATA_DIR": str(data_dir),
        "PRESS_SECRET_KEY": "bench-secret-key-not-for-production",
        **extra,
    }


class Instance:
    """One uvicorn process serving bench/reference.py's combined app."""

    def __init__(
        self, name: str, database_url: str, workdir: Path, env: dict[str, str] | None = None
    ) -> None:
        self.name = name
        self.cached = (env or {}).get("PRESS_PUBLIC_CACHE_MB") != "0"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"uvicorn-{name}.log"
        env = server_environment(
            database_url, workdir / f"data-{name}", PRESS_PUBLIC_URL=self.url, **(env or {})
        )
        # uvicorn with press's own HTTP protocol and limits, as `press serve` runs it.
        command = [sys.executable, str(BENCH / "reference.py"), "--port", str(self.port)]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log)

    async def ready(self, seconds: float = 30.0) -> None:
        """Wait until it answers and its public cache listens (unless it has none)."""
        deadline = time.monotonic() + seconds
        async with httpx.AsyncClient(base_url=self.url) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    stats = (await client.get("/__ref/stats")).json()
                    if stats["enabled"] or not self.cached:
                        return
                except (httpx.HTTPError, ValueError):
                    pass
                await asyncio.sleep(0.1)
        raise SystemExit(f"instance {self.name} did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Served:
    """`press serve` started by its own command (G7): its start-up path, its logging."""

    def __init__(self, name: str, database_url: str, workdir: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"serve-{name}.log"
        environment = server_environment(database_url, workdir / f"data-serve-{name}", **env)
        command = [sys.executable, "-m", "press", "serve", "--port", str(self.port)]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, env=environment, stdout=log, stderr=log)

    async def ready(self, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        async with httpx.AsyncClient(base_url=self.url) as client:
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        await asyncio.sleep(1.0)  # the public cache's LISTEN is up by then
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise SystemExit(f"press serve did not start:\n{self.log.read_text()[-3000:]}")

    stop = Instance.stop


async def builds(client: httpx.AsyncClient) -> int:
    return int((await client.get("/__ref/stats")).json()["builds"])


async def lifts_between(conn: object, start: float, end: float) -> int:
    return int(
        await conn.fetchval(  # type: ignore[attr-defined]
            """SELECT count(*) FROM releases WHERE state IN ('scheduled', 'published')
               AND publish_at > to_timestamp($1) AND publish_at <= to_timestamp($2)""",
            start,
            end,
        )
    )


def selected(only: set[str] | None) -> list[Target]:
    """The targets of the goals asked for (all without --only) and the references their
    ratios are taken against, down the chain."""
    targets = (*ENDPOINTS, *READ_PATH, *REFERENCES)
    if only is None:
        return list(targets)
    by_name = {t.name: t for t in targets}
    chosen = {t.name for t in targets if t.goal in only}
    for name in list(chosen):
        while (reference := by_name[name].reference) is not None:
            chosen.add(reference)
            name = reference
    return [t for t in targets if t.name in chosen]


async def discover(
    client: httpx.AsyncClient, detail_id: str, targets: list[Target], served: dict[str, str]
) -> list[Row]:
    """Every target with its path; an endpoint answering 404 is reported as not present."""
    rows = []
    for target in targets:
        path = target.path.replace("{id}", detail_id)
        for name, url in served.items():
            path = path.replace(name, url)
        response = await client.get(path)
        rows.append(Row(target, path, present=response.status_code != 404))
    return rows


async def etag_of(client: httpx.AsyncClient, path: str) -> dict[str, str]:
    # The representation wrk gets (no Accept-Encoding): a feed's gzip has an ETag of its own.
    response = await client.get(path, headers={"Accept-Encoding": "identity"})
    return {"If-None-Match": response.headers.get("etag", '"none"')}


async def measure(
    row: Row,
    client: httpx.AsyncClient,
    conn: object,
    seconds: float,
    wrk: Wrk | None,
    server_pid: int | None = None,
) -> Sample:
    """One run of `row`; `server_pid`: the process serving `client`'s own paths (the rows
    on other servers have full URLs), whose cores the sample then gives."""
    headers = await etag_of(client, row.path) if row.target.conditional else None
    before, started = await builds(client), time.time()
    if wrk is None:
        sample = await httpx_loop(client, row.path, seconds, headers, row.target.busters)
    else:
        url = client.base_url.join(row.path).__str__()
        server_cpu = None
        if server_pid is not None and row.path.startswith("/"):
            server_cpu = functools.partial(process_cpu_seconds, server_pid)
        sample = await asyncio.to_thread(
            wrk.run, url, seconds, headers, row.target.busters, server_cpu
        )
    if row.target.press:
        row.builds += await builds(client) - before
        row.lifts += await lifts_between(conn, started, time.time())
        row.seconds += time.time() - started
    if row.target.conditional and sample.bytes_per_request > 1000:
        row.not_modified = False  # most answers carried a body: not a 304 run
    return sample


async def drive(
    rows: list[Row],
    client: httpx.AsyncClient,
    conn: object,
    args: argparse.Namespace,
    server_pid: int | None = None,
) -> None:
    """Interleaved rounds: each endpoint runs back to back with its reference, endpoint first
    in even rounds and reference first in odd ones, and the pairs go in reverse order every
    other round. A ratio is the median of the per-round ratios, so background load that
    drifts over minutes cancels out."""
    wrk = None if args.smoke else Wrk(connections=args.connections)
    by_name = {r.target.name: r for r in rows}
    present = [r for r in rows if r.present]
    pairs = [
        (row, by_name[row.target.reference])
        for row in present
        if row.target.reference and by_name[row.target.reference].present
    ]
    try:
        if wrk is not None:
            for row in present:  # warm-up: plans, caches, connections
                await measure(row, client, conn, args.warmup, wrk, server_pid)
                row.builds = row.lifts = 0
                row.seconds = 0.0
        rounds = {row.target.name: rounds_of(row.target, args) for row, _ in pairs}
        for number in range(max(rounds.values(), default=0)):
            now = [(row, ref) for row, ref in pairs if number < rounds[row.target.name]]
            for row, reference in now if number % 2 == 0 else reversed(now):
                order = (row, reference) if number % 2 == 0 else (reference, row)
                sample = {}
                for target in order:
                    sample[target.target.name] = await measure(
                        target, client, conn, args.duration, wrk, server_pid
                    )
                    target.samples.append(sample[target.target.name])
                rps = sample[row.target.name].rps, sample[reference.target.name].rps
                row.ratios.append(rps[0] / rps[1] if rps[1] else 0.0)
                print(
                    f"  round {number + 1}: {row.target.name:<36} {rps[0]:8.0f} req/s, "
                    f"{reference.target.name} {rps[1]:8.0f}",
                    flush=True,
                )
    finally:
        if wrk is not None:
            wrk.close()


# Goals that compare press with press, on the same path, by a few percent (the request log's
# cost, unread parameters, a 304 against its 200): on a shared two-core machine one round's
# ratio of the same code ranges over ±10 %, so they take the median of more rounds.
CLOSE_GOALS = ("G7", "G9", "G11")
CLOSE_ROUNDS = 6


def rounds_of(target: Target, args: argparse.Namespace) -> int:
    if target.goal in CLOSE_GOALS and not args.smoke:
        return max(args.rounds, CLOSE_ROUNDS)
    return int(args.rounds)


def ratio(row: Row, by_name: dict[str, Row]) -> float | None:
    return statistics.median(row.ratios) if row.ratios else None


def verdict(row: Row, by_name: dict[str, Row]) -> tuple[float, bool] | None:
    """A goal's row: its ratio, and whether that meets its minimum without errors; None
    when the row was not measured."""
    r = ratio(row, by_name)
    if not row.present or r is None:
        return None
    return r, r >= (row.target.minimum or 0) and not row.failed


def render_table(rows: list[Row], by_name: dict[str, Row]) -> list[dict[str, object]]:
    print(
        f"\n{'endpoint':<38} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}  "
        f"{'reference':<30} {'ratio':>5}"
    )
    table = []
    for row in rows:
        if not row.present:
            print(f"{row.target.name:<38} {'not present (404)':>25}")
            table.append({"endpoint": row.target.name, "present": False})
            continue
        r = ratio(row, by_name)
        status = " FAIL: error responses" if row.failed else ""
        print(
            f"{row.target.name:<38} {row.median('rps'):8.0f} {row.median('p50_ms'):7.2f} "
            f"{row.median('p99_ms'):7.2f}  {row.target.reference or '':<30} "
            f"{'' if r is None else f'{r:5.2f}'}{status}"
        )
        table.append(
            {
                "endpoint": row.target.name,
                "path": row.path,
                "present": True,
                "rps": row.median("rps"),
                "p50_ms": row.median("p50_ms"),
                "p99_ms": row.median("p99_ms"),
                "reference": row.target.reference,
                "ratio": r,
                "rounds": [asdict(s) for s in row.samples],
                "builds": row.builds,
                "lifts": row.lifts,
                "failed": row.failed,
            }
        )
    return table


def goal_lines(
    rows: list[Row],
    by_name: dict[str, Row],
    found: list[search.SearchResult],
    trials: list[probe.Trial],
    regressions: list[str] | None,
) -> list[tuple[str, bool, str]]:
    goals: list[tuple[str, bool, str]] = []
    for goal in ("G1", "G2", "G3", "P1", "G7", "G8"):
        notes, ok = [], True
        for row in (r for r in rows if r.target.goal == goal):
            r = ratio(row, by_name)
            if not row.present or r is None:
                ok = False
                notes.append(f"{row.target.name} not present")
                continue
            good = r >= (row.target.minimum or 0) and not row.failed
            if goal == "G2" and not row.not_modified:
                good, notes = False, [*notes, "answers were not 304"]
            if goal == "G3":
                allowed = 1 + row.lifts + math.ceil(row.seconds / 300)
                good = good and row.builds <= allowed
                notes.append(
                    f"{row.target.name} {r:.2f}x, {row.builds} renders (≤{allowed} allowed)"
                )
            elif goal in CLOSE_GOALS:
                rounds = ", ".join(f"{x:.2f}" for x in row.ratios)
                notes.append(f"{row.target.name} {r:.2f}x [rounds {rounds}]")
            else:
                notes.append(f"{row.target.name} {r:.2f}x")
            ok = ok and good
        goals.append((goal, ok, "; ".join(notes)))
    goals += read_path_goals(rows, by_name)
    worst = max(found, key=lambda f: f.overhead_ms, default=None)
    goals.append(
        (
            "G4",
            bool(found) and all(f.passed for f in found),
            ""
            if worst is None
            else f"largest API-SQL p50 gap {worst.overhead_ms:.2f} ms ({worst.name}); max API p99 "
            f"{max(f.api_p99_ms for f in found):.1f} ms; failing: "
            f"{', '.join(f.name for f in found if not f.passed) or 'none'}",
        )
    )
    early = sum(t.early for t in trials)
    lag = max((t.worst_lag for t in trials), default=float("inf"))
    gone = max((t.worst_withdraw_lag for t in trials), default=0.0)
    errors = sum(t.errors for t in trials)
    goals.append(
        (
            "G5",
            bool(trials) and early == 0 and lag < 1 and gone < 1 and errors == 0,
            f"{len(trials)} trials, {early} early exposures, worst lag after lift {lag:.3f} s, "
            f"worst withdrawal lag across instances {gone:.3f} s, {errors} errors, "
            f"{sum(t.flaps for t in trials)} flaps",
        )
    )
    if regressions is not None:
        goals.append(
            (
                "G6",
                not regressions,
                "fell >15 % below baseline: " + (", ".join(regressions) or "none"),
            )
        )
    return goals


def read_path_goals(rows: list[Row], by_name: dict[str, Row]) -> list[tuple[str, bool, str]]:
    """G9-G11 (issue #19), each row with its per-round ratios (their spread)."""
    goals: list[tuple[str, bool, str]] = []
    for goal in ("G9", "G10", "G11"):
        judged = [judge_read_row(row, by_name) for row in rows if row.target.goal == goal]
        goals.append((goal, all(ok for ok, _ in judged), "; ".join(n for _, n in judged)))
    return goals


def judge_read_row(row: Row, by_name: dict[str, Row]) -> tuple[bool, str]:
    """Whether a G9-G11 row passes, and its note. G9's rows also render at most as often as
    G3 allows; G11's answers must really be 304s."""
    judged = verdict(row, by_name)
    if judged is None:
        return False, f"{row.target.name} not present"
    r, good = judged
    note = f"{row.target.name} {r:.2f}x"
    if row.target.goal == "G9":
        allowed = 1 + row.lifts + math.ceil(row.seconds / 300)
        good = good and row.builds <= allowed
        note += f", {row.builds} renders (≤{allowed} allowed)"
    if row.target.goal == "G11":
        if not row.not_modified:
            good, note = False, note + " (answers were not 304)"
        # wrk -t1 is one thread: near one core, the client and not the server sets the rate.
        note += f", wrk itself on {row.median('client_cores'):.2f} cores"
        # A server on one core whose CPU a request is about the same for both: what the 304
        # spares (the body) is a small part of a request's cost.
        ok_row = by_name[row.target.reference or row.target.name]
        note += (
            f", server on {row.median('server_cores'):.2f} cores: "
            f"{cpu_us(row, 'server_cores'):.1f} µs of its CPU a 304, "
            f"{cpu_us(ok_row, 'server_cores'):.1f} µs a 200"
        )
    return good, note + " [rounds " + ", ".join(f"{x:.2f}" for x in row.ratios) + "]"


def cpu_us(row: Row, cores: str) -> float:
    """The median over `row`'s runs of the microseconds of CPU a request that `cores` (an
    attribute of Sample) kept busy."""
    spent = [s.cpu_us(getattr(s, cores)) for s in row.samples]
    return statistics.median(spent) if spent else 0.0


def compare_baseline(table: list[dict[str, object]]) -> list[str] | None:
    if not BASELINE.exists():
        return None
    baseline = json.loads(BASELINE.read_text())["ratios"]
    fallen = []
    for entry in table:
        base, now = baseline.get(str(entry["endpoint"])), entry.get("ratio")
        if isinstance(base, float) and isinstance(now, float) and now < base * (1 - REGRESSION):
            fallen.append(f"{entry['endpoint']} {now:.2f} < {base:.2f}")
    return fallen


async def bench(args: argparse.Namespace, database_url: str, workdir: Path) -> int:
    conn = await connect(database_url)
    report: dict[str, object] = {"started": datetime.now(UTC).isoformat(), "smoke": args.smoke}
    instances: list[Instance] = []
    serving: list[Served] = []
    found: list[search.SearchResult] = []
    floor = 0.0
    trials: list[probe.Trial] = []
    others: list[Instance] = []  # not probed for the embargo
    try:
        print("migrating and seeding …", flush=True)
        await migrate(conn)
        report["seed_seconds"] = await seed.seed(
            database_url, recent=args.releases, archive=args.archive
        )
        detail_id = str(
            await conn.fetchval(
                "SELECT id FROM public_releases ORDER BY publish_at DESC OFFSET 3 LIMIT 1"
            )
        )
        print(f"  seeded in {sum(report['seed_seconds'].values()):.1f} s", flush=True)
        instances.append(Instance("A", database_url, workdir))
        await instances[0].ready()
        targets = selected(args.only)
        served: dict[str, str] = {}
        if any(SERVED[0] in t.path for t in targets):
            print("press serve, with and without its request log …", flush=True)
            serving += [
                Served("default", database_url, workdir),
                Served("quiet", database_url, workdir, PRESS_REQUEST_LOG="off"),
            ]
            for server in serving:
                await server.ready()
            served = dict(zip(SERVED, (server.url for server in serving), strict=True))
        if any(UNCACHED in t.path for t in targets):
            # G10: press with its public cache off, workers off (instance A lifts).
            uncached = Instance(
                "C", database_url, workdir, {"PRESS_PUBLIC_CACHE_MB": "0", "PRESS_NO_WORKERS": "1"}
            )
            others.append(uncached)
            await uncached.ready()
            served[UNCACHED] = uncached.url
        async with httpx.AsyncClient(base_url=instances[0].url, timeout=30) as client:
            rows = await discover(client, detail_id, targets, served)
            by_name = {r.target.name: r for r in rows}
            print("load …", flush=True)
            await drive(rows, client, conn, args, instances[0].process.pid)
            if args.wants("G4"):
                print("search …", flush=True)
                found, floor = await measure_search(instances[0].url, database_url, args)
        if args.wants("G5"):
            print("embargo probe …", flush=True)
            instances.append(Instance("B", database_url, workdir))
            await instances[1].ready()
            trials = await run_probe(instances, conn, args.trials, rows)
    finally:
        for instance in [*instances, *serving, *others]:
            instance.stop()
        await conn.close()
    # With press's servers stopped: the sender has the machine as a send-out would.
    sendouts = await run_sendouts(database_url, args.subscribers) if args.wants("G13") else []
    scaling = await run_workers_goal(database_url, workdir, args) if args.wants("G12") else None
    table = render_table(rows, by_name)
    if found:
        print_search(found, floor, thresholds=not args.smoke)
    regressions = compare_baseline(table) if args.only is None else None
    goals = [
        (goal, ok, note)
        for goal, ok, note in goal_lines(rows, by_name, found, trials, regressions)
        if args.wants(goal)
    ]
    if args.wants("G13"):
        goals.append(sendout_goal(sendouts))
    if scaling is not None:
        goals.append(workers.goal(scaling))
    failed = [g for g, ok, _ in goals if not ok]
    if not args.smoke:
        for goal, ok, note in goals:
            print(f"{goal} {'PASS' if ok else 'FAIL'}  {note}")
    report.update(
        table=table,
        search=[asdict(f) | {"passed": f.passed} for f in found],
        search_client_floor_ms=floor,
        probe=[asdict(t) for t in trials],
        sendouts=[asdict(s) | {"per_second": s.per_second} for s in sendouts],
        workers=asdict(scaling) | {"ratio": scaling.ratio} if scaling is not None else None,
        goals={g: {"pass": ok, "note": note} for g, ok, note in goals},
    )
    write_results(report, table, args.write_baseline and not args.smoke)
    broken = [r.target.name for r in rows if r.failed] + [
        f"probe errors {t.errors}" for t in trials if t.errors
    ]
    if scaling is not None and scaling.failed:
        broken.append("press serve --workers 1/2")
    if args.smoke:
        print("smoke:", "FAIL " + ", ".join(broken) if broken else "OK (no thresholds)")
        return 1 if broken else 0
    return 1 if failed else 0


async def run_sendouts(database_url: str, subscribers: int) -> list[distribution.SendOut]:
    """One release to a fifth of the subscribers, then to all of them: the larger send-out's
    rate is G13's figure, and the two peaks tell whether the sender's memory stays flat."""
    print("e-mail send-out …", flush=True)
    results = []
    for count in (subscribers // 5, subscribers):
        result = await distribution.measure(database_url, count)
        print(
            f"  {count} recipients: {result.per_second:.0f} messages/s, sender CPU "
            f"{result.cpu_ms_per_message:.2f} ms per message, peak "
            f"{result.peak_kib / 1024:.1f} MiB",
            flush=True,
        )
        results.append(result)
    return results


async def run_workers_goal(
    database_url: str, workdir: Path, args: argparse.Namespace
) -> workers.Scaling:
    """G12: `press serve --workers 2` against `--workers 1`, started by the command as a
    user starts them, with the bench's own servers stopped."""
    print("press serve --workers 1 and 2 …", flush=True)
    rounds = args.rounds if args.smoke else max(args.rounds, 6)
    return await workers.measure(database_url, workdir, rounds, args.duration, args.smoke)


def sendout_goal(sendouts: list[distribution.SendOut]) -> tuple[str, bool, str]:
    small, large = sendouts
    # Flat: the send-out five times larger may not need more than a quarter more memory.
    flat = large.peak_kib <= small.peak_kib * 1.25
    return (
        "G13",
        large.received == large.subscribers and large.per_second >= 500 and flat,
        f"{large.per_second:.0f} messages/s to {large.subscribers} recipients (≥500), "
        f"{large.cpu_ms_per_message:.2f} ms sender CPU per message, peak memory "
        f"{small.peak_kib / 1024:.1f} MiB at {small.subscribers} → "
        f"{large.peak_kib / 1024:.1f} MiB at {large.subscribers}",
    )


async def measure_search(
    url: str, database_url: str, args: argparse.Namespace
) -> tuple[list[search.SearchResult], float]:
    lean = search.KeepAlive(url)
    # The SQL side on a connection of its own, opened as the app opens its own.
    searcher = await connect(database_url)
    try:
        found = [
            await search.measure_class(searcher, lean, case, args.search_n, args.search_seconds)
            for case in search.CLASSES
        ]
        return found, await search.client_floor_ms(lean, args.search_n)
    finally:
        await lean.close()
        await searcher.close()


async def run_probe(
    instances: list[Instance], conn: object, trials: int, rows: list[Row]
) -> list[probe.Trial]:
    present = {r.path.split("?")[0] for r in rows if r.present}
    surfaces = {
        name: path
        for name, path in probe.SURFACES.items()
        if path.split("?")[0] in present or "{" in path
    }
    tokens = await probe.staff_tokens(conn)
    clients = {i.name: httpx.AsyncClient(base_url=i.url, timeout=10) for i in instances}
    results = []
    try:
        for number in range(trials):
            trial = await probe.run_trial(number, clients, surfaces, conn, tokens)
            print(
                f"  trial {number + 1} ({trial.via}): early {trial.early}, "
                f"worst lag {trial.worst_lag:.3f} s"
                + (f", withdrawal {trial.worst_withdraw_lag:.3f} s" if trial.withdraw_lag else ""),
                flush=True,
            )
            results.append(trial)
    finally:
        for client in clients.values():
            await client.aclose()
    return results


def print_search(found: list[search.SearchResult], floor: float, thresholds: bool) -> None:
    print(
        f"\n{'search class':<18} {'q':<30} {'hits':>4} {'n':>3} {'SQL p50':>7} {'SQL p99':>7} "
        f"{'pool':>6} {'API p50':>7} {'API p99':>7} {'gap':>5} {'paired':>6}"
    )
    for f in found:
        mark = "  FAIL" if thresholds and not f.passed else ""
        print(
            f"{f.name:<18} {f.q:<30} {f.hits:>4} {f.samples:>3} "
            f"{f.sql_p50_ms:7.2f} {f.sql_p99_ms:7.2f} {f.pool_sql_p50_ms:6.2f} "
            f"{f.api_p50_ms:7.2f} {f.api_p99_ms:7.2f} {f.overhead_ms:5.2f} {f.paired_ms:6.2f}{mark}"
        )
    print(f"(HTTP client floor, bare ASGI constant p50: {floor:.2f} ms)\n")


def write_results(
    report: dict[str, object], table: list[dict[str, object]], baseline: bool
) -> None:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{'smoke' if report['smoke'] else 'run'}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print(f"figures written to {path.relative_to(ROOT)}")
    if baseline:
        ratios = {
            str(e["endpoint"]): round(float(e["ratio"]), 3)  # type: ignore[arg-type]
            for e in table
            if e.get("ratio") is not None
        }
        BASELINE.write_text(
            json.dumps({"written": report["started"], "ratios": ratios}, indent=2) + "\n"
        )
        print(f"baseline written to {BASELINE.relative_to(ROOT)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="about a second per endpoint, small data, no wrk, no thresholds",
    )
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help="store this run's ratios in bench/baseline.json",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--only",
        type=lambda text: {goal.strip().upper() for goal in text.split(",") if goal.strip()},
        default=None,
        help="run only these goals' rows (and their references), e.g. --only G7,G8",
    )
    args = parser.parse_args()
    args.wants = lambda goal: args.only is None or goal in args.only
    args.warmup = 1.0
    args.releases, args.archive = (300, 2000) if args.smoke else (10_000, 100_000)
    args.search_n = 5 if args.smoke else 200
    args.search_seconds = 2.0 if args.smoke else 10.0
    args.trials = 2 if args.smoke else 10
    args.subscribers = 500 if args.smoke else 10_000
    if args.smoke:
        args.duration, args.rounds = 0.5, 1
    elif wrk_path() is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (Debian/Ubuntu)")
    return args


def run_loop(main: Coroutine[Any, Any, int]) -> int:
    """Run on the event loop uvicorn serves the app with (uvloop where installed): the
    search's SQL side then reads rows as fast as the app does."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def main() -> int:
    args = parse_args()
    started = time.monotonic()
    # As root the embedded server opens up its data directory's parents: keep it in the
    # system's temporary directory, never under a home directory.
    workdir = Path(tempfile.mkdtemp(prefix="press-bench-"))
    server = EmbeddedServer(workdir, fast_unsafe=True)
    try:
        database_url = server.start()
        code = run_loop(bench(args, database_url, workdir))
    finally:
        server.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"total {time.monotonic() - started:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
