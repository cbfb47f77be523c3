"""`press db backup` while `press serve` writes, and `press db restore` into a new data
directory: the restored press holds a consistent snapshot of rows and file bytes, carries on
lifting and delivering from it, and sends nothing again that was sent before the backup."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import os
import random
import shutil
import signal
import sys
import tarfile
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from aiosmtpd.smtp import SMTP as SMTPServer
from PIL import Image

from press.contacts.limits import PER_CLIENT
from press.embedded import EmbeddedServer
from tests.cli.test_serve import free_port
from tests.delivery.conftest import Inbox
from tests.embargo.receiver import Receiver
from tests.releases.helpers import MANAGE, release_body

PASSWORD = "kuutamo-lautta-93-virta"
# Tables compared row by row between the restored database and the one it was taken from.
COMPARED = (
    "releases",
    "release_translations",
    "release_revisions",
    "audit_log",
    "outbox",
    "outbox_consumers",
    "contacts",
    "consents",
    "subscriptions",
    "files",
    "webhooks",
    "webhook_deliveries",
    "mail_deliveries",
)


def db_url(data_dir: Path) -> str:
    return EmbeddedServer(data_dir).url()


async def press(env: dict[str, str], *args: str, stdin: str = "") -> tuple[int, str, str]:
    """A `press` command, without blocking the loop the receivers answer in."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "press", *args,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


@dataclass
class Served:
    env: dict[str, str]
    port: int
    process: asyncio.subprocess.Process

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> str:
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(self.process.communicate(), 60)
        return out.decode()


async def serve(env: dict[str, str]) -> Served:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "press", "serve", "--port", str(port),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    served = Served(env, port, process)
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            assert process.returncode is None, (await served.stop())[-3000:]
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(f"{served.base}/readyz")).status_code == 200:
                    return served
            await asyncio.sleep(0.1)
    raise AssertionError("press serve did not become ready")


async def smtp_server(inbox: Inbox) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTPServer(inbox, hostname="mail.test"), "127.0.0.1", 0
    )
    inbox.port = server.sockets[0].getsockname()[1]
    return server


def environment(data_dir: Path, smtp: Inbox) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRESS_", "DATABASE_URL"))}
    env.update(
        PRESS_DATA_DIR=str(data_dir),
        PRESS_SECRET_KEY="backup-test-secret",
        PRESS_SMTP_URL=smtp.url,
        PRESS_MAIL_RATE="10000",
        PRESS_LIFT_POLL_SECONDS="1",
        PRESS_WEBHOOK_BACKOFF_SECONDS="1",
        PRESS_WEBHOOK_ALLOW_NETWORKS="127.0.0.0/8",  # the test's receiver
    )
    return env


async def token(client: httpx.AsyncClient, base: str, email: str) -> dict[str, str]:
    answer = await client.post(
        f"{base}/api/v1/auth/token", json={"email": email, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def staff(
    client: httpx.AsyncClient, base: str, env: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """An editor and an approver (an admin, made by the command line, who makes the editor)."""
    admin = "admin@city.example"
    command = ("users", "create", admin, "--role", "admin", "--password-stdin")
    code, _, err = await press(env, *command, stdin=PASSWORD)
    assert code == 0, err
    approver = await token(client, base, admin)
    body = {"email": "editor@city.example", "role": "editor", "password": PASSWORD}
    made = await client.post(f"{base}/api/v1/manage/users/", json=body, headers=approver)
    assert made.status_code == 201, made.text
    return await token(client, base, "editor@city.example"), approver


def unique_png() -> bytes:
    out = io.BytesIO()
    colour = tuple(random.randrange(256) for _ in range(3))
    Image.new("RGB", (random.randrange(8, 64), 16), colour).save(out, "PNG")
    return out.getvalue()


@dataclass
class Phase:
    """What the first press did and saw, for the checks on the restored one."""

    root: Path
    backup: Path
    smtp: Inbox
    receiver: Receiver
    release_before: str  # lifted and delivered before the backup began
    release_after: str  # due only after the first press has stopped
    uploads: dict[str, bytes] = field(default_factory=dict)  # file id → bytes, not deleted
    sent: dict[str, bytes] = field(default_factory=dict)  # file id → bytes, every upload
    webhooks_before: list[str] = field(default_factory=list)  # webhook-ids
    mails_before: list[str] = field(default_factory=list)  # Message-IDs
    releases_when_backup_began: int = 0
    releases_at_the_end: int = 0
    tables: dict[str, set[str]] = field(default_factory=dict)  # the first database's rows


async def schedule(
    client: httpx.AsyncClient,
    base: str,
    editor: dict[str, str],
    approver: dict[str, str],
    at: str,
    title: str,
) -> str:
    body = release_body()
    body["translations"]["fi"]["title"] = title
    created = await client.post(f"{base}{MANAGE}/", json=body, headers=editor)
    assert created.status_code == 201, created.text
    release_id: str = created.json()["id"]
    for who, action, data in (
        (editor, "submit", None),
        (approver, "approve", None),
        (editor, "publish", {"at": at}),
    ):
        answer = await client.post(f"{base}{MANAGE}/{release_id}/{action}", json=data, headers=who)
        assert answer.status_code == 200, answer.text
    return release_id


async def seconds_ahead(conn: asyncpg.Connection, seconds: int) -> str:
    """An instant `seconds` after the database's now(), as the API takes it."""
    instant: str = await conn.fetchval(
        "SELECT to_char((now() + make_interval(secs => $1)) AT TIME ZONE 'UTC',"
        ' \'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\')',
        float(seconds),
    )
    return instant


async def until(check: Any, seconds: float = 20) -> None:
    for _ in range(int(seconds * 10)):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the condition did not come true in time")


async def write_load(
    client: httpx.AsyncClient, base: str, editor: dict[str, str], phase: Phase, stop: asyncio.Event
) -> int:
    """Releases, uploads, deletions and subscriptions, one after another, until `stop`."""
    n = 0
    while not stop.is_set():
        n += 1
        body = release_body()
        body["translations"]["fi"]["title"] = f"Kuormitus {n}"
        assert (await client.post(f"{base}{MANAGE}/", json=body, headers=editor)).status_code == 201
        data = unique_png()
        sent = await client.post(
            f"{base}/api/v1/manage/files/",
            files={"file": (f"kuva-{n}.png", data, "image/png")},
            headers=editor,
        )
        assert sent.status_code == 201, sent.text
        phase.uploads[sent.json()["id"]] = phase.sent[sent.json()["id"]] = data
        if n % 3 == 0:  # a file uploaded earlier goes, bytes and all: the collector's work
            gone = next(iter(phase.uploads))
            assert (
                await client.delete(f"{base}/api/v1/manage/files/{gone}", headers=editor)
            ).status_code == 204
            del phase.uploads[gone]
        # Sign-ups up to what one client address may make in an hour (press.contacts.limits):
        # a fast machine runs more rounds than that before the backup ends.
        if n % 4 == 0 and n // 4 <= PER_CLIENT.requests:
            answer = await client.post(
                f"{base}/api/v1/subscriptions/",
                json={"email": f"toimittaja{n}@news.example", "consent_text_version": "1"},
            )
            assert answer.status_code == 202, answer.text
    return n


@pytest.fixture
async def phase() -> AsyncIterator[Phase]:
    root = Path(tempfile.mkdtemp(prefix="press-backup-"))
    os.chmod(root, 0o755)  # as root the embedded server runs as another user
    smtp, receiver = Inbox(), Receiver()
    mail = await smtp_server(smtp)
    await receiver.start()
    env = environment(root / "first", smtp)
    served = None
    try:
        served = await serve(env)
        yield await first_phase(root, env, served, smtp, receiver)
    finally:
        if served is not None and served.process.returncode is None:
            await served.stop()
        await receiver.stop()
        mail.close()
        await mail.wait_closed()
        shutil.rmtree(root, ignore_errors=True)


async def first_phase(
    root: Path, env: dict[str, str], served: Served, smtp: Inbox, receiver: Receiver
) -> Phase:
    base = served.base
    url = db_url(root / "first")
    conn = await asyncpg.connect(url)
    async with httpx.AsyncClient(timeout=30) as client:
        editor, approver = await staff(client, base, env)
        hook = await client.post(
            f"{base}/api/v1/manage/webhooks/",
            json={"url": receiver.url, "event_types": ["release.*"]},
            headers=approver,
        )
        assert hook.status_code == 201, hook.text
        contact = await client.post(
            f"{base}/api/v1/manage/contacts/",
            json={"name": "Aino Toimittaja", "email": "aino@news.example"},
            headers=editor,
        )
        assert contact.status_code == 201, contact.text
        subscribed = await client.put(
            f"{base}/api/v1/manage/contacts/{contact.json()['id']}/subscription",
            json={},
            headers=editor,
        )
        assert subscribed.status_code == 200, subscribed.text

        soon, later = await seconds_ahead(conn, 2), await seconds_ahead(conn, 20)
        before = await schedule(client, base, editor, approver, soon, "Ennen varmuuskopiota")
        after = await schedule(client, base, editor, approver, later, "Varmuuskopion jälkeen")
        phase = Phase(root, root / "press.backup", smtp, receiver, before, after)

        async def lifted_and_delivered() -> bool:
            return any(r.json()["data"]["id"] == before for r in receiver.requests) and bool(
                smtp.to("aino@news.example")
            )

        await until(lifted_and_delivered)
        phase.webhooks_before = receiver.ids()
        phase.mails_before = [m["Message-ID"] for _, m in smtp.received]

        stop = asyncio.Event()
        load = asyncio.create_task(write_load(client, base, editor, phase, stop))
        await asyncio.sleep(1.0)  # the load is under way
        phase.releases_when_backup_began = await conn.fetchval("SELECT count(*) FROM releases")
        code, out, err = await press(env, "db", "backup", str(phase.backup))
        assert code == 0, err
        assert "backup written" in out
        await asyncio.sleep(0.5)
        stop.set()
        assert await load > 3
        phase.releases_at_the_end = await conn.fetchval("SELECT count(*) FROM releases")
    phase.tables = await rows_of(conn, phase.release_after)
    await conn.close()
    output = await served.stop()
    assert "PostgreSQL (embedded) stopped" in output, output[-3000:]
    return phase


APPEND_ONLY = ("releases", "release_translations", "release_revisions", "audit_log", "outbox",
               "contacts", "consents", "subscriptions", "webhooks")  # fmt: skip


async def test_a_backup_taken_while_serving_restores_a_snapshot_that_repeats_no_lift_or_delivery(
    phase: Phase,
) -> None:
    """And a used target, a damaged backup and a cut one are refused (with the same backup:
    making one takes a while)."""
    second = phase.root / "second"
    smtp = Inbox()
    mail = await smtp_server(smtp)
    env = environment(second, smtp)
    code, out, err = await press(env, "db", "restore", str(phase.backup))
    assert code == 0, err
    assert "restored" in out

    # As restored, before press runs on it and lifts what has come due since.
    database = EmbeddedServer(second)
    conn = await asyncpg.connect(await asyncio.to_thread(database.start))
    try:
        await check_snapshot(conn, phase, second)
    finally:
        await conn.close()
        await asyncio.to_thread(database.shutdown)

    receiver = Receiver(port=phase.receiver.port)  # the address the restored webhook names
    await phase.receiver.stop()
    await receiver.start()
    served = await serve(env)
    try:
        conn = await asyncpg.connect(db_url(second))
        try:

            async def lifted_and_delivered() -> bool:
                hooks = [
                    r for r in receiver.requests if r.json()["data"]["id"] == phase.release_after
                ]
                return bool(hooks) and bool(smtp.to("aino@news.example"))

            await until(lifted_and_delivered, 40)
            await asyncio.sleep(1.0)  # room for a repeated delivery to show up, if there were one
            await check_nothing_repeated(conn, phase, receiver, smtp)
        finally:
            await conn.close()
    finally:
        await served.stop()
        await receiver.stop()
        await phase.receiver.start()  # the fixture stops it
        mail.close()
        await mail.wait_closed()
    await check_refusals(phase)


async def check_snapshot(conn: asyncpg.Connection, phase: Phase, data_dir: Path) -> None:
    """The restored rows are rows the first press had, from one moment of its load, with
    every file's bytes, including those deleted after that moment."""
    restored = await rows_of(conn, phase.release_after)
    for table in APPEND_ONLY:
        assert restored[table] <= phase.tables[table], table
    releases = await conn.fetchval("SELECT count(*) FROM releases")
    assert phase.releases_when_backup_began < releases < phase.releases_at_the_end
    # Each release and its audit entry commit together: a torn snapshot would split them.
    unaudited = await conn.fetchval(
        "SELECT count(*) FROM releases r WHERE NOT EXISTS (SELECT 1 FROM audit_log a"
        " WHERE a.entity = 'release' AND a.entity_id = r.id::text AND a.action = 'release.create')"
    )
    assert unaudited == 0
    files = await conn.fetch("SELECT id::text, sha256, public_sha256 FROM files")
    assert files
    objects = data_dir / "files" / "objects"
    for row in files:
        for key in (row["sha256"], row["public_sha256"]):
            stored = (objects / key[:2] / key).read_bytes()
            assert hashlib.sha256(stored).hexdigest() == key
        if row["id"] in phase.sent:
            assert hashlib.sha256(phase.sent[row["id"]]).hexdigest() == row["sha256"]


async def rows_of(conn: asyncpg.Connection, *lifting: str) -> dict[str, set[str]]:
    """Each table's rows as checksums; `lifting`: releases left out, whose row a lift may
    change (the restored press lifts what was due, the first may have)."""
    found = {}
    for table in COMPARED:
        sql = f"SELECT md5(x::text) FROM {table} x"
        if table == "releases":
            sql += " WHERE NOT x.id::text = ANY($1::text[])"
            found[table] = {r[0] for r in await conn.fetch(sql, list(lifting))}
        else:
            found[table] = {r[0] for r in await conn.fetch(sql)}
    return found


async def check_nothing_repeated(
    conn: asyncpg.Connection, phase: Phase, receiver: Receiver, smtp: Inbox
) -> None:
    for release_id in (phase.release_before, phase.release_after):
        lifts = await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE action = 'release.lift' AND entity_id = $1",
            release_id,
        )
        published = await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE event_type = 'release.published'"
            " AND aggregate_id = $1::uuid",
            release_id,
        )
        assert (lifts, published) == (1, 1), release_id
    assert not set(receiver.ids()) & set(phase.webhooks_before)
    assert not [r for r in receiver.requests if r.json()["data"]["id"] == phase.release_before]
    after = [r for r in receiver.requests if r.json()["data"]["id"] == phase.release_after]
    assert len({r.headers["webhook-id"] for r in after}) == len(after)  # none sent twice
    assert not {m["Message-ID"] for _, m in smtp.received} & set(phase.mails_before)
    assert len(smtp.to("aino@news.example")) == 1  # the later release only


async def check_refusals(phase: Phase) -> None:
    env = environment(phase.root / "first", phase.smtp)
    code, _, err = await press(env, "db", "restore", str(phase.backup))
    assert code == 1
    assert "already holds" in err
    assert "--force" in err
    code, out, err = await press(env, "db", "restore", "--force", str(phase.backup))
    assert code == 0, err
    assert "restored" in out

    damaged = phase.root / "damaged.backup"
    shutil.copy(phase.backup, damaged)
    with tarfile.open(damaged) as tar:
        offset = tar.getmember("database.pgdump").offset_data + 1000
    with damaged.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0xFF]))
    fresh = environment(phase.root / "fresh", phase.smtp)
    code, _, err = await press(fresh, "db", "restore", str(damaged))
    assert code == 1
    assert "database.pgdump in the backup does not match its checksum" in err
    assert not (phase.root / "fresh" / "postgres").exists()  # refused before touching it

    cut = phase.root / "cut.backup"
    cut.write_bytes(phase.backup.read_bytes()[: phase.backup.stat().st_size // 2])
    code, _, err = await press(fresh, "db", "restore", str(cut))
    assert code == 1
    assert "not a press backup, or it was cut short" in err


SYSTEM_SERVER = os.environ.get(
    "PRESS_TEST_OLDER_SERVER_URL", "postgresql://postgres@127.0.0.1:5432"
)


@pytest.fixture
async def older_database() -> AsyncIterator[str]:
    """A new database on a PostgreSQL server of an older major than the embedded one (the
    system's 15 on 127.0.0.1), or a skip where there is none."""
    try:
        admin = await asyncpg.connect(f"{SYSTEM_SERVER}/postgres", timeout=3)
    except (OSError, asyncpg.PostgresError):
        pytest.skip(f"no PostgreSQL server at {SYSTEM_SERVER}")
    name = f"press_backup_{os.getpid()}"
    try:
        if await admin.fetchval("SELECT current_setting('server_version_num')::int") >= 180000:
            pytest.skip("the server is not older than the embedded PostgreSQL")
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{SYSTEM_SERVER}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_a_backup_moves_to_a_newer_major_and_not_back(older_database: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="press-backup-"))
    os.chmod(root, 0o755)  # as root the embedded server runs as another user
    older = environment(root / "older", Inbox()) | {"DATABASE_URL": older_database}
    newer = environment(root / "newer", Inbox())
    admin = ("users", "create", "admin@city.example", "--role", "admin", "--password-stdin")
    try:
        code, _, err = await press(older, *admin, stdin=PASSWORD)
        assert code == 0, err
        code, out, err = await press(older, "db", "backup", str(root / "15.backup"))
        assert code == 0, err
        assert "dumping it with pg_dump 15" in out  # the server's own major, found here
        code, out, err = await press(newer, "db", "restore", str(root / "15.backup"))
        assert code == 0, err
        assert "restored 0 releases" in out
        code, out, err = await press(newer, "db", "backup", str(root / "18.backup"))
        assert code == 0, err
        assert "admin@city.example" in await staff_list(newer)

        code, _, err = await press(older, "db", "restore", "--force", str(root / "18.backup"))
        assert code == 1
        assert "backup is of PostgreSQL 18 and this database runs 15" in err
    finally:
        shutil.rmtree(root, ignore_errors=True)


async def staff_list(env: dict[str, str]) -> str:
    code, out, err = await press(env, "users", "list")
    assert code == 0, err
    return out
