"""Load drivers: wrk for the measured run, an httpx loop for the smoke run."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

WRK_INSTALL_HINT = (
    "wrk is not installed: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`"
)

# wrk counts every status >= 400 in errors.status; done() reports it with the latency
# percentiles as one JSON line. No response() hook: it would slow wrk for every row.
_REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n{"requests":%d,"duration_us":%d,"bytes":%d,"status_errors":%d,"connect":%d,' ..
    '"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write,
    e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


# A request() hook: the path as given with `_=n` added, n going round 0 … BUSTERS-1; with
# BUSTERS 0, the path as given. Either way the requests are formatted once, in init, and the
# hook only picks the next of 100 (or BUSTERS): wrk does the same work per request for both
# rows of a pair, so their ratio is the server's alone (formatting a new URL per request cost
# wrk 2-4 µs of CPU more than the plain hook, of its 23-27 µs a request on the cached list,
# and wrk shares the two cores with the server).
_BUSTING_LUA = """
local requests = {}
local count = BUSTERS > 0 and BUSTERS or 100
local n = 0
init = function(args)
  local path = wrk.path
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  for i = 1, count do
    if BUSTERS == 0 then
      requests[i] = wrk.format(nil, path)
    else
      requests[i] = wrk.format(nil, path .. sep .. "_=" .. (i - 1))
    end
  end
end
request = function()
  n = n % count + 1
  return requests[n]
end
"""


@dataclass
class Sample:
    """One timed run against one URL."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bytes_per_request: float
    errors: dict[str, int] = field(default_factory=dict)
    # The cores wrk itself kept busy (its CPU time over the run's): a client near one core
    # (wrk -t1) is the limit, not the server.
    client_cores: float = 0.0
    # The cores the server kept busy (when the caller says how to read its CPU time), and
    # the whole machine's busy cores meanwhile: what neither the server nor wrk was charged
    # with is mostly the kernel's network work outside either process. With all of it near
    # the machine's cores, more throughput needs fewer instructions somewhere, not more
    # server processes.
    server_cores: float = 0.0
    machine_cores: float = 0.0

    @property
    def other_cores(self) -> float:
        """The machine's busy cores that neither the server nor wrk was charged with."""
        return max(0.0, self.machine_cores - self.server_cores - self.client_cores)

    def cpu_us(self, cores: float) -> float:
        """Microseconds of CPU a request for `cores` kept busy over the run."""
        return cores / self.rps * 1e6 if self.rps else 0.0

    @property
    def failed(self) -> bool:
        """An error status, a socket error or timeout, or no answer at all in the run."""
        return self.requests == 0 or any(self.errors.values())


def machine_ticks() -> tuple[float, float]:
    """Seconds of CPU since boot summed over all cores: busy, and in all (Linux; else
    zeros)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    except OSError:
        return 0.0, 0.0
    user, nice, system, idle, iowait, irq, softirq, steal = (int(f) for f in fields)
    busy = user + nice + system + irq + softirq + steal
    tick = os.sysconf("SC_CLK_TCK")
    return busy / tick, (busy + idle + iowait) / tick


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process so far (Linux; else 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk_path() -> str | None:
    return shutil.which("wrk")


class Wrk:
    def __init__(self, connections: int = 16, threads: int = 1) -> None:
        binary = wrk_path()
        if binary is None:
            raise SystemExit(WRK_INSTALL_HINT)
        self.binary = binary
        self.connections = connections
        self.threads = threads
        self._script = Path(tempfile.mkstemp(prefix="press-bench-", suffix=".lua")[1])
        self._script.write_text(_REPORT_LUA)

    def run(
        self,
        url: str,
        seconds: float,
        headers: dict[str, str] | None = None,
        busters: int | None = None,
        server_cpu: Callable[[], float] | None = None,
    ) -> Sample:
        """`busters`: each request carries one of that many distinct parameters that no
        handler reads (`_=0` … `_=busters-1`, in turn); 0: the URL as given, made by the
        same request() hook (a hook costs wrk time: compare like with like). `server_cpu`:
        the server's CPU seconds so far, read before and after the run."""
        script = self._script if busters is None else self._busting(busters)
        command = [
            self.binary,
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "5s",
            "-s",
            str(script),
        ]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        served = server_cpu() if server_cpu is not None else 0.0
        machine = machine_ticks()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = subprocess.run([*command, url], capture_output=True, text=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy, elapsed = (b - a for a, b in zip(machine, machine_ticks(), strict=True))
        served = server_cpu() - served if server_cpu is not None else 0.0
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if script is not self._script:
            script.unlink(missing_ok=True)
        lines = [line for line in result.stdout.splitlines() if line.startswith('{"requests"')]
        if result.returncode != 0 or not lines:
            raise RuntimeError(f"wrk failed on {url}: {result.stderr or result.stdout}")
        report = json.loads(lines[-1])
        requests = max(report["requests"], 1)
        seconds = report["duration_us"] / 1e6
        cores = os.cpu_count() or 1  # /proc/stat's time runs on every core at once
        return Sample(
            rps=report["requests"] / (report["duration_us"] / 1e6),
            p50_ms=report["p50_us"] / 1000,
            p99_ms=report["p99_us"] / 1000,
            requests=report["requests"],
            bytes_per_request=report["bytes"] / requests,
            errors={k: report[k] for k in ("status_errors", "connect", "read", "write", "timeout")},
            client_cores=used / seconds,
            server_cores=served / seconds,
            machine_cores=busy / elapsed * cores if elapsed else 0.0,
        )

    def _busting(self, busters: int) -> Path:
        script = Path(tempfile.mkstemp(prefix="press-bench-", suffix=".lua")[1])
        script.write_text(_REPORT_LUA + _BUSTING_LUA.replace("BUSTERS", str(busters)))
        return script

    def close(self) -> None:
        self._script.unlink(missing_ok=True)


async def httpx_loop(
    client: httpx.AsyncClient,
    url: str,
    seconds: float,
    headers: dict[str, str] | None = None,
    busters: int | None = None,
) -> Sample:
    """Sequential requests for `seconds`: the smoke run's driver (no thresholds); `busters`
    as for `Wrk.run`."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    size = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        begin = time.perf_counter()
        target = url
        if busters:
            target = url + ("&" if "?" in url else "?") + f"_={len(latencies) % busters}"
        response = await client.get(target, headers=headers)
        latencies.append(time.perf_counter() - begin)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        size += len(response.content)
        await asyncio.sleep(0)
    elapsed = time.perf_counter() - started
    latencies.sort()
    bad = sum(n for status, n in statuses.items() if status >= 400)
    return Sample(
        rps=len(latencies) / elapsed,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        requests=len(latencies),
        bytes_per_request=size / max(len(latencies), 1),
        errors={"status_errors": bad},
    )


def percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
