"""The press room in a real browser: press served by uvicorn as a process of its own on a
database of the session's own, and Debian's Chromium driven by Playwright, one browser for
the whole session (starting one costs about a second).

Content is made through the staff API of that server, as an officer would; every test makes
its own, with words of its own, so tests never depend on each other's releases.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, async_playwright

from press.db import connect
from tests.cli.test_serve import wait_ready
from tests.conftest import StaffHeaders, _fast_hash, clone_database, drop_database, staff_user

CHROMIUM = "/usr/bin/chromium"
WIDE, NARROW = 1280, 390
# Screenshots for people to look at (gitignored); the README's come from here.
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"


@dataclass(frozen=True)
class Server:
    url: str
    database_url: str
    editor: StaffHeaders
    approver: StaffHeaders
    admin: StaffHeaders


def _free_socket() -> socket.socket:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    return listener


@pytest.fixture(scope="session")
async def server(worker_id: str) -> AsyncIterator[Server]:
    """press serving a database of this session's own on 127.0.0.1, its staff made there."""
    database_url = await clone_database(f"web{worker_id}")
    conn = await connect(database_url)
    try:
        password = await _fast_hash()
        editor = await staff_user(conn, "editor", None, password)
        approver = await staff_user(conn, "approver", None, password)
        admin = await staff_user(conn, "admin", None, password)
    finally:
        await conn.close()
    listener = _free_socket()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PRESS_PUBLIC_URL": url,
        "PRESS_DATA_DIR": tempfile.mkdtemp(prefix="press-web-"),
        "PRESS_SECRET_KEY": "test",
        "PRESS_NO_WORKERS": "1",
        "PRESS_ON_CALL_PHONE": "+358 9 310 11111",
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "tests.archive.server_app:app",
        "--fd", str(listener.fileno()), "--log-level", "warning",
    ]  # fmt: skip
    # Started once for the session, before any test runs: nothing waits on this loop yet.
    process = subprocess.Popen(  # noqa: ASYNC220
        command, env=env, pass_fds=(listener.fileno(),), text=True
    )
    try:
        wait_ready(int(url.rsplit(":", 1)[1]), process)
        yield Server(url, database_url, editor, approver, admin)
    finally:
        process.terminate()
        process.wait(timeout=10)
        listener.close()
        await drop_database(database_url)


@pytest.fixture(scope="session")
async def api(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the server, for making content as the staff do."""
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240 - once per session
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM)
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser, server: Server) -> AsyncIterator[Page]:
    """A fresh browser tab, wide, that knows the server's address as its base."""
    context = await browser.new_context(
        base_url=server.url, viewport={"width": WIDE, "height": 900}, locale="fi-FI"
    )
    tab = await context.new_page()
    yield tab
    await context.close()


async def follow(target: Locator) -> None:
    """Click a link or a form's button and wait until the page it leads to has loaded.

    A check that something is gone (``to_have_count(0)``) also holds while the browser is
    between the two pages, so without this wait it can pass before the click was handled.
    """
    async with target.page.expect_navigation():
        await target.click()


async def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation at desktop and phone widths."""
    from axe_playwright_python.async_playwright import Axe

    axe = Axe()
    for width in (WIDE, NARROW):
        await page.set_viewport_size({"width": width, "height": 900})
        results = await axe.run(page)
        grave = [
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not grave, f"{page.url} at {width} px: {grave}"
    await page.set_viewport_size({"width": WIDE, "height": 900})


async def assert_no_sideways_scroll(page: Page, width: int = 320) -> None:
    """Nothing on the page is wider than a small phone's screen."""
    await page.set_viewport_size({"width": width, "height": 700})
    overflow = await page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at {width} px"
    await page.set_viewport_size({"width": WIDE, "height": 900})


async def screenshot(page: Page, name: str) -> None:
    """The page at desktop and phone widths, for people to look at."""
    ARTEFACTS.mkdir(exist_ok=True)
    for width in (WIDE, NARROW):
        await page.set_viewport_size({"width": width, "height": 900})
        await page.screenshot(path=ARTEFACTS / f"{name}-{width}.png", full_page=True)
    await page.set_viewport_size({"width": WIDE, "height": 900})


Publish = Callable[..., Awaitable[dict[str, Any]]]


@pytest.fixture
def publish(api: httpx.AsyncClient, server: Server) -> Publish:
    """Write, approve and publish a release (now, or at `at` under embargo)."""

    async def make(translations: dict[str, Any], **fields: Any) -> dict[str, Any]:
        at = fields.pop("at", None)
        body = {"source": "city-board", "topics": ["economy"], "translations": translations}
        created = await api.post(
            "/api/v1/manage/releases/", json={**body, **fields}, headers=server.editor
        )
        assert created.status_code == 201, created.text
        release_id = created.json()["id"]
        for action, who in (("submit", server.editor), ("approve", server.approver)):
            moved = await api.post(f"/api/v1/manage/releases/{release_id}/{action}", headers=who)
            assert moved.status_code == 200, moved.text
        publish_body = {"at": at, "embargo": True} if at else {}
        published = await api.post(
            f"/api/v1/manage/releases/{release_id}/publish",
            json=publish_body,
            headers=server.editor,
        )
        assert published.status_code == 200, published.text
        result: dict[str, Any] = published.json()
        return result

    return make


def unique_word(prefix: str = "sana") -> str:
    """A word found in no other release of the session."""
    return prefix + secrets.token_hex(4)
