"""`press serve --workers 2` as a real process on the embedded PostgreSQL: a burst of
keep-alive connections spreads over both workers, a killed worker is started again while
the connections meant for it wait, SIGHUP replaces the workers while serving, a port in use
is refused, and SIGINT and SIGTERM stop everything cleanly.

Which worker holds a connection is read from /proc (the process whose descriptor is the
server side of it), so the service itself exposes nothing of the sort."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from press.workers import spreads_connections
from tests.cli.test_serve import free_port, postgres_running, press, start, wait_ready

pytestmark = pytest.mark.skipif(
    not spreads_connections(), reason="a socket per worker only where the kernel spreads them"
)
CONNECTIONS = 50
FAIR_SHARE = 13  # of 50 per worker; an even hash gives fewer than 13 once in 3,000 bursts
REQUEST = b"GET /api/v1/releases HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int

    def workers(self) -> set[int]:
        """The pids of the worker processes (multiprocessing's spawned children)."""
        found = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid and b"spawn_main" in command:
                found.add(int(entry.name))
        return found

    def wait_for_workers(self, count: int, without: frozenset[int] = frozenset()) -> set[int]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            workers = self.workers() - without
            if len(workers) == count:
                return workers
            time.sleep(0.2)
        raise AssertionError(f"not {count} workers: {self.workers()}")

    def connections_by_worker(self) -> dict[int, int]:
        """How many established connections to the port each worker holds."""
        server_sides = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == self.port and fields[3] == "01":  # ESTABLISHED
                    server_sides.add(f"socket:[{fields[9]}]")
        held = {}
        for pid in self.workers():
            fds = Path(f"/proc/{pid}/fd")
            held[pid] = sum(1 for fd in fds.iterdir() if _link(fd) in server_sides)
        return held


def _link(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


async def _one_request(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, int]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(REQUEST)
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    await reader.readexactly(length)
    return reader, writer, int(head.split(b" ", 2)[1])


def burst(served: Served) -> tuple[list[int], dict[int, int]]:
    """Open CONNECTIONS keep-alive connections at once, as wrk does, and make one request
    on each; the statuses, and the connections each worker holds while all are open."""

    async def run() -> tuple[list[int], dict[int, int]]:
        opened = await asyncio.wait_for(
            asyncio.gather(*(_one_request(served.port) for _ in range(CONNECTIONS))), 60
        )
        try:
            return [status for _, _, status in opened], served.connections_by_worker()
        finally:
            for _, writer, _ in opened:
                writer.close()

    return asyncio.run(run())


@contextlib.contextmanager
def environment() -> Iterator[tuple[dict[str, str], Path]]:
    """The environment of a `press serve` on a data directory of its own, and that directory."""
    # Not pytest's tmp_path: as root the embedded server runs as another user (test_serve).
    data_dir = Path(tempfile.mkdtemp(prefix="press-workers-")) / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRESS_", "DATABASE_URL"))}
    env["PRESS_DATA_DIR"] = str(data_dir)
    try:
        yield env, data_dir
    finally:
        press(env, "db", "stop")  # after a failure, a server left behind
        shutil.rmtree(data_dir.parent, ignore_errors=True)


@pytest.fixture
def env() -> Iterator[dict[str, str]]:
    with environment() as (env, _):
        yield env


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with environment() as (env, _):
        port = free_port()
        process = start(env, port, "--workers", "2", "--demo")
        try:
            wait_ready(port, process)
            yield Served(process, port)
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=60)


def test_a_burst_of_connections_spreads_over_both_workers(served: Served) -> None:
    workers = served.wait_for_workers(2)
    statuses, held = burst(served)
    assert statuses == [200] * CONNECTIONS
    # Each connection is one worker's for its life: its share of the connections is its
    # share of the requests.
    assert set(held) == workers
    assert sum(held.values()) == CONNECTIONS
    assert min(held.values()) >= FAIR_SHARE, held


def test_a_killed_worker_is_started_again_and_its_connections_wait_for_it(
    served: Served,
) -> None:
    victim, survivor = sorted(served.wait_for_workers(2))
    os.kill(victim, signal.SIGKILL)
    # At once, while no process accepts on the dead worker's socket: the connections the
    # kernel gives that socket wait for the new worker instead of failing.
    statuses, _ = burst(served)
    assert statuses == [200] * CONNECTIONS
    (new,) = served.wait_for_workers(1, without=frozenset({survivor}))
    assert new != victim
    statuses, held = burst(served)
    assert set(held) == {survivor, new}
    assert statuses == [200] * CONNECTIONS
    assert min(held.values()) >= FAIR_SHARE, held


def test_sighup_replaces_every_worker_while_connections_keep_being_served(
    served: Served,
) -> None:
    old = served.wait_for_workers(2)
    served.process.send_signal(signal.SIGHUP)
    statuses, _ = burst(served)
    assert statuses == [200] * CONNECTIONS
    deadline = time.monotonic() + 120
    while served.workers() & old or len(served.workers()) != 2:
        assert time.monotonic() < deadline, (old, served.workers())
        time.sleep(0.2)
    statuses, held = burst(served)
    assert statuses == [200] * CONNECTIONS
    assert min(held.values()) >= FAIR_SHARE, held


def test_a_port_in_use_is_refused_though_its_socket_allows_sharing(
    env: dict[str, str],
) -> None:
    # SO_REUSEPORT would let the workers join a socket of this user's: another press serve,
    # say, which would then silently share the connections.
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start(env, port, "--workers", "2")
        output, _ = process.communicate(timeout=120)
    assert process.returncode != 0, output[-3000:]
    assert f"cannot listen on 127.0.0.1:{port}" in output, output[-3000:]
    assert "PostgreSQL (embedded) stopped" in output, output[-3000:]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_workers_stop_cleanly_on_a_signal(stop: signal.Signals) -> None:
    with environment() as (env, data_dir):
        port = free_port()
        process = start(env, port, "--workers", "2")
        wait_ready(port, process)
        workers = Served(process, port).wait_for_workers(2)
        process.send_signal(stop)
        output, _ = process.communicate(timeout=60)
        assert output.count("Application shutdown complete.") == 2, output[-3000:]
        assert "PostgreSQL (embedded) stopped" in output, output[-3000:]
        assert not postgres_running(data_dir)
        assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
