"""Public RSS and Atom feeds of releases, read with feedparser and sfeed."""

from __future__ import annotations

import asyncio
import html
import shutil
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from uuid import UUID

import asyncpg
import feedparser
import httpx
import pytest

from press.conditional import etag_of
from press.feeds import repository as feeds_repository
from press.feeds.cache import feed_fingerprint
from press.feeds.render import entry_id
from press.releases import repository as releases_repository
from tests.conftest import StaffFactory
from tests.feeds.helpers import feed_cache_of, seed_public_releases
from tests.releases.helpers import MANAGE, act, approved, corrected, published

RSS, ATOM = "/feeds/releases.rss", "/feeds/releases.atom"


def parse(response: httpx.Response) -> feedparser.FeedParserDict:
    assert response.status_code == 200, response.text
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


async def test_rss_and_atom_parse_with_ids_links_dates_and_languages(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    only_sv = {"sv": {"title": "Bara på svenska", "lead": "Kort.", "body": "Text."}}
    first = await published(client, editor, approver, translations=only_sv)
    second = await published(client, editor, approver)
    for path in (RSS, ATOM):
        response = await client.get(path)
        assert response.headers["content-type"].startswith(
            "application/rss+xml" if path == RSS else "application/atom+xml"
        )
        feed = parse(response)
        assert [e.dc_identifier for e in feed.entries] == [
            f"urn:uuid:{second['id']}",
            f"urn:uuid:{first['id']}",
        ]
        assert [e.id for e in feed.entries] == [
            entry_id(UUID(second["id"]), "fi"),
            entry_id(UUID(first["id"]), "sv"),
        ]
        newest, oldest = feed.entries
        # Without lang each entry is in its first language by fi, sv, en, and says so.
        assert newest.title == "Kaupunginhallitus päätti talousarviosta"
        assert newest.title_detail.language == "fi"
        assert oldest.title == "Bara på svenska"
        assert oldest.title_detail.language == "sv"
        assert newest.link == f"http://press.test/releases/{second['id']}?lang=fi"
        published_at = datetime.fromisoformat(second["publish_at"])
        assert datetime(*newest.published_parsed[:6], tzinfo=UTC) == published_at.replace(
            microsecond=0
        )
        assert newest.summary == "Talousarvio hyväksyttiin."
        assert "<strong>hyväksyi</strong>" in newest.content[0].value
        assert {t.get("label") or t.term for t in newest.tags} == {"Kaupunginhallitus", "Talous"}
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links == [f"http://press.test{path}"]
    rss = (await client.get(RSS)).text
    assert f'<guid isPermaLink="false">{entry_id(UUID(second["id"]), "fi")}</guid>' in rss
    assert "<ttl>15</ttl>" in rss
    date = rss.split("<pubDate>")[1].split("</pubDate>")[0]
    assert abs(parsedate_to_datetime(date) - datetime.now(UTC)) < timedelta(minutes=5)


async def test_atom_has_exactly_one_id_title_updated_and_an_author(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    text = (await client.get(ATOM, params={"lang": "en"})).text
    head = text.split("<entry")[0]
    for tag in ("<id>", "<title>", "<updated>", "<author>"):
        assert head.count(tag) == 1, tag
    entry = text.split("<entry")[1]
    for tag in ("<id>", "<title>", "<updated>", 'rel="alternate"'):
        assert entry.count(tag) == 1, tag
    feed = parse(await client.get(ATOM, params={"lang": "en"}))
    assert feed.feed.title == "City press releases"
    assert feed.feed.language == "en"
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == ["http://press.test/feeds/releases.atom?lang=en"]


async def test_language_feed_holds_only_entries_written_in_that_language(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    fi_only = {"fi": {"title": "Vain suomeksi", "lead": "", "body": "x"}}
    await published(client, editor, approver, translations=fi_only)
    both = await published(client, editor, approver)
    for path in (RSS, ATOM):
        feed = parse(await client.get(path, params={"lang": "sv"}))
        assert [e.id for e in feed.entries] == [entry_id(UUID(both["id"]), "sv")]
        assert [e.dc_identifier for e in feed.entries] == [f"urn:uuid:{both['id']}"]
        assert feed.entries[0].title == "Stadsstyrelsen beslöt om budgeten"
        assert feed.entries[0].title_detail.language == "sv"
        assert feed.feed.language == "sv"
        assert feed.feed.title == "Stadens pressmeddelanden"
    response = await client.get(RSS, params={"lang": "sv"})
    assert response.headers["content-language"] == "sv"
    assert (await client.get(RSS, params={"lang": "de"})).status_code == 422


async def test_source_and_topic_filters_combine_as_in_the_list(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    board = await published(client, editor, approver, topics=["economy"])
    await published(client, editor, approver, source="city-council", topics=["economy"])
    await published(client, editor, approver, topics=["housing"])
    params = {"source": "city-board", "topic": "economy", "lang": "en"}
    feed = parse(await client.get(ATOM, params=params))
    listed = (await client.get("/api/v1/releases", params=params)).json()["items"]
    assert [e.dc_identifier for e in feed.entries] == [f"urn:uuid:{i['id']}" for i in listed]
    assert [e.dc_identifier for e in feed.entries] == [f"urn:uuid:{board['id']}"]
    assert feed.feed.title == "City press releases - City Board - Economy"


async def test_embargoed_release_is_absent_from_public_feeds_and_their_validators(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    before = {path: await client.get(path) for path in (RSS, ATOM)}
    secret = await approved(
        client, editor, approver, translations={"fi": {"title": "Salainen fuusio"}}
    )
    at = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    await act(client, editor, secret["id"], "publish", {"at": at, "embargo": True})
    etag = (await client.get(f"{MANAGE}/{secret['id']}", headers=approver)).headers["etag"]
    edit = {"translations": {"fi": {"title": "Salainen fuusio 2", "body": "Lisää"}}}
    changed = await client.patch(
        f"{MANAGE}/{secret['id']}", json=edit, headers={**approver, "If-Match": etag}
    )
    assert changed.status_code == 202  # held for another approver, then approved
    await act(client, await staff("approver"), secret["id"], "approve-change")
    for path, old in before.items():
        now = await client.get(path)
        assert now.content == old.content
        assert "Salainen" not in now.text
        assert now.headers["etag"] == old.headers["etag"]
        assert now.headers["last-modified"] == old.headers["last-modified"]
        feed = parse(now)
        assert datetime(*feed.feed.updated_parsed[:6], tzinfo=UTC) <= datetime.now(UTC)


async def test_feed_changes_at_the_lift_instant_without_any_worker(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    release = await approved(client, editor, approver, translations={"en": {"title": "Lifted"}})
    lift = datetime.now(UTC) + timedelta(seconds=2)
    await act(client, editor, release["id"], "publish", {"at": lift.isoformat(), "embargo": True})
    before = {path: await client.get(path) for path in (RSS, ATOM)}
    for response in before.values():
        assert int(response.headers["cache-control"].split("max-age=")[1]) <= 2
        assert "Lifted" not in response.text
    await asyncio.sleep(max(0.0, (lift - datetime.now(UTC)).total_seconds()) + 0.2)
    for path, old in before.items():
        after = await client.get(path, headers={"If-None-Match": old.headers["etag"]})
        assert after.status_code == 200
        assert "Lifted" in after.text
        assert after.headers["etag"] != old.headers["etag"]
        # No row changed at the lift instant, yet Last-Modified moves to it.
        last_modified = parsedate_to_datetime(after.headers["last-modified"])
        assert last_modified == lift.replace(microsecond=0)
        entry = parse(after).entries[0]
        # The item's date is the lift time, not when the release was written or scheduled.
        assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == lift.replace(microsecond=0)


async def test_conditional_get_answers_304_with_the_same_headers(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    for path in (RSS, ATOM):
        full = await client.get(path)
        again = await client.get(path, headers={"If-None-Match": full.headers["etag"]})
        assert again.status_code == 304
        assert again.content == b""
        for header in ("etag", "cache-control", "vary", "last-modified"):
            assert again.headers[header] == full.headers[header]
        since = await client.get(path, headers={"If-Modified-Since": full.headers["last-modified"]})
        assert since.status_code == 304
        both = await client.get(
            path,
            headers={
                "If-None-Match": '"stale"',
                "If-Modified-Since": full.headers["last-modified"],
            },
        )
        assert both.status_code == 200
        assert full.headers["cache-control"].startswith("public")


async def test_feed_is_gzipped_when_asked_and_each_encoding_has_its_etag(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    plain = await client.get(RSS, headers={"Accept-Encoding": "identity"})
    zipped = await client.get(RSS, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == plain.content  # httpx decodes
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert "Accept-Encoding" in zipped.headers["vary"]
    again = await client.get(
        RSS, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["etag"]}
    )
    assert again.status_code == 304


async def test_unchanged_feed_is_not_rendered_again(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    await client.get(RSS)
    cache = feed_cache_of(client)
    renders = cache.renders
    for _ in range(5):
        await client.get(RSS)
        await client.get(RSS, headers={"Accept-Encoding": "gzip"})
    assert cache.renders == renders
    await published(client, editor, approver)
    await client.get(RSS)
    assert cache.renders == renders + 1


async def test_entry_id_stays_and_correction_note_shows_after_a_correction(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    before = parse(await client.get(ATOM)).entries[0]
    await corrected(
        client,
        editor,
        approver,
        release["id"],
        {"note": "Summa korjattu", "changes": {"translations": {"fi": {"title": "Korjattu"}}}},
    )
    after = parse(await client.get(ATOM)).entries[0]
    assert after.id == before.id == entry_id(UUID(release["id"]), "fi")
    assert after.title == "Korjattu"
    assert "Summa korjattu" in after.content[0].value
    assert after.updated_parsed >= before.updated_parsed
    assert after.published_parsed == before.published_parsed


async def test_feed_holds_fifty_items_and_atom_pages_back_through_the_archive(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    ids = await seed_public_releases(conn, 120)
    rss = parse(await client.get(RSS))
    assert [e.dc_identifier for e in rss.entries] == [f"urn:uuid:{i}" for i in ids[:50]]
    seen: list[str] = []
    url: str | None = ATOM
    pages = 0
    while url is not None:
        feed = parse(await client.get(url))
        pages += 1
        seen += [e.dc_identifier.removeprefix("urn:uuid:") for e in feed.entries]
        rels = {link.rel: link.href for link in feed.feed.links}
        assert rels["first"] == "http://press.test/feeds/releases.atom"
        assert feed.feed.id == "http://press.test/feeds/releases.atom"
        url = rels.get("next")
    assert pages == 3
    assert seen == ids
    assert (await client.get(ATOM, params={"cursor": "nonsense"})).status_code == 422


async def test_list_and_release_advertise_feeds_that_exist(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    for path in ("/api/v1/releases", f"/api/v1/releases/{release['id']}"):
        link = (await client.get(path)).headers["link"]
        targets = [part.split(">")[0].strip(" <") for part in link.split(",")]
        assert targets == [RSS, ATOM]
        for target in targets:
            parse(await client.get(httpx.URL(f"http://press.test{path}").join(target)))
    schema = (await client.get("/schema/openapi.json")).json()
    assert {RSS, ATOM, "/feeds/events.ics"} <= set(schema["paths"])


@pytest.mark.skipif(shutil.which("sfeed") is None, reason="sfeed is not installed")
async def test_sfeed_reads_a_timestamp_for_every_item(
    client: httpx.AsyncClient, conn: asyncpg.Connection
) -> None:
    await seed_public_releases(conn, 3)
    for path in (RSS, ATOM):
        body = (await client.get(path)).content
        sfeed = await asyncio.create_subprocess_exec(
            "sfeed", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        out, _ = await sfeed.communicate(body)
        assert sfeed.returncode == 0
        lines = out.decode().splitlines()
        assert len(lines) == 3
        assert all(line.split("\t")[0].isdigit() for line in lines)


@pytest.mark.parametrize("kind", ["rss", "atom"])
async def test_main_image_is_the_entrys_enclosure(
    client: httpx.AsyncClient, staff: StaffFactory, kind: str
) -> None:
    from tests.archive.access import file_in_release
    from tests.archive.samples import image_bytes

    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)  # a release without files: no enclosure
    image = image_bytes("JPEG")
    file = await file_in_release(client, editor, approver, "published", image, "kuva.jpg")
    parsed = feedparser.parse((await client.get(f"/feeds/releases.{kind}")).content)
    assert parsed.bozo == 0
    with_image, without = parsed.entries
    assert [e.get("enclosures", []) for e in [without]] == [[]]
    (enclosure,) = with_image.enclosures
    assert enclosure.href == f"http://press.test/api/v1/files/{file['id']}/{file['filename']}"
    assert enclosure.type == "image/jpeg"
    download = await client.get(enclosure.href.removeprefix("http://press.test"))
    assert download.status_code == 200
    assert int(enclosure.length) == len(download.content)
    assert [link.rel for link in with_image.links].count("alternate") == 1


async def test_feeds_index_lists_every_public_feed_and_each_answers(
    client: httpx.AsyncClient,
) -> None:
    for path in ("/feeds", "/feeds/"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/json")
    items = response.json()["items"]
    formats = {(i["format"], i["lang"]) for i in items if i["source"] is None}
    assert formats == {
        (kind, lang) for kind in ("rss", "atom", "ics") for lang in ("fi", "sv", "en")
    }
    board = [i for i in items if i["source"] == "city-board" and i["lang"] == "sv"]
    assert {i["title"] for i in board} == {"Pressmeddelanden: Stadsstyrelsen"}
    for item in items:
        assert item["url"].startswith("http://press.test/feeds/")
        feed = await client.get(item["url"].removeprefix("http://press.test"))
        assert feed.status_code == 200, item["url"]
        if item["format"] != "ics":
            assert feedparser.parse(feed.content).bozo == 0


async def test_a_reader_of_the_finnish_and_swedish_feeds_gets_each_translation_as_an_item(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await published(client, editor, approver)
    for path in (RSS, ATOM):
        [fi] = parse(await client.get(path, params={"lang": "fi"})).entries
        [sv] = parse(await client.get(path, params={"lang": "sv"})).entries
        assert fi.id != sv.id
        assert (fi.id, sv.id) == (
            entry_id(UUID(release["id"]), "fi"),
            entry_id(UUID(release["id"]), "sv"),
        )
        assert fi.dc_identifier == sv.dc_identifier == f"urn:uuid:{release['id']}"


async def test_markup_typed_in_a_lead_arrives_in_the_rss_feed_as_text(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    lead = "Budjetti <b>hyväksyttiin</b> <script>alert(1)</script>"
    await published(
        client, editor, approver, translations={"fi": {"title": "Budjetti", "lead": lead}}
    )
    [item] = parse(await client.get(RSS)).entries
    assert html.unescape(item.summary) == lead
    [entry] = parse(await client.get(ATOM)).entries
    assert entry.summary == lead


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"source": "city-board"},
        {"source": "city-council"},
        {"topic": "economy"},
        {"lang": "sv"},
        {"source": "city-board", "topic": "economy", "lang": "fi"},
    ],
)
async def test_the_feeds_glance_sees_the_pages_the_list_query_gives(
    conn: asyncpg.Connection, filters: dict[str, str | None]
) -> None:
    ids = await seed_public_releases(conn, 60)
    await seed_public_releases(conn, 5, lang="sv", prefix="Meddelande")
    await conn.execute(
        "INSERT INTO release_topics (release_id, topic) SELECT unnest($1::uuid[]), 'economy'",
        [UUID(i) for i in ids[::3]],
    )
    await conn.execute("UPDATE releases SET source = 'city-council' WHERE id = $1", UUID(ids[1]))
    filters = {"source": None, "topic": None, "lang": None, **filters}
    after = None
    for _ in range(3):  # the first page, the next, and the last
        rows = await releases_repository.list_public_releases(
            conn, since=None, until=None, after=after, limit=21, **filters
        )
        glance = await feeds_repository.public_feed_glance(conn, after=after, shown=20, **filters)
        shown = [(r["id"], r["modified_at"], None) for r in rows[:20]]
        assert glance.fingerprint == feed_fingerprint(shown, has_next=len(rows) > 20)
        if len(rows) <= 20:
            break
        after = (rows[19]["publish_at"], rows[19]["id"])


async def test_with_the_response_cache_off_a_changed_image_changes_the_feed(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    from tests.archive.access import file_in_release
    from tests.archive.samples import image_bytes

    editor, approver = await staff("editor"), await staff("approver")
    file = await file_in_release(client, editor, approver, "published", image_bytes("JPEG"))
    before = await client.get(RSS)
    assert parse(before).entries[0].enclosures[0].href.endswith(f"/{file['filename']}")
    # Only the image changes (its name), not the release: the feed is rendered again.
    await conn.execute("UPDATE files SET filename = 'satama.jpg' WHERE id = $1", UUID(file["id"]))
    after = await client.get(RSS)
    assert parse(after).entries[0].enclosures[0].href.endswith("/satama.jpg")
    assert after.headers["etag"] != before.headers["etag"]


async def test_each_encoding_of_a_feed_has_the_hash_of_its_bytes_as_its_etag(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await published(client, editor, approver)
    for _ in range(2):  # rendered, then served again from the render
        for encoding in ("identity", "gzip"):
            async with client.stream("GET", RSS, headers={"Accept-Encoding": encoding}) as sent:
                body = b"".join([chunk async for chunk in sent.aiter_raw()])
            assert sent.headers["etag"] == etag_of(body)
