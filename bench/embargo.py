"""Benchmark of the embargo engine: many releases lifting within a minute.

Schedules COUNT releases to lift at random instants spread over SPREAD seconds, runs the app
(`uvicorn --factory press.app:create_app`, INSTANCES processes) with a webhook receiver on
loopback, and while the lifts happen polls the public list many times a second. It prints:

- public visibility: how many polls ran, early exposures (a release in a response that ended
  before its publish_at: must be 0) and late misses (a release absent from a response that
  started after its publish_at: 0 by construction, since visibility is the SQL predicate);
- the lift lag (outbox event written - publish_at) and the webhook lag (arrival at the
  receiver - publish_at): p50, p99, max.

Usage: python bench/embargo.py [--count 1000] [--spread 60] [--instances 1]
                               [--database-url URL]   (default: an embedded server)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import msgspec

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from press.db import connect  # noqa: E402
from press.embargo.signing import new_webhook_secret  # noqa: E402
from press.embedded import EmbeddedServer  # noqa: E402
from press.migrations import migrate  # noqa: E402

LEAD_SECONDS = 5.0  # the first lift comes this long after scheduling ends


class Arrivals:
    """A loopback webhook receiver noting when each publication's delivery arrived."""

    def __init__(self) -> None:
        self.first_arrival: dict[str, float] = {}
        self.requests = 0
        self.port = 0

    async def start(self) -> asyncio.Server:
        server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        return server

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while await reader.readline():
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                body = await reader.readexactly(length)
                arrived = time.time()
                self.requests += 1
                release_id = msgspec.json.decode(body)["data"]["id"]
                self.first_arrival.setdefault(release_id, arrived)
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        writer.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_app(database_url: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PRESS_DATA_DIR": str(data_dir)}
    env.setdefault("PRESS_SECRET_KEY", "bench")
    command = [sys.executable, "-m", "uvicorn", "--factory", "press.app:create_app"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


async def wait_until_ready(client: httpx.AsyncClient, url: str) -> None:
    for _ in range(600):
        with contextlib.suppress(httpx.HTTPError):
            if (await client.get(f"{url}/readyz")).status_code == 200:
                return
        await asyncio.sleep(0.05)
    raise SystemExit(f"the app at {url} did not come up")


async def schedule(conn: asyncpg.Connection, count: int, spread: float) -> dict[str, datetime]:
    """COUNT releases lifting at random instants in [LEAD, LEAD + spread) from now."""
    rows = await conn.fetch(
        """
        WITH r AS (
            INSERT INTO releases (source, state, publish_at)
            SELECT 'city-board', 'scheduled',
                   statement_timestamp() + make_interval(secs => $2 + random() * $3)
            FROM generate_series(1, $1)
            RETURNING id, publish_at
        ), t AS (
            INSERT INTO release_translations (release_id, lang, title, slug)
            SELECT id, 'fi', 'Tiedote ' || id, 'tiedote-' || id FROM r
        )
        SELECT id, publish_at FROM r
        """,
        count,
        LEAD_SECONDS,
        spread,
    )
    return {str(r["id"]): r["publish_at"] for r in rows}


class Probe:
    """Polls the public list and checks each response against the schedule."""

    def __init__(self, schedule: dict[str, datetime]) -> None:
        self.schedule = {k: v.timestamp() for k, v in schedule.items()}
        self.polls = 0
        self.early = 0
        self.late_misses = 0

    async def run(self, client: httpx.AsyncClient, url: str, until: float) -> None:
        while time.time() < until:
            started = time.time()
            response = await client.get(f"{url}/api/v1/releases", params={"limit": "100"})
            ended = time.time()
            items = response.json()["items"]
            seen = {item["id"] for item in items}
            self.polls += 1
            self.early += sum(1 for i in seen if self.schedule.get(i, 0) > ended)
            # The list holds the 100 newest: judge misses only within the span it covers.
            oldest = min(
                (datetime.fromisoformat(i["published_at"]).timestamp() for i in items),
                default=started,
            )
            due = [i for i, at in self.schedule.items() if oldest < at <= started]
            self.late_misses += sum(1 for i in due if i not in seen)
            await asyncio.sleep(0.02)


def percentiles(values: list[float]) -> str:
    if not values:
        return "no data"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms   "
        f"max {ordered[-1] * 1000:7.1f} ms   (n={len(ordered)})"
    )


async def bench(database_url: str, count: int, spread: float, instances: int) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="press-bench-"))
    conn = await connect(database_url)
    await migrate(conn)
    receiver = Arrivals()
    server = await receiver.start()
    await conn.execute(
        "INSERT INTO webhooks (url, event_types, secret) VALUES ($1, $2, $3)",
        f"http://127.0.0.1:{receiver.port}/hook",
        ["release.*"],
        new_webhook_secret(),
    )
    apps = [start_app(database_url, data_dir) for _ in range(instances)]
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            for _, url in apps:
                await wait_until_ready(client, url)
            planned = await schedule(conn, count, spread)
            last = max(planned.values()).timestamp()
            probe = Probe(planned)
            print(f"scheduled {count} releases over {spread:.0f} s, {instances} instance(s)")
            await probe.run(client, apps[0][1], last + 1.0)
            deadline = time.time() + 30
            while len(receiver.first_arrival) < count and time.time() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        lift_lags = await conn.fetch(
            "SELECT extract(epoch FROM o.created_at - r.publish_at)::float8 AS lag"
            " FROM outbox o JOIN releases r ON r.id = o.aggregate_id"
            " WHERE o.event_type = 'release.published'"
        )
        events = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type = 'release.published'"
        )
        hook_lags = [at - planned[rid].timestamp() for rid, at in receiver.first_arrival.items()]
        print(f"public list polls        {probe.polls}")
        print(f"early exposures          {probe.early}   (must be 0)")
        print(f"late misses              {probe.late_misses}   (0: visibility is the predicate)")
        print(f"release.published events {events} for {count} releases")
        print(f"lift lag                 {percentiles([r['lag'] for r in lift_lags])}")
        print(f"webhook lag              {percentiles(hook_lags)}")
        print(
            f"webhook requests         {receiver.requests} ({len(receiver.first_arrival)} releases)"
        )
        early_hooks = sum(1 for lag in hook_lags if lag < 0)
        print(f"webhooks before lift     {early_hooks}   (must be 0)")
    finally:
        for process, _ in apps:
            process.send_signal(signal.SIGTERM)
        for process, _ in apps:
            process.wait(timeout=20)
        server.close()
        await conn.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def fresh_database(server_url: str) -> str:
    name = f"press_bench_{os.getpid()}"
    admin = await asyncpg.connect(server_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return with_database(server_url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=60.0)
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--database-url", help="a server to use (a new database is made on it)")
    args = parser.parse_args()
    embedded = None
    server_url = args.database_url
    if not server_url:
        embedded = EmbeddedServer(Path(tempfile.mkdtemp(prefix="press-bench-pg-")))
        embedded.start()
        server_url = embedded.url("postgres")
    try:
        database_url = asyncio.run(fresh_database(server_url))
        asyncio.run(bench(database_url, args.count, args.spread, args.instances))
    finally:
        if embedded is not None:
            embedded.shutdown()
            shutil.rmtree(embedded.data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
