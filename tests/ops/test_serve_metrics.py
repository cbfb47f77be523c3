"""`press serve --workers 2` as a real process: /metrics tells one truth whichever worker
answers, a worker killed leaves no gauge behind, every request has one JSON log line with its
request id and no token, and every metric the alert rules use is there."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.cli.test_serve import free_port, press, wait_ready

TOKEN = "metrics-token-of-the-serve-test"
RULES = Path(__file__).parent.parent.parent / "press" / "ops" / "alerts.yml"
WORKERS = 2


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def metrics(self) -> str:
        # A new connection each time: the kernel hands it to either worker. One handed to a
        # worker being started again waits for it, which takes seconds on a loaded machine.
        response = httpx.get(
            f"{self.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
        )
        assert response.status_code == 200, response.text
        return response.text

    def log_lines(self) -> list[dict[str, object]]:
        lines = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    # Not pytest's tmp_path: as root the embedded server runs as another user.
    root = Path(tempfile.mkdtemp(prefix="press-metrics-serve-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRESS_", "DATABASE_URL"))}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env |= {"PRESS_DATA_DIR": str(root / "data"), "PRESS_METRICS_TOKEN": TOKEN}
    port = free_port()
    log = root / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "press",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(WORKERS),
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_ready(port, process)  # type: ignore[arg-type]
        yield Served(f"http://127.0.0.1:{port}", process, log)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
        press(env, "db", "stop")
        shutil.rmtree(root, ignore_errors=True)


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one series in Prometheus's text format."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        series, _, value = line.rpartition(" ")
        found = dict(re.findall(r'(\w+)="([^"]*)"', series))
        if series.split("{")[0] == name and all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return None


def test_requests_are_counted_by_route_template_across_workers(served: Served) -> None:
    ids = [str(uuid.uuid4()) for _ in range(30)]
    for release_id in ids:  # a new connection each: both workers serve some
        assert httpx.get(f"{served.url}/api/v1/releases/{release_id}").status_code == 404
    time.sleep(1.5)  # each worker hands its tallies over once a second
    route = "/api/v1/releases/{key}"
    counts = set()
    for _ in range(6):
        text = served.metrics()
        counts.add(
            sample(
                text,
                "press_http_request_duration_seconds_count",
                method="GET",
                route=route,
                status="404",
            )
        )
        assert not any(release_id in text for release_id in ids), "a raw path became a label"
    assert counts == {30.0}, counts


def test_a_killed_worker_leaves_no_gauge_behind(served: Served) -> None:
    def pool_max() -> float | None:
        return sample(served.metrics(), "press_db_pool_connections", state="max")

    time.sleep(1.5)
    before = pool_max()
    assert before is not None
    assert before > 0
    workers = _workers(served.process.pid)
    assert len(workers) == WORKERS, workers
    os.kill(workers[0], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = _workers(served.process.pid)
        if len(now) == WORKERS and workers[0] not in now:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("uvicorn did not start a new worker")
    # The dead worker's share leaves at once; the new worker's comes once it has started.
    seen = {pool_max()}
    while before not in seen and time.monotonic() < deadline:
        time.sleep(0.5)
        seen.add(pool_max())
    assert seen <= {before, before / WORKERS}, seen
    assert {pool_max() for _ in range(6)} == {before}


def _workers(pid: int) -> list[int]:
    """The worker processes uvicorn runs under `press serve` (its spawned children)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    found = []
    for child in map(int, children):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if b"spawn_main" in command:
            found.append(child)
    return found


def test_each_request_has_a_json_line_with_its_request_id(served: Served) -> None:
    sent = httpx.get(f"{served.url}/healthz", headers={"X-Request-ID": "check-4711.a"})
    assert sent.headers["x-request-id"] == "check-4711.a"
    insane = httpx.get(f"{served.url}/healthz", headers={"X-Request-ID": "x" * 65})
    made = insane.headers["x-request-id"]
    assert made != "x" * 65
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]+", made)
    time.sleep(0.6)  # lines are written in batches, at most 0.2 s after the first waits
    lines = {line.get("request_id"): line for line in served.log_lines()}
    line = lines["check-4711.a"]
    assert line["event"] == "request"
    assert (line["method"], line["route"], line["path"], line["status"]) == (
        "GET",
        "/healthz",
        "/healthz",
        200,
    )
    assert line["bytes"] == len(sent.content)
    assert isinstance(line["duration_ms"], float | int)
    assert made in lines
    assert not any("uvicorn.access" in str(x.get("logger")) for x in lines.values())


def test_no_token_in_a_url_reaches_the_log(served: Served) -> None:
    secret = "pft_" + "s3cr3t" * 6
    httpx.get(f"{served.url}/feeds/private/{secret}.rss")
    httpx.get(f"{served.url}/api/v1/releases", params={"token": "querys3cr3t"})
    time.sleep(0.6)
    text = served.log.read_text(errors="replace")
    assert "s3cr3t" not in text
    paths = [str(line.get("path")) for line in served.log_lines()]
    assert any(p.startswith("/feeds/private/[redacted]") for p in paths), paths[-5:]


def test_every_metric_the_alert_rules_use_is_exposed(served: Served) -> None:
    used = set(re.findall(r"\bpress_[a-z_]+", RULES.read_text()))
    text = served.metrics()
    exposed = {re.split(r"[{ ]", line)[0] for line in text.splitlines() if line[:1] != "#"}
    assert used, "no metric in the rules?"
    assert used <= exposed, sorted(used - exposed)


def test_answers_from_the_public_cache_are_counted_and_logged_too(served: Served) -> None:
    answers = [
        httpx.get(f"{served.url}/api/v1/releases", headers={"X-Request-ID": f"cached-{n}"})
        for n in range(6)
    ]
    assert [a.headers["x-request-id"] for a in answers] == [f"cached-{n}" for n in range(6)]
    time.sleep(1.5)
    text = served.metrics()
    count = sample(
        text,
        "press_http_request_duration_seconds_count",
        method="GET",
        route="/api/v1/releases",
        status="200",
    )
    assert count is not None
    assert count >= 6
    hits = sample(text, "press_public_cache_lookups_total", outcome="hit")
    assert hits is not None
    assert hits >= 6 - WORKERS  # each worker builds the list once, then answers from its cache
    lines = {line.get("request_id"): line for line in served.log_lines()}
    assert all(lines[f"cached-{n}"]["route"] == "/api/v1/releases" for n in range(6))
    assert all(lines[f"cached-{n}"]["bytes"] == len(answers[n].content) for n in range(6))
