"""Real app processes: `uvicorn --factory press.app:create_app` against one database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
METRICS_TOKEN = "metrics-of-the-test-processes"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class AppProcess:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no goodbye to the database."""
        self._signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, and wait for it to end (SIGKILL after 10 s)."""
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def _signal(self, number: int) -> None:
        # To the whole process group: a wrapper such as faketime runs the app as its child.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, number)

    async def metric(self, client: httpx.AsyncClient, name: str) -> float:
        headers = {"Authorization": f"Bearer {METRICS_TOKEN}"}
        text = (await client.get(f"{self.url}/metrics", headers=headers)).text
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        raise AssertionError(f"{name} missing from /metrics")


def start_app(
    database_url: str, log_dir: Path, wrapper: tuple[str, ...] = (), **env: str
) -> AppProcess:
    """One app process; `wrapper` runs it under another command (e.g. a faked clock)."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PRESS_DATA_DIR": str(log_dir),
        "PRESS_SECRET_KEY": "test-secret",
        "PRESS_LIFT_POLL_SECONDS": "1",
        "PRESS_WEBHOOK_TIMEOUT_SECONDS": "2",
        "PRESS_WEBHOOK_BACKOFF_SECONDS": "1",
        "PRESS_METRICS_TOKEN": METRICS_TOKEN,
        "PRESS_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8",  # the tests' receivers
        **env,
    }
    command = [*wrapper, sys.executable, "-m", "uvicorn", "--factory", "press.app:create_app"]
    with (log_dir / f"app-{port}.log").open("wb") as log:  # the child keeps its own copy
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return AppProcess(process, port)


@contextlib.asynccontextmanager
async def app_processes(
    database_url: str, log_dir: Path, count: int
) -> AsyncIterator[list[AppProcess]]:
    """Start `count` app processes and wait until each answers; stop them afterwards."""
    apps = [start_app(database_url, log_dir) for _ in range(count)]
    try:
        async with httpx.AsyncClient() as client:
            for app in apps:
                await wait_until_up(client, app)
        yield apps
    finally:
        for app in apps:
            app.stop()


async def wait_until_up(client: httpx.AsyncClient, app: AppProcess, seconds: float = 90) -> None:
    """Until the app answers /readyz: start-up on a loaded two-core machine can take a while
    (imports, migrations check, pools), and nothing a test asserts is about it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert app.process.poll() is None, "the app process exited at start"
        with contextlib.suppress(httpx.HTTPError):
            if (await client.get(f"{app.url}/readyz")).status_code == 200:
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the app process did not come up in {seconds:g} s")
