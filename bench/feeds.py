"""Benchmark: the 50-entry RSS feed, the same feed answered with 304, and the JSON list.

Seeds at least 10,000 published releases with SQL into an embedded PostgreSQL of its own,
serves the app with uvicorn in a subprocess on 127.0.0.1, and drives it with wrk when it is
installed (else with a small asyncio/httpx loop). Prints requests per second and p99 side by
side. Usage: python bench/feeds.py [--releases 10000] [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

from press.db import connect
from press.embedded import EmbeddedServer
from press.migrations import migrate

SEED = """
WITH made AS (
    INSERT INTO releases (source, state, publish_at, updated_at)
    SELECT (ARRAY['city-council', 'city-board', 'city-executive-office'])[1 + n % 3],
           'published',
           statement_timestamp() - make_interval(mins => n * 97),
           statement_timestamp() - make_interval(mins => n * 97)
    FROM generate_series(1, $1) AS n
    RETURNING id
), numbered AS (
    SELECT id, row_number() OVER () AS n FROM made
), fi AS (
    INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug)
    SELECT id, 'fi', 'Kaupunginhallitus päätti asiasta ' || n, 'Ingressi tiedotteesta ' || n,
           repeat('Tekstiä päätöksestä. ', 60),
           '<p>' || repeat('Tekstiä päätöksestä. ', 60) || '</p>', 'tiedote-' || n
    FROM numbered
), sv AS (
    INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug)
    SELECT id, 'sv', 'Stadsstyrelsen beslöt ' || n, 'Ingress ' || n,
           repeat('Text om beslutet. ', 60),
           '<p>' || repeat('Text om beslutet. ', 60) || '</p>', 'meddelande-' || n
    FROM numbered WHERE n % 2 = 0
)
INSERT INTO release_topics (release_id, topic)
SELECT id, (ARRAY['economy', 'housing', 'transport', 'culture'])[1 + n % 4] FROM numbered
"""

SCENARIOS = (
    ("RSS feed, 50 entries (200)", "/feeds/releases.rss", False),
    ("RSS feed, If-None-Match (304)", "/feeds/releases.rss", True),
    ("JSON list, limit=50 (200)", "/api/v1/releases?limit=50", False),
    # For comparison: a query string the cache has not seen makes every request render.
    ("RSS feed, rendered every time", "/feeds/releases.rss?nocache=", False),
)
# wrk: a new value for the cache-busting parameter on every request.
BUST_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. counter)
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def seed(url: str, count: int) -> None:
    conn: asyncpg.Connection = await connect(url)
    try:
        await migrate(conn)
        await conn.execute(SEED, count)
        await conn.execute("ANALYZE")
        total = await conn.fetchval("SELECT count(*) FROM public_releases")
        print(f"seeded {total} public releases")
    finally:
        await conn.close()


def run_wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> tuple[float, str]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if url.endswith("="):
        script = Path(tempfile.gettempdir()) / "press-bench-bust.lua"
        script.write_text(BUST_LUA)
        command += ["-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{non_2xx.group(1)} failed responses from {url}")
    return rps, p99


async def run_httpx(
    url: str, headers: dict[str, str], seconds: int, connections: int
) -> tuple[float, str]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            target = f"{url}{len(latencies)}" if url.endswith("=") else url
            response = await client.get(target, headers=headers)
            assert response.status_code in (200, 304)
            latencies.append(time.perf_counter() - start)

    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(connections)))
    p99 = statistics.quantiles(latencies, n=100)[98]
    return len(latencies) / seconds, f"{p99 * 1000:.2f}ms"


def wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit("the app exited during start-up")
        try:
            if httpx.get(base + "/readyz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the app did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--releases", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="press-bench-"))
    database = EmbeddedServer(data_dir, fast_unsafe=True)
    url = database.start()
    app = None
    try:
        asyncio.run(seed(url, args.releases))
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PRESS_PUBLIC_URL": base,
            "PRESS_NO_WORKERS": "1",
            "PRESS_DATA_DIR": str(data_dir),
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        }
        app = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "press.app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        wait_until_up(base, app)
        with httpx.Client(base_url=base) as client:
            started = time.perf_counter()
            first = client.get("/feeds/releases.rss")
            cold = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            for _ in range(20):
                client.get("/feeds/releases.rss")
            warm = (time.perf_counter() - started) * 1000 / 20
        etag = first.headers["etag"]
        print(
            f"RSS feed: {len(first.content)} bytes; first request (renders) {cold:.1f} ms, "
            f"then {warm:.1f} ms each (rendered feed reused)"
        )
        driver = "wrk" if shutil.which("wrk") else "httpx"
        print(
            f"driver: {driver}, {args.connections} connections, {args.seconds} s each, "
            f"1 uvicorn worker, {os.cpu_count()} CPUs shared with PostgreSQL and the driver"
        )
        print(f"{'scenario':<34}{'req/s':>10}{'p99':>12}")
        for name, path, conditional in SCENARIOS:
            headers = {"If-None-Match": etag} if conditional else {}
            if driver == "wrk":
                rps, p99 = run_wrk(base + path, headers, args.seconds, args.connections)
            else:
                rps, p99 = asyncio.run(
                    run_httpx(base + path, headers, args.seconds, args.connections)
                )
            print(f"{name:<34}{rps:>10.0f}{p99:>12}")
    finally:
        if app is not None:
            app.terminate()
            app.wait(timeout=10)
        database.shutdown()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
