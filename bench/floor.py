"""The floor under G11 and G12: what any Python server on this machine spends on a request.

A bare protocol on uvloop, as press serve runs (no HTTP parser, no routing, no log: it looks
for the end of a request's head and writes a constant answer), is driven by wrk -t1 -c50 as
bench/run.py drives press: a 200 with a body of the public list's size, and a 304. Each
run reports the server's CPU a request, wrk's, and the rest of the machine's.

    python bench/floor.py              # 36 KB, as the list; --body 80000 for the RSS feed

- G11: the 304 spares the server only the body's cost (B µs); a request costs the bare
  server F µs, so no Python server here can do better than (F + B) / F, and press, which
  spends more than F on the same request, less.
- G12: one bare process against two, as bench/workers.py compares press serve's workers,
  with the cores each side used: when wrk and the kernel take what one server process
  leaves, a second process has nothing to run on.

Run it on an otherwise idle machine; about half a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import signal
import socket
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Sample, Wrk, process_cpu_seconds

ETAG = b'"floor"'


class Constant(asyncio.Protocol):
    """Answers every request head with the same bytes: a 304 when it names our ETag."""

    def __init__(self, ok: bytes, body: bytes) -> None:
        self.ok = ok
        self.body = body
        self.transport: Any = None  # uvloop's transports are not asyncio.Transport's

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if not data.endswith(b"\r\n\r\n"):
            return  # wrk sends each head in one write; anything else is not ours to time
        if ETAG in data:
            self.transport.write(b"HTTP/1.1 304 Not Modified\r\netag: " + ETAG + b"\r\n\r\n")
        else:
            self.transport.writelines((self.ok, self.body))


def serve(sock: socket.socket, size: int) -> None:
    """One server process on a shared listening socket, until SIGTERM."""
    import uvloop

    body = b"x" * size
    ok = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\netag: %s\r\n"
        b"content-length: %d\r\n\r\n" % (ETAG, size)
    )

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        server = await loop.create_server(lambda: Constant(ok, body), sock=sock)
        async with server:
            await stop.wait()

    uvloop.run(main())


class Floor:
    """`processes` bare server processes on one port (forked, sharing the socket)."""

    def __init__(self, processes: int, size: int) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1024)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.pids = []
        for _ in range(processes):
            pid = os.fork()
            if pid == 0:
                try:
                    serve(self.sock, size)
                finally:
                    os._exit(0)
            self.pids.append(pid)

    def cpu_seconds(self) -> float:
        return sum(process_cpu_seconds(pid) for pid in self.pids)

    def stop(self) -> None:
        for pid in self.pids:
            os.kill(pid, signal.SIGTERM)
        for pid in self.pids:
            os.waitpid(pid, 0)
        self.sock.close()


def line(name: str, samples: list[Sample]) -> str:
    def med(values: list[float]) -> float:
        return statistics.median(values)

    return (
        f"  {name:<22} {med([s.rps for s in samples]):8.0f} req/s  server "
        f"{med([s.server_cores for s in samples]):.2f} cores, "
        f"{med([s.cpu_us(s.server_cores) for s in samples]):5.1f} µs a request; wrk "
        f"{med([s.client_cores for s in samples]):.2f} cores, "
        f"{med([s.cpu_us(s.client_cores) for s in samples]):5.1f} µs; the rest "
        f"{med([s.other_cores for s in samples]):.2f} cores"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--body", type=int, default=35675, help="bytes of the 200's body")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per wrk run")
    args = parser.parse_args()
    wrk = Wrk(connections=50)
    one, two = Floor(1, args.body), Floor(2, args.body)
    runs: dict[str, list[Sample]] = {"200, one process": [], "304, one process": []}
    runs["200, two processes"] = []
    try:
        for _ in range(args.rounds):
            for name, floor, headers in (
                ("200, one process", one, None),
                ("304, one process", one, {"If-None-Match": ETAG.decode()}),
                ("200, two processes", two, None),
            ):
                run = functools.partial(wrk.run, server_cpu=floor.cpu_seconds)
                runs[name].append(run(floor.url, args.duration, headers))
    finally:
        wrk.close()
        one.stop()
        two.stop()
    print(f"a bare uvloop protocol answering a constant ({args.body} bytes), wrk -t1 -c50:")
    for name, samples in runs.items():
        print(line(name, samples))

    def us(name: str) -> float:
        return statistics.median(s.cpu_us(s.server_cores) for s in runs[name])

    fixed, body = us("304, one process"), us("200, one process") - us("304, one process")
    scaling = statistics.median(
        b.rps / a.rps
        for a, b in zip(runs["200, one process"], runs["200, two processes"], strict=True)
    )
    print(
        f"floor: a request {fixed:.1f} µs of server CPU, the body {body:.1f} µs more: "
        f"no Python server here does better than {(fixed + body) / fixed:.2f}x on a 304 (G11); "
        f"two processes {scaling:.2f}x one (G12)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
