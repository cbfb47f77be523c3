"""G12: `press serve --workers 2` against `--workers 1` on the cached public list.

Both are started as a user starts them (`python -m press serve`, their own logging, the
background work on) on the same database, and wrk (-t1 -c50) drives /api/v1/releases on one,
then the other; the order alternates every round and the figure is the median of the
per-round ratios, so load that drifts over minutes cancels out. The goal is 1.5x: on two
cores, with wrk taking about a third of one, about 1.6x is the ceiling.

`python bench/workers.py` runs G12 alone, on an embedded PostgreSQL seeded small (the list's
first page is all it serves); bench/run.py runs it after its other goals.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from load import Sample, Wrk, httpx_loop

ROOT = Path(__file__).resolve().parent.parent
PATH = "/api/v1/releases"
CONNECTIONS = 50
GOAL = 1.5


class Served:
    """One `press serve --workers N` process."""

    def __init__(self, workers: int, database_url: str, workdir: Path) -> None:
        self.workers = workers
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"serve-workers-{workers}.log"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            "DATABASE_URL": database_url,
            "PRESS_DATA_DIR": str(workdir / f"data-workers-{workers}"),
            "PRESS_SECRET_KEY": "bench-secret-key-not-for-production",
        }
        command = [sys.executable, "-m", "press", "serve", "--port", str(self.port)]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [*command, "--workers", str(workers)], env=env, stdout=log, stderr=log
            )

    async def ready(self, seconds: float = 90.0) -> None:
        deadline = time.monotonic() + seconds
        async with httpx.AsyncClient(base_url=self.url) as client:
            while time.monotonic() < deadline and self.process.poll() is None:
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        await asyncio.sleep(1.0)  # every worker up, its cache listening
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise SystemExit(f"press serve did not start:\n{self.log.read_text()[-3000:]}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and its worker processes (Linux; else 0)."""
        parents, used = {}, {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            parents[pid] = int(fields[1])
            used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        tree = {self.process.pid}
        while grown := {pid for pid, parent in parents.items() if parent in tree} - tree:
            tree |= grown
        return sum(used.get(pid, 0.0) for pid in tree)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Scaling:
    """Requests per second of each server, per round, and their ratios."""

    one: list[Sample] = field(default_factory=list)
    two: list[Sample] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    # Cores each server kept busy in each round: on a machine shared with other work, two
    # workers can only be faster than one when they got more than one core.
    cores: list[tuple[float, float]] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios) if self.ratios else 0.0

    @property
    def failed(self) -> bool:
        return any(s.failed for s in (*self.one, *self.two))


async def measure(
    database_url: str, workdir: Path, rounds: int, seconds: float, smoke: bool
) -> Scaling:
    """Start both servers and drive them in interleaved rounds; stop them."""
    servers = [Served(1, database_url, workdir), Served(2, database_url, workdir)]
    wrk = None if smoke else Wrk(connections=CONNECTIONS)
    result = Scaling()
    try:
        for server in servers:
            await server.ready()
        async with httpx.AsyncClient(timeout=30) as client:
            busy: dict[int, float] = {}

            async def sample(server: Served, duration: float) -> Sample:
                before, started = server.cpu_seconds(), time.monotonic()
                if wrk is None:
                    got = await httpx_loop(client, server.url + PATH, duration)
                    busy[server.workers] = (server.cpu_seconds() - before) / (
                        time.monotonic() - started
                    )
                else:
                    run = functools.partial(wrk.run, server_cpu=server.cpu_seconds)
                    got = await asyncio.to_thread(run, server.url + PATH, duration)
                    busy[server.workers] = got.server_cores
                return got

            for server in servers:  # warm-up: the cache, the pools, each worker's plans
                await sample(server, 1.0)
            for number in range(rounds):
                order = servers if number % 2 == 0 else servers[::-1]
                got = {s.workers: await sample(s, seconds) for s in order}
                result.one.append(got[1])
                result.two.append(got[2])
                result.ratios.append(got[2].rps / got[1].rps if got[1].rps else 0.0)
                result.cores.append((busy[1], busy[2]))
                print(
                    f"  round {number + 1}: --workers 1 {got[1].rps:8.0f} req/s "
                    f"({busy[1]:.2f} cores), --workers 2 {got[2].rps:8.0f} req/s "
                    f"({busy[2]:.2f} cores), {result.ratios[-1]:.2f}x",
                    flush=True,
                )
    finally:
        if wrk is not None:
            wrk.close()
        for server in servers:
            server.stop()
    return result


def ceiling(one: list[Sample]) -> float:
    """What the machine's cores allow two workers against one, at one worker's CPU a request:
    one worker is held to its core (s µs of server CPU a request), while two can have every
    core, shared with wrk (w) and the rest of the machine's work, mostly the kernel's network
    work outside either process (k): cores · s / (s + w + k), the median over the rounds.
    A faster server lowers it: on two cores only a server costing at least three times wrk
    and the rest together reaches 1.5."""
    bounds = []
    for s in one:
        spent = s.cpu_us(s.machine_cores)  # s + w + k
        if spent:
            bounds.append((os.cpu_count() or 1) * s.cpu_us(s.server_cores) / spent)
    return statistics.median(bounds) if bounds else 0.0


def goal(result: Scaling) -> tuple[str, bool, str]:
    runs = (result.one, result.two)
    rps = [statistics.median(s.rps for s in samples) for samples in runs]
    rounds = ", ".join(f"{r:.2f}" for r in result.ratios)
    cores = [statistics.median(c[i] for c in result.cores) if result.cores else 0.0 for i in (0, 1)]

    def median(attr: str) -> list[float]:
        return [statistics.median(getattr(s, attr) for s in samples) for samples in runs]

    client, machine = median("client_cores"), median("machine_cores")
    one = result.one
    return (
        "G12",
        result.ratio >= GOAL and not result.failed,
        f"press serve --workers 2 {result.ratio:.2f}x --workers 1 (≥{GOAL}) on {PATH}, "
        f"wrk -c{CONNECTIONS}: {rps[0]:.0f} → {rps[1]:.0f} req/s on {cores[0]:.2f} → "
        f"{cores[1]:.2f} cores (wrk itself on {client[0]:.2f} → {client[1]:.2f}; the machine "
        f"busy on {machine[0]:.2f} → "
        f"{machine[1]:.2f} of {os.cpu_count()} cores); a request at one worker: server "
        f"{statistics.median(s.cpu_us(s.server_cores) for s in one):.1f} µs, wrk "
        f"{statistics.median(s.cpu_us(s.client_cores) for s in one):.1f} µs, the rest "
        f"{statistics.median(s.cpu_us(s.other_cores) for s in one):.1f} µs: the cores "
        f"allow {ceiling(one):.2f}x; rounds {rounds}"
        + ("; error responses" if result.failed else ""),
    )


async def alone(args: argparse.Namespace, workdir: Path) -> int:
    import seed

    from press.db import connect
    from press.embedded import EmbeddedServer
    from press.migrations import migrate

    server = EmbeddedServer(workdir, fast_unsafe=True)
    try:
        database_url = server.start()
        conn = await connect(database_url)
        try:
            await migrate(conn)
        finally:
            await conn.close()
        await seed.seed(database_url, recent=300, archive=0)
        result = await measure(database_url, workdir, args.rounds, args.duration, args.smoke)
    finally:
        server.shutdown()
    if args.smoke:
        print("smoke:", "FAIL: error responses" if result.failed else "OK (no threshold)")
        return 1 if result.failed else 0
    name, ok, note = goal(result)
    print(f"{name} {'PASS' if ok else 'FAIL'}  {note}")
    return 0 if ok else 1


def main() -> int:
    sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per wrk run")
    parser.add_argument("--smoke", action="store_true", help="no wrk, no threshold")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="press-bench-workers-"))
    try:
        return asyncio.run(alone(args, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
