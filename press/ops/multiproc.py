"""The directory where `press serve`'s workers keep their metrics (prometheus_client's
multiprocess mode), looked after without importing prometheus_client: it decides once, when
first imported, whether it runs in multiprocess mode, so `press serve` must set
PROMETHEUS_MULTIPROC_DIR before anything imports it."""

from __future__ import annotations

import glob
import os
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def prepare_multiprocess_dir(path: str) -> None:
    """Empty a directory of metric files: values left by an earlier serve would be added
    to this one's (counters jumping up, gauges of workers long gone)."""
    Path(path).mkdir(parents=True, exist_ok=True)
    for old in glob.glob(os.path.join(path, "*.db")):
        os.remove(old)


def forget_worker(path: str, pid: int) -> None:
    """Take a worker's live gauges out of the sums (its counters stay, as counters must)."""
    for old in glob.glob(os.path.join(path, f"gauge_live*_{pid}.db")):
        os.remove(old)


def forget_dead_workers(path: str) -> None:
    """Forget the live gauges of worker processes that are gone (one killed, say, and
    restarted by uvicorn): their pool use would otherwise count forever."""
    for name in glob.glob(os.path.join(path, "gauge_live*_*.db")):
        pid = int(name.rsplit("_", 1)[1].removesuffix(".db"))
        if not _alive(pid):
            forget_worker(path, pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
