"""The worker processes of `press serve --workers N`: on Linux, one listening socket each.

uvicorn's own supervisor binds one socket and hands it to every worker. They all wait on it,
and the first to wake accepts every connection queued by then (asyncio and uvloop accept up
to the backlog per wake-up). Keep-alive clients that connect in a burst, as a load balancer
or wrk does, then land unevenly: 50 connections went 41/9, 40/10 and 35/15 between two
workers, and the busier worker set the pace (two workers gave 1.2x one worker).

Here each worker listens on a socket of its own, all bound to the same address with
SO_REUSEPORT, and the kernel hands each new connection to one of them by a hash of its
addresses and ports: an even spread whatever the timing. The sockets are made and kept open
by the supervising process, not by the workers, so that

- a port in use stops `press serve` before any worker starts, as with one socket;
- a worker that dies is started again on the same socket, and connections the kernel queued
  on it meanwhile wait for the new worker instead of being reset.

Other systems either do not spread connections over such sockets or spread them
differently, so there (and with one worker) uvicorn runs as it always has.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
from types import FrameType
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Process

logger = logging.getLogger("uvicorn.error")
CHECK_SECONDS = 0.5  # how often the supervisor looks at its workers
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
READY_SECONDS = 60  # for a worker started by SIGHUP to serve, before the old one stops


def spreads_connections() -> bool:
    """Whether the kernel spreads connections evenly over SO_REUSEPORT listeners."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def serve(app: str, *, workers: int, **options: Any) -> None:
    """`uvicorn.run(app, workers=workers, **options)`, with a socket per worker where
    the kernel spreads connections over them."""
    if workers == 1 or not spreads_connections():
        uvicorn.run(app, workers=workers, **options)
        return
    config = uvicorn.Config(app, workers=workers, **options)
    try:
        sockets = listening_sockets(config.host, config.port, config.backlog, workers)
    except OSError as exc:
        logger.error("cannot listen on %s:%d: %s", config.host, config.port, exc)
        sys.exit(STARTUP_FAILURE)
    try:
        Supervisor(config, sockets).run()
    except KeyboardInterrupt:  # SIGINT, raised again once the workers have stopped
        pass
    finally:
        for sock in sockets:
            sock.close()


def listening_sockets(host: str, port: int, backlog: int, count: int) -> list[socket.socket]:
    """`count` sockets listening on host:port together."""
    # SO_REUSEPORT lets any process of this user join the group, another `press serve` on
    # the same port included, which would then silently take a share of the connections.
    # A socket without it cannot bind while anything listens there: try one first.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        port = probe.getsockname()[1]  # port 0: the one the system chose, for all of them
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(backlog)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class Supervisor:
    """Runs one uvicorn worker per socket, starts a worker again when it dies or hangs,
    replaces them one by one on SIGHUP, and stops them all gracefully on SIGINT or SIGTERM."""

    def __init__(self, config: uvicorn.Config, sockets: list[socket.socket]) -> None:
        self.config = config
        self.sockets = sockets
        self.workers: list[Process] = []
        self.stop_signal: int | None = None
        self.restart = False  # SIGHUP came
        self.failed = False  # a worker could not start its app

    def run(self) -> None:
        # The handler only notes the signal: the loop below acts on it between checks.
        handlers = {sig: signal.signal(sig, self._note) for sig in SIGNALS}
        try:
            logger.info(
                "Started supervisor [%d]: %d workers, each on its own socket (SO_REUSEPORT)",
                os.getpid(),
                len(self.sockets),
            )
            self.workers = [self._start(sock) for sock in self.sockets]
            while self.stop_signal is None:
                time.sleep(CHECK_SECONDS)
                if self.restart:
                    self.restart = False
                    self._replace_all_workers()
                self._replace_dead_workers()
        finally:
            for worker in self.workers:
                worker.terminate()  # SIGTERM: each finishes its requests, then its lifespan
            for worker in self.workers:
                worker.join()
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        if self.failed:
            sys.exit(STARTUP_FAILURE)
        # As a single uvicorn server does: the caller's handler decides what the signal means.
        signal.raise_signal(self.stop_signal)

    def _note(self, signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self.restart = True
            return
        if self.stop_signal is None:
            logger.info("Received %s: stopping the workers", signal.Signals(signum).name)
        self.stop_signal = signum

    def _start(self, sock: socket.socket) -> Process:
        worker = Process(self.config, [sock])
        worker.start()
        return worker

    def _replace_all_workers(self) -> None:
        """One by one, start a new worker on a worker's socket and stop the old one once the
        new one serves: new code is loaded without a moment with nobody accepting."""
        logger.info("Received SIGHUP: replacing the workers one by one")
        for index, old in enumerate(self.workers):
            new = self._start(self.sockets[index])
            if self.stop_signal is not None or not new.wait_until_ready(READY_SECONDS):
                new.kill()
                new.join()
                if self.stop_signal is None:
                    logger.error("New worker [%s] did not start: keeping the others", new.pid)
                return
            old.terminate()
            old.join()
            self.workers[index] = new

    def _replace_dead_workers(self) -> None:
        for index, worker in enumerate(self.workers):
            if self.stop_signal is not None:
                return
            # Alive: the process runs and a thread of it answers a ping within the timeout.
            if worker.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            worker.kill()
            worker.join()
            if worker.exitcode == STARTUP_FAILURE:
                # The app could not start (the database gone, say): every new worker would
                # fail alike, so stop as a single server would.
                logger.error("Worker [%s] failed to start: stopping", worker.pid)
                self.stop_signal, self.failed = signal.SIGTERM, True
                return
            logger.warning(
                "Worker [%s] died (exit code %s): starting another on its socket",
                worker.pid,
                worker.exitcode,
            )
            self.workers[index] = self._start(self.sockets[index])
