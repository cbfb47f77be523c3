"""The connections the service opens, on a real server."""

from __future__ import annotations

from urllib.parse import urlsplit

from press.db import PoolDatabase, connect
from tests.conftest import _admin


async def test_no_statement_waits_for_jit_compilation(fresh_database_url: str) -> None:
    """A PostgreSQL built with LLVM compiles statements whose estimated cost passes
    jit_above_cost; the search's plan carries such estimates for branches that never run, and
    compiling took 0.8 s for a statement that runs in 3 ms. Here the database asks for JIT on
    everything, and the service's connections still don't compile."""
    name = urlsplit(fresh_database_url).path.lstrip("/")
    await _admin(
        fresh_database_url,
        f'ALTER DATABASE "{name}" SET jit = on',
        f'ALTER DATABASE "{name}" SET jit_above_cost = 0',
    )
    db = await PoolDatabase.open(fresh_database_url)
    single = await connect(fresh_database_url)
    try:
        async with db.acquire() as pooled:
            for conn in (pooled, single):
                plan = await conn.fetchval(
                    "EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM releases"
                )
                assert "JIT" not in plan[0], plan[0]["JIT"]
    finally:
        await single.close()
        await db.close()
