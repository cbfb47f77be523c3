"""One release to 10,000 subscribers through a real SMTP server (aiosmtpd) on loopback.

Prints the sender's throughput (messages per second, from the start of the sender process
to the last message received, expansion of the outbox event included) and its peak memory
(VmHWM of the sender process). PostgreSQL is the embedded server in a temporary directory,
or BENCH_DATABASE_URL (a server URL; a scratch database is created there and dropped).

    python bench/distribution.py [--subscribers 10000] [--connections 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP as SMTPServer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch import postgres_server, scratch_database  # noqa: E402

from press.db import connect  # noqa: E402
from press.migrations import migrate  # noqa: E402
from press.outbox import add_event, publication_key  # noqa: E402


class Counter:
    def __init__(self) -> None:
        self.received = 0
        self.done = asyncio.Event()
        self.expected = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received += 1
        if self.received >= self.expected:
            self.done.set()
        return "250 OK"


async def seed(url: str, subscribers: int) -> None:
    conn = await connect(url)
    try:
        await migrate(conn)
        await conn.execute(
            "INSERT INTO contacts (name, email, languages) "
            "SELECT 'Reader ' || i, 'reader' || i || '@news.example', "
            "CASE i % 3 WHEN 0 THEN '{fi}' WHEN 1 THEN '{sv}' ELSE '{en}' END::text[] "
            "FROM generate_series(1, $1) i",
            subscribers,
        )
        await conn.execute(
            "INSERT INTO subscriptions (contact_id, state, confirmed_at) "
            "SELECT id, 'confirmed', now() FROM contacts"
        )
        release_id = await conn.fetchval(
            "INSERT INTO releases (source, state, publish_at) "
            "VALUES ('city-board', 'published', now()) RETURNING id"
        )
        body = "Kaupunginhallitus päätti asiasta. " * 40
        for lang in ("fi", "sv", "en"):
            await conn.execute(
                "INSERT INTO release_translations "
                "(release_id, lang, title, lead, body, body_html, slug) "
                "VALUES ($1, $2, $3, 'Ingressi', $4, $5, $6)",
                release_id, lang, f"Tiedote ({lang})", body, f"<p>{body}</p>", f"tiedote-{lang}",
            )  # fmt: skip
        publish_at = await conn.fetchval(
            "SELECT publish_at FROM releases WHERE id = $1", release_id
        )
        await add_event(
            conn, "release.published", release_id, publication_key(release_id, publish_at),
            {"id": str(release_id)},
        )  # fmt: skip
    finally:
        await conn.close()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


@dataclass(frozen=True)
class SendOut:
    """One send-out as measured: throughput from the sender's start to the last message
    received (expansion of the outbox event included), its peak memory and CPU."""

    subscribers: int
    received: int
    connections: int
    elapsed: float
    peak_kib: int
    sender_cpu: float
    server_cpu: float

    @property
    def per_second(self) -> float:
        return self.received / self.elapsed

    @property
    def cpu_ms_per_message(self) -> float:
        return self.sender_cpu / max(self.received, 1) * 1000


async def measure(server_url: str, subscribers: int, connections: int = 16) -> SendOut:
    """Seed a scratch database on `server_url` and send one release to `subscribers`."""
    async with scratch_database(server_url) as url:
        await seed(url, subscribers)
        counter = Counter()
        counter.expected = subscribers
        loop = asyncio.get_running_loop()
        smtp = await loop.create_server(lambda: SMTPServer(counter), "127.0.0.1", 0)
        port = smtp.sockets[0].getsockname()[1]
        data_dir = tempfile.mkdtemp(prefix="press-bench-")
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": url,
            "PRESS_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "PRESS_SECRET_KEY": "bench",
            "PRESS_DATA_DIR": data_dir,
            "PRESS_MAIL_RATE": "100000",
            "PRESS_MAIL_BATCH": "100",
            "PRESS_MAIL_CONNECTIONS": str(connections),
        }
        started, server_cpu = time.perf_counter(), time.process_time()
        sender = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "press.delivery.worker", env=env, cwd=ROOT
        )
        try:
            finished = asyncio.create_task(counter.done.wait())
            exited = asyncio.create_task(sender.wait())
            await asyncio.wait({finished, exited}, timeout=600, return_when=asyncio.FIRST_COMPLETED)
            if not finished.done():
                raise SystemExit(f"the sender stopped early; {counter.received} messages received")
            elapsed = time.perf_counter() - started
            peak, sender_cpu = peak_memory_kib(sender.pid), cpu_seconds(sender.pid)
            server_cpu = time.process_time() - server_cpu
        finally:
            if sender.returncode is None:
                sender.terminate()
                await sender.wait()
            smtp.close()
            shutil.rmtree(data_dir, ignore_errors=True)
        return SendOut(
            subscribers, counter.received, connections, elapsed, peak, sender_cpu, server_cpu
        )


async def run(server_url: str, subscribers: int, connections: int) -> None:
    result = await measure(server_url, subscribers, connections)
    print(f"subscribers        {result.subscribers}")
    print(f"messages received  {result.received}")
    print(f"SMTP connections   {result.connections}")
    print(f"elapsed            {result.elapsed:.1f} s (sender start → last message)")
    print(f"throughput         {result.per_second:.0f} messages/s")
    print(f"sender peak memory {result.peak_kib / 1024:.1f} MiB (VmHWM)")
    print(
        f"sender CPU         {result.sender_cpu:.1f} s "
        f"({result.cpu_ms_per_message:.2f} ms per message)"
    )
    print(f"SMTP server CPU    {result.server_cpu:.1f} s (aiosmtpd, in this process)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with postgres_server() as server_url:
        asyncio.run(run(server_url, args.subscribers, args.connections))


if __name__ == "__main__":
    main()
