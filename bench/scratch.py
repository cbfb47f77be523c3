"""PostgreSQL for a benchmark: a server, and a scratch database on it that goes afterwards.

The server is BENCH_DATABASE_URL when set (a server URL), else the embedded server started
in a temporary directory for as long as the benchmark runs, fsync off.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from press.embedded import EmbeddedServer


@contextmanager
def postgres_server(url: str | None = None, *, fast_unsafe: bool = True) -> Iterator[str]:
    """A server's URL: `url`, BENCH_DATABASE_URL, or the embedded server's while it runs."""
    server_url = url or os.environ.get("BENCH_DATABASE_URL")
    if server_url:
        yield server_url
        return
    data_dir = Path(tempfile.mkdtemp(prefix="press-bench-pg-"))
    embedded = EmbeddedServer(data_dir, fast_unsafe=fast_unsafe)
    embedded.start()
    try:
        yield embedded.url("postgres")
    finally:
        embedded.shutdown()
        shutil.rmtree(data_dir, ignore_errors=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@asynccontextmanager
async def scratch_database(server_url: str) -> AsyncIterator[str]:
    """The URL of a new, empty database on the server, dropped when the block ends."""
    name = f"press_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(server_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
