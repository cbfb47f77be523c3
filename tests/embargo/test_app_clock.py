"""The database clock decides, not the app's: an app server whose clock runs five minutes fast
reveals nothing early, and lifts nothing early."""

from __future__ import annotations

import asyncio
import shutil
from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.embargo.processes import start_app, wait_until_up

pytestmark = pytest.mark.skipif(
    shutil.which("faketime") is None,
    reason="needs libfaketime's `faketime` (Debian package faketime; .ci/run installs it)",
)

RELEASE = """
WITH r AS (INSERT INTO releases (source, state, publish_at, embargo)
           VALUES ('city-board', 'scheduled', statement_timestamp() + interval '3 seconds', true)
           RETURNING id, publish_at)
INSERT INTO release_translations (release_id, lang, title, slug)
SELECT id, 'fi', 'Kellon kanari', 'kellon-kanari' FROM r RETURNING release_id
"""


async def test_app_with_a_fast_clock_reveals_and_lifts_nothing_early(
    fresh_database_url: str, tmp_path: Path
) -> None:
    app = start_app(fresh_database_url, tmp_path, wrapper=("faketime", "-f", "+5m"))
    conn = await asyncpg.connect(fresh_database_url)
    try:
        async with httpx.AsyncClient(base_url=app.url) as client:
            await wait_until_up(client, app)
            # The server's own Date header shows its clock really is ahead.
            app_clock = parsedate_to_datetime((await client.get("/healthz")).headers["date"])
            db_clock = await conn.fetchval("SELECT statement_timestamp()")
            assert app_clock - db_clock > timedelta(minutes=4)
            release_id = await conn.fetchval(RELEASE)
            publish_at = await conn.fetchval(
                "SELECT publish_at FROM releases WHERE id = $1", release_id
            )
            seen = False
            while not seen:
                list_body = (await client.get("/api/v1/releases")).text
                detail = await client.get(f"/api/v1/releases/{release_id}")
                state = await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id)
                now = await conn.fetchval("SELECT statement_timestamp()")
                if now < publish_at:
                    assert "Kellon kanari" not in list_body
                    assert detail.status_code == 404
                    assert state == "scheduled", "the lift loop lifted by the app's clock"
                else:
                    seen = "Kellon kanari" in list_body and detail.status_code == 200
                    assert now < publish_at + timedelta(seconds=1), "not shown after its lift"
                await asyncio.sleep(0.1)
    finally:
        await conn.close()
        app.stop()
