"""The app starts the mail workers itself when it has an SMTP server and workers enabled."""

from __future__ import annotations

import asyncio
from pathlib import Path

from litestar.testing import AsyncTestClient

from press.app import create_app
from press.db import connect
from press.settings import Settings
from tests.delivery.conftest import Inbox
from tests.delivery.test_crash import seed_send_out, wait_for


async def test_app_lifespan_runs_the_mail_workers(
    fresh_database_url: str, smtp: Inbox, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=fresh_database_url,
        data_dir=tmp_path,
        secret_key="lifespan",
        smtp_url=smtp.url,
        run_workers=True,
        mail_rate=1000,
    )
    conn = await connect(fresh_database_url)
    try:
        await seed_send_out(conn, 5)
        async with AsyncTestClient(create_app(settings)) as client:
            assert (await client.get("/healthz")).status_code == 200

            async def all_received() -> bool:
                return len(smtp.received) == 5

            await wait_for(all_received, 10)
        await asyncio.sleep(0.1)
        assert len(smtp.received) == 5
    finally:
        await conn.close()


async def test_app_without_smtp_url_sends_nothing(
    fresh_database_url: str, smtp: Inbox, tmp_path: Path
) -> None:
    settings = Settings(database_url=fresh_database_url, data_dir=tmp_path, secret_key="x")
    conn = await connect(fresh_database_url)
    try:
        await seed_send_out(conn, 2)
        async with AsyncTestClient(create_app(settings)) as client:
            assert (await client.get("/healthz")).status_code == 200
            await asyncio.sleep(0.3)
        assert smtp.received == []
        assert await conn.fetchval("SELECT count(*) FROM mail_deliveries") == 0
    finally:
        await conn.close()
