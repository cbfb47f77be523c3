"""Public reads on a real streaming replica (PRESS_DATABASE_READ_URL): the drills.

One primary and its standby per module (tests/replication.py); each test runs an app whose
public reads may go to the standby, and pauses, lags or stops the standby as it needs.
"""

from __future__ import annotations

import asyncio
import secrets
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest
from litestar import Litestar

from press.app import create_app
from press.replica import (
    CLOCK_TOLERANCE_SECONDS,
    FENCE_WAIT_SECONDS,
    Reading,
    ReadReplica,
    clock_ahead,
)
from press.settings import Settings, SettingsError
from tests.conftest import staff_user
from tests.replication import Replicated, remove_replicated, start_replicated

RELEASE = """
WITH r AS (INSERT INTO releases (source, state, publish_at) VALUES ('city-board', $1, $2)
           RETURNING id)
INSERT INTO release_translations (release_id, lang, title, slug)
SELECT id, 'fi', $3, 'slug-' || id FROM r RETURNING release_id
"""
WITHDRAW = "UPDATE releases SET state = 'withdrawn', withdrawn_at = now() WHERE id = $1"


@pytest.fixture(scope="module")
async def replicated() -> AsyncIterator[Replicated]:
    root = Path(tempfile.mkdtemp(prefix="press-replica-"))
    pair = await asyncio.to_thread(start_replicated, root)
    yield pair
    await asyncio.to_thread(remove_replicated, pair, root)


@pytest.fixture
async def primary(replicated: Replicated) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(replicated.primary_url)
    yield conn
    await conn.close()


@asynccontextmanager
async def replica_app(
    pair: Replicated, data_dir: Path, max_lag: float
) -> AsyncIterator[tuple[Litestar, httpx.AsyncClient, ReadReplica]]:
    """An app reading public pages on the standby, once it reports the standby in use."""
    settings = Settings(
        database_url=pair.primary_url,
        database_read_url=pair.standby_url,
        read_replica_max_lag_seconds=max_lag,
        data_dir=data_dir,
        public_url="http://press.test",
        secret_key="k",
        run_workers=False,
    )
    app = create_app(settings)
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
            reads: ReadReplica = app.state.public_reads
            await until(lambda: reads.bypass_reason() is None, "the replica came into use")
            yield app, client, reads


async def until(condition: object, what: str, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"not so after {seconds} s: {what}"
        await asyncio.sleep(0.02)


async def on_standby(pair: Replicated, release_id: object) -> None:
    """Wait until the standby has replayed the release's row."""
    standby = await asyncpg.connect(pair.standby_url)
    try:
        found = "SELECT count(*) FROM releases WHERE id = $1"
        deadline = time.monotonic() + 5
        while not await standby.fetchval(found, release_id):
            assert time.monotonic() < deadline, "the standby did not replay the release"
            await asyncio.sleep(0.01)
    finally:
        await standby.close()


async def published(primary: asyncpg.Connection, title: str) -> object:
    now = await primary.fetchval("SELECT statement_timestamp()")
    return await primary.fetchval(RELEASE, "published", now, title)


async def scheduled(
    primary: asyncpg.Connection, stem: str, seconds: float
) -> tuple[str, datetime, object]:
    """A release lifting `seconds` from the database's now, titled with a word of its own."""
    word = stem + secrets.token_hex(3)
    lift = await primary.fetchval(
        "SELECT statement_timestamp() + make_interval(secs => $1)", seconds
    )
    return word, lift, await primary.fetchval(RELEASE, "scheduled", lift, f"Tiedote {word}")


async def shows(client: httpx.AsyncClient, path: str, marker: str) -> bool:
    response = await client.get(path)
    assert response.status_code in (200, 404, 410), (path, response.status_code)
    return response.status_code == 200 and marker in response.text


async def test_a_release_read_on_the_replica_shows_at_its_lift_and_never_before(
    replicated: Replicated, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    async with replica_app(replicated, tmp_path, max_lag=1.0) as (_, client, reads):
        word, lift, release_id = await scheduled(primary, "nostokoe", 1.5)
        paths = ["/api/v1/releases", f"/api/v1/releases/{release_id}", "/feeds/releases.rss"]
        paths.append("/fi/")
        replica_reads = reads.replica_reads
        early: list[str] = []
        first_seen: dict[str, datetime] = {}

        async def poll(path: str) -> None:
            while path not in first_seen:
                visible = await shows(client, path, word if "releases/" not in path else "")
                answered = datetime.now(UTC)  # the database's clock: same host
                if visible and answered < lift:
                    early.append(path)
                if visible:
                    first_seen[path] = answered
                assert answered < lift + timedelta(seconds=3), f"{path} never showed it"
                # Answers from the cache complete without suspending: let the app's tasks run.
                await asyncio.sleep(0.002)

        await asyncio.gather(*(poll(path) for path in paths for _ in range(2)))
        assert early == []
        assert max(first_seen.values()) - lift < timedelta(seconds=1)  # within the lag bound
        assert reads.replica_reads > replica_reads, "the replica was not read"
        assert await shows(client, "/feeds/releases.atom", word)
        replica_reads = reads.replica_reads
        assert await shows(client, f"/api/v1/releases?q={word}", word)  # search, on the replica
        assert reads.replica_reads > replica_reads


async def test_a_lift_moved_later_is_not_shown_by_a_replica_that_missed_the_move(
    replicated: Replicated, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    # A bound long enough that the paused replica is still "current" by lag: only the fence
    # of the change keeps its stale schedule from being served.
    async with replica_app(replicated, tmp_path, max_lag=5.0) as (_, client, reads):
        word, lift, release_id = await scheduled(primary, "siirto", 1.2)
        await on_standby(replicated, release_id)
        await replicated.pause_replay()
        try:
            await primary.execute(
                "UPDATE releases SET publish_at = publish_at + interval '1 hour' WHERE id = $1",
                release_id,
            )
            while datetime.now(UTC) < lift + timedelta(seconds=0.6):
                assert not await shows(client, "/api/v1/releases", word)
                assert not await shows(client, f"/api/v1/releases/{release_id}", "")
                await asyncio.sleep(0.05)
            assert reads.bypass_reason() == "catching up with a public change"
            standby = await asyncpg.connect(replicated.standby_url)
            stale = await standby.fetchval(
                "SELECT release_is_public(state, publish_at) FROM releases WHERE id = $1",
                release_id,
            )
            await standby.close()
            assert stale, "the standby should still hold the old lift time"
        finally:
            await replicated.resume_replay()
        await until(lambda: reads.bypass_reason() is None, "the replica back in use")
        assert not await shows(client, "/api/v1/releases", word)


async def test_a_withdrawal_shows_within_the_lag_bound(
    replicated: Replicated, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    async with replica_app(replicated, tmp_path, max_lag=1.0) as (_, client, _reads):
        word = "veto" + secrets.token_hex(3)
        release_id = await published(primary, f"Tiedote {word}")
        await until_shown(client, word, True)
        await primary.execute(WITHDRAW, release_id)
        started = time.monotonic()
        await until_shown(client, word, False)
        assert time.monotonic() - started < 1.0
        assert (await client.get(f"/api/v1/releases/{release_id}")).status_code == 410


async def test_a_page_dropped_for_a_withdrawal_is_not_rebuilt_from_a_replica_behind_it(
    replicated: Replicated, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    async with replica_app(replicated, tmp_path, max_lag=5.0) as (_, client, reads):
        word = "peruttu" + secrets.token_hex(3)
        release_id = await published(primary, f"Tiedote {word}")
        await until_shown(client, word, True)
        detail = f"/api/v1/releases/{release_id}"
        assert (await client.get(detail)).status_code == 200
        await replicated.pause_replay()
        try:
            await primary.execute(WITHDRAW, release_id)
            started = time.monotonic()
            await until_shown(client, word, False)
            assert time.monotonic() - started < FENCE_WAIT_SECONDS + 0.5
            for _ in range(10):  # and not built again from the replica, which still shows it
                assert not await shows(client, "/api/v1/releases", word)
                assert (await client.get(detail)).status_code == 410
                await asyncio.sleep(0.05)
        finally:
            await replicated.resume_replay()
        replica_reads = reads.replica_reads
        await until(lambda: reads.bypass_reason() is None, "the replica back in use")
        await primary.execute("SELECT pg_notify('press_public', 'drill')")  # drop the cache
        await asyncio.sleep(0.1)
        assert (await client.get(detail)).status_code == 410
        assert reads.replica_reads > replica_reads


async def until_shown(client: httpx.AsyncClient, word: str, shown: bool) -> None:
    deadline = time.monotonic() + 3
    while await shows(client, "/api/v1/releases", word) != shown:
        assert time.monotonic() < deadline, f"the release {'never' if shown else 'still'} shows"
        await asyncio.sleep(0.01)


async def test_a_replica_paused_beyond_the_bound_is_bypassed(
    replicated: Replicated, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    async with replica_app(replicated, tmp_path, max_lag=0.5) as (_, client, reads):
        await primary.execute("CREATE TABLE IF NOT EXISTS drill_writes (at timestamptz)")
        await replicated.pause_replay()
        try:
            # Writes the public never sees (no NOTIFY, no fence): only the lag tells.
            for _ in range(8):
                await primary.execute("INSERT INTO drill_writes VALUES (now())")
                await asyncio.sleep(0.1)
            assert reads.bypass_reason() == "lagging"
            answer = await client.get("/readyz")
            assert answer.status_code == 200  # ready: the primary serves
            ready = answer.json()
            assert ready["read_replica"]["status"] == "bypassed"
            assert ready["read_replica"]["reason"] == "lagging"
            assert ready["read_replica"]["lag_seconds"] > 0.5
            word = "ohitus" + secrets.token_hex(3)
            replica_reads = reads.replica_reads
            await published(primary, f"Tiedote {word}")
            started = time.monotonic()
            await until_shown(client, word, True)
            assert time.monotonic() - started < 0.5, "read at once from the primary"
            assert reads.replica_reads == replica_reads
        finally:
            await replicated.resume_replay()
        await until(lambda: reads.bypass_reason() is None, "the replica back in use")
        assert (await client.get("/readyz")).json()["read_replica"]["status"] == "in use"


async def test_a_replica_stopped_is_bypassed_and_used_again_once_back(
    replicated: Replicated, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    async with replica_app(replicated, tmp_path, max_lag=1.0) as (_, client, reads):
        await asyncio.to_thread(replicated.stop_standby)
        try:
            # At once, before the poller may have noticed: never an error.
            for path in ("/api/v1/releases?limit=3", "/feeds/releases.atom", "/sv/"):
                assert (await client.get(path)).status_code == 200, path
            await until(lambda: reads.bypass_reason() == "down", "the replica seen down")
            ready = await client.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["read_replica"] == {
                "status": "bypassed",
                "reason": "down",
                "max_lag_seconds": 1.0,
            }
            word = "alhaalla" + secrets.token_hex(3)
            await published(primary, f"Tiedote {word}")
            await until_shown(client, word, True)
        finally:
            await asyncio.to_thread(replicated.start_standby)
        await until(lambda: reads.bypass_reason() is None, "the replica back in use", 10)
        replica_reads = reads.replica_reads
        await primary.execute("SELECT pg_notify('press_public', 'drill')")
        await asyncio.sleep(0.1)
        await until_shown(client, word, True)
        assert reads.replica_reads > replica_reads


async def test_staff_read_their_own_writes_while_the_replica_lags(
    replicated: Replicated, primary: asyncpg.Connection, tmp_path: Path
) -> None:
    headers = await staff_user(primary, "editor", None, "not-a-password-hash")
    async with replica_app(replicated, tmp_path, max_lag=5.0) as (_, client, _reads):
        await replicated.pause_replay()
        try:
            created = await client.post(
                "/api/v1/manage/releases",
                headers=headers,
                json={
                    "source": "city-board",
                    "translations": {"fi": {"title": "Luonnos", "lead": "", "body": "Teksti"}},
                },
            )
            assert created.status_code == 201, created.text
            again = await client.get(
                f"/api/v1/manage/releases/{created.json()['id']}", headers=headers
            )
            assert again.status_code == 200
        finally:
            await replicated.resume_replay()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PRESS_DATABASE_READ_URL", "mysql://replica/press"),
        ("PRESS_READ_REPLICA_MAX_LAG_SECONDS", "two"),
        ("PRESS_READ_REPLICA_MAX_LAG_SECONDS", "0"),
        ("PRESS_READ_REPLICA_MAX_LAG_SECONDS", "nan"),
        ("PRESS_READ_REPLICA_MAX_LAG_SECONDS", "86400"),
    ],
)
def test_replica_settings_are_validated(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_replica_settings_are_read() -> None:
    settings = Settings.from_env(
        {
            "PRESS_DATABASE_READ_URL": "postgresql://replica.internal/press",
            "PRESS_READ_REPLICA_MAX_LAG_SECONDS": "0.5",
        }
    )
    assert settings.database_read_url == "postgresql://replica.internal/press"
    assert settings.read_replica_max_lag_seconds == 0.5
    assert Settings.from_env({}).read_replica_max_lag_seconds == 2.0


@pytest.mark.parametrize(
    ("replica_clock", "ahead"),
    [
        (1000.030, False),  # read 20 ms after the primary's, 30 ms on: within what we know
        (1000.040, False),  # 40 ms on in 20 ms: at most 20 ms ahead
        (1000.100, True),  # 100 ms on in at most 20 ms: ahead by 80 ms at least
        (999.000, False),  # a second behind: late to show, never early
    ],
)
def test_a_replica_whose_clock_is_ahead_is_told_apart(replica_clock: float, ahead: bool) -> None:
    primary = Reading(asked=10.000, answered=10.005, clock=1000.000)
    replica = Reading(asked=10.010, answered=10.020, clock=replica_clock)
    assert (clock_ahead(primary, replica) > CLOCK_TOLERANCE_SECONDS) is ahead
