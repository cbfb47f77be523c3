"""A slug tells the public nothing of releases it cannot see: a public release's address is
the same whether or not a draft, approved, scheduled or embargoed release has its title, and
writing such a twin gives no sign of the hidden one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import msgspec
import pytest

from press.app import create_app
from press.db import SingleConnectionDatabase, connect
from press.releases import repository
from press.releases.render import slugify
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.releases.helpers import MANAGE, act, approved, create, published

TITLES = {"fi": "Salainen fuusio", "sv": "Hemlig fusion", "en": "Secret merger"}
BASE = {lang: slugify(title) for lang, title in TITLES.items()}


def twin(title_suffix: str = "") -> dict[str, Any]:
    return {
        lang: {"title": title + title_suffix, "lead": "Ingressi.", "body": "Teksti."}
        for lang, title in TITLES.items()
    }


def suffixed(slug: str, release_id: str) -> str:
    return f"{slug[:70]}-{UUID(release_id).hex[:8]}"


def slugs(release: dict[str, Any]) -> dict[str, str]:
    return {lang: text["slug"] for lang, text in release["translations"].items()}


def in_hours(hours: float) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def hidden_twin(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str], stage: str
) -> dict[str, Any]:
    """A release with the title of TITLES that the public cannot see, at `stage`."""
    if stage == "draft":
        return await create(client, editor, translations=twin())
    release = await approved(client, editor, approver, translations=twin())
    if stage == "approved":
        return release
    body = {"at": in_hours(2), "embargo": stage == "embargoed"}
    return await act(client, editor, release["id"], "publish", body)


@asynccontextmanager
async def website(conn: asyncpg.Connection, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose release addresses carry the slug (feeds, sitemap, pages)."""
    slugged = msgspec.structs.replace(
        settings, release_url_template="{public_url}/{lang}/news/{slug}"
    )
    app = create_app(slugged, database=SingleConnectionDatabase(conn))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        yield client


PUBLIC_SURFACES = [
    "/api/v1/releases",
    "/api/v1/releases?updated_since=2000-01-01T00:00:00Z",
    "/feeds/releases.rss",
    "/feeds/releases.atom",
    "/sitemap.xml",
    "/fi/",
    "/en/",
]


@pytest.mark.parametrize("stage", ["draft", "approved", "scheduled", "embargoed"])
async def test_a_public_release_has_the_same_slug_whether_or_not_a_hidden_twin_exists(
    client: httpx.AsyncClient,
    conn: asyncpg.Connection,
    settings: Settings,
    staff: StaffFactory,
    stage: str,
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    hidden = await hidden_twin(client, editor, approver, stage)
    # Written after the hidden one, with its title: no error, nothing that names it.
    response = await client.post(
        MANAGE + "/",
        json={"source": "city-board", "topics": ["economy"], "translations": twin()},
        headers=editor,
    )
    assert response.status_code == 201, response.text
    assert hidden["id"] not in response.text
    assert UUID(hidden["id"]).hex[:8] not in response.text
    assert slugs(response.json()) == BASE
    public = await published(client, editor, approver, translations=twin())
    assert slugs(public) == BASE

    async with website(conn, settings) as site:
        for lang, slug in BASE.items():
            by_slug = await site.get(f"/api/v1/releases/{slug}")
            assert by_slug.status_code == 200
            assert by_slug.json()["id"] == public["id"]
            assert by_slug.json()["lang"] == lang
            assert (await site.get(f"/releases/{slug}")).status_code == 200
        for path in PUBLIC_SURFACES:
            body = (await site.get(path)).text
            assert hidden["id"] not in body, path
            assert UUID(hidden["id"]).hex[:8] not in body, path
            for slug in BASE.values():
                assert f"{slug}-" not in body, path  # no suffix: no one else holds the slug


async def test_the_lift_finds_the_slug_taken_by_what_was_published_before_it(
    client: httpx.AsyncClient, conn: asyncpg.Connection, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    embargoed = await hidden_twin(client, editor, approver, "embargoed")
    assert slugs(embargoed) == BASE  # nothing public holds it, nothing earlier is scheduled
    public = await published(client, editor, approver, translations=twin())
    assert slugs(public) == BASE
    moved = (await client.get(f"{MANAGE}/{embargoed['id']}", headers=editor)).json()
    assert slugs(moved) == {lang: suffixed(s, embargoed["id"]) for lang, s in BASE.items()}
    # The lift: publish_at reached, with no worker and no write at that instant.
    await conn.execute(
        "UPDATE releases SET publish_at = statement_timestamp() - interval '1 second'"
        " WHERE id = $1",
        UUID(embargoed["id"]),
    )
    for lang, slug in BASE.items():
        assert (await client.get(f"/api/v1/releases/{slug}")).json()["id"] == public["id"]
        lifted = await client.get(f"/api/v1/releases/{suffixed(slug, embargoed['id'])}")
        assert lifted.json()["id"] == embargoed["id"], lang


async def test_scheduled_twins_take_the_slug_in_the_order_they_lift(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    later = await hidden_twin(client, editor, approver, "embargoed")  # lifts in 2 hours
    sooner = await approved(client, editor, approver, translations=twin())
    sooner = await act(client, editor, sooner["id"], "publish", {"at": in_hours(1)})
    assert slugs(sooner) == BASE

    async def slugs_of(release: dict[str, Any]) -> dict[str, str]:
        return slugs((await client.get(f"{MANAGE}/{release['id']}", headers=editor)).json())

    assert await slugs_of(later) == {lang: suffixed(s, later["id"]) for lang, s in BASE.items()}
    # The sooner one goes back to waiting: the later one is the first to lift again.
    await act(client, editor, sooner["id"], "unschedule")
    assert await slugs_of(later) == BASE
    assert await slugs_of(sooner) == BASE  # tentative, as a draft's is
    # Scheduled again, after the other: the other keeps the slug.
    await act(client, editor, sooner["id"], "publish", {"at": in_hours(3)})
    assert await slugs_of(later) == BASE
    assert await slugs_of(sooner) == {lang: suffixed(s, sooner["id"]) for lang, s in BASE.items()}


async def test_a_tombstone_keeps_its_slug_and_a_release_withdrawn_unseen_gives_it_up(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    unseen = await hidden_twin(client, editor, approver, "embargoed")
    await act(client, editor, unseen["id"], "withdraw", {"reason": "Peruttu."})
    first = await published(client, editor, approver, translations=twin())
    assert slugs(first) == BASE  # the withdrawn-before-lift release holds nothing
    await act(client, editor, first["id"], "withdraw", {"reason": "Virhe."})
    gone = await client.get(f"/api/v1/releases/{BASE['fi']}")
    assert gone.status_code == 410  # the old address still names the withdrawn release
    second = await published(client, editor, approver, translations=twin())
    assert slugs(second) == {lang: suffixed(s, second["id"]) for lang, s in BASE.items()}


async def test_two_releases_made_public_at_once_with_one_title_get_one_slug_each(
    fresh_client: httpx.AsyncClient, fresh_staff: StaffFactory, fresh_database_url: str
) -> None:
    editor, approver = await fresh_staff("editor"), await fresh_staff("approver")
    first, second = [
        UUID((await approved(fresh_client, editor, approver, translations=twin()))["id"])
        for _ in "ab"
    ]
    one, other = await connect(fresh_database_url), await connect(fresh_database_url)
    try:
        async with one.transaction():
            await publish_now(one, first)
            # The other waits for this one's commit, then finds the slug taken.
            waiting = asyncio.create_task(publish_in_a_transaction(other, second))
            await asyncio.sleep(0.3)
            assert not waiting.done()
        await asyncio.wait_for(waiting, 10)
        for lang, slug in BASE.items():
            got = dict(
                await one.fetch(
                    "SELECT release_id, slug FROM release_translations WHERE lang = $1"
                    " AND release_id = ANY($2::uuid[])",
                    lang,
                    [first, second],
                )
            )
            assert got == {first: slug, second: suffixed(slug, str(second))}
    finally:
        await one.close()
        await other.close()


async def publish_now(conn: asyncpg.Connection, release_id: UUID) -> None:
    """What publishing now writes of the state, then its slugs."""
    await conn.execute(
        "UPDATE releases SET state = 'published', publish_at = statement_timestamp() WHERE id = $1",
        release_id,
    )
    await repository.settle_slugs(conn, release_id, published_now=True)


async def publish_in_a_transaction(conn: asyncpg.Connection, release_id: UUID) -> None:
    async with conn.transaction():
        await publish_now(conn, release_id)
