"""The demo: loaded once into a fresh database, read back through the public API."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import asyncpg
import httpx
from PIL import Image
from pypdf import PdfReader

from press.demo import content, load_demo
from press.settings import Settings

LANGS = ("fi", "sv", "en")
# Releases the public reads now, and the rest by what keeps them out of sight.
PUBLIC_RELEASES = 21
NOT_PUBLIC = {"embargoed": 3, "scheduled": 3, "in_review": 1, "withdrawn": 1, "draft": 1}


async def public_releases(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/releases", params={"limit": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    items: list[dict[str, Any]] = body["items"]
    return items


async def release_files(
    client: httpx.AsyncClient, release_id: str, lang: str = "fi"
) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/releases/{release_id}/files", params={"lang": lang})
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def release_titled(client: httpx.AsyncClient, title_start: str) -> dict[str, Any]:
    return next(r for r in await public_releases(client) if r["title"].startswith(title_start))


async def test_published_demo_releases_carry_photos_and_documents_with_alt_texts_and_credits(
    fresh_conn: asyncpg.Connection, fresh_client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(fresh_conn, settings)
    with_files = {}
    for release in await public_releases(fresh_client):
        detail = await fresh_client.get(f"/api/v1/releases/{release['id']}")
        assert detail.status_code == 200
        if files := await release_files(fresh_client, release["id"]):
            with_files[release["id"]] = files
    assert len(with_files) == 5
    images = [f for files in with_files.values() for f in files if f["renditions"]]
    documents = [f for files in with_files.values() for f in files if not f["renditions"]]
    assert len(images) == 5
    assert [d["content_type"] for d in documents] == ["application/pdf"]
    for item in images + documents:
        assert item["credit"]
        assert item["licence"] == "CC BY 4.0"
    for release_id in with_files:
        by_lang = {lang: await release_files(fresh_client, release_id, lang) for lang in LANGS}
        for position, image in enumerate(by_lang["fi"]):
            if not image["renditions"]:
                continue
            alts = [by_lang[lang][position]["alt"] for lang in LANGS]
            assert all(alt.strip() for alt in alts)
            assert len(set(alts)) == 3  # one in each language, not a fallback


async def test_a_demo_photo_has_renditions_and_its_release_a_press_kit(
    fresh_conn: asyncpg.Connection, fresh_client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(fresh_conn, settings)
    release = await release_titled(
        fresh_client, "Kaupunginvaltuusto päätti kiinteistöveroprosenteista"
    )
    chart, summary = await release_files(fresh_client, release["id"])
    thumbnail = await fresh_client.get(chart["renditions"]["thumbnail"])
    assert thumbnail.status_code == 200
    assert thumbnail.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(thumbnail.content)).width == 320
    original = await fresh_client.get(chart["url"])
    assert original.status_code == 200
    assert original.headers["content-type"] == "image/jpeg"
    assert len(original.content) == chart["size"]
    kit = await fresh_client.get(f"/api/v1/releases/{release['id']}/press-kit.zip")
    assert kit.status_code == 200
    with zipfile.ZipFile(io.BytesIO(kit.content)) as archive:
        names = archive.namelist()
        credits = archive.read("credits.txt").decode()
        pdf = archive.read(f"files/02-{summary['filename']}")
    assert f"files/01-{chart['filename']}" in names
    assert {"fi.html", "sv.html", "en.html"} <= set(names)
    assert chart["credit"] in credits
    assert "Kiinteistöveroprosentit 2027" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


async def test_the_media_bank_lists_the_demo_photos(
    fresh_conn: asyncpg.Connection, fresh_client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(fresh_conn, settings)
    response = await fresh_client.get("/api/v1/media-bank", params={"lang": "en"})
    assert response.status_code == 200
    photos = response.json()["items"]
    assert sorted(p["title"] for p in photos) == [
        "City Hall",
        "Lehtoranta harbour at dusk",
        "The Council Chamber",
        "The Shoreline tram",
    ]
    for photo in photos:
        assert (photo["collection"], photo["lang"], photo["content_type"]) == (
            "photos",
            "en",
            "image/jpeg",
        )
        assert all(photo[text] for text in ("alt", "credit", "licence"))
        assert (photo["width"], photo["height"]) == (1600, 1067)
    web = await fresh_client.get(photos[0]["renditions"]["web"])
    assert web.status_code == 200


async def test_loading_the_demo_twice_changes_nothing_the_second_time(
    fresh_conn: asyncpg.Connection, fresh_client: httpx.AsyncClient, settings: Settings
) -> None:
    credentials = await load_demo(fresh_conn, settings)
    assert credentials is not None
    assert {role for _, role, _ in credentials} == {"admin", "approver", "editor", "viewer"}
    before = await database_counts(fresh_conn)
    objects = sorted((settings.data_dir / "files" / "objects").rglob("*"))
    listed = await fresh_client.get("/api/v1/releases")
    bank = await fresh_client.get("/api/v1/media-bank")

    assert await load_demo(fresh_conn, settings) is None

    assert await database_counts(fresh_conn) == before
    assert sorted((settings.data_dir / "files" / "objects").rglob("*")) == objects
    assert (await fresh_client.get("/api/v1/releases")).headers["etag"] == listed.headers["etag"]
    assert (await fresh_client.get("/api/v1/media-bank")).headers["etag"] == bank.headers["etag"]


async def database_counts(conn: asyncpg.Connection) -> dict[str, int]:
    tables = ("staff_users", "releases", "files", "release_files", "events", "outbox", "audit_log")
    return {table: await conn.fetchval(f"SELECT count(*) FROM {table}") for table in tables}


async def test_demo_has_21_public_releases_and_9_not_public(
    fresh_conn: asyncpg.Connection, fresh_client: httpx.AsyncClient, settings: Settings
) -> None:
    await load_demo(fresh_conn, settings)
    assert len(await public_releases(fresh_client)) == PUBLIC_RELEASES
    rows = await fresh_conn.fetch(
        """SELECT CASE WHEN state = 'scheduled' AND embargo THEN 'embargoed' ELSE state END
                  AS kind, count(*) AS n
           FROM releases WHERE NOT release_is_public(state, publish_at) GROUP BY 1"""
    )
    assert {r["kind"]: r["n"] for r in rows} == NOT_PUBLIC
    withdrawn = await fresh_conn.fetchval("SELECT id FROM releases WHERE state = 'withdrawn'")
    tombstone = await fresh_client.get(f"/api/v1/releases/{withdrawn}")
    assert tombstone.status_code == 410
    assert "returned the matter for further preparation" in tombstone.text
    assert "Internal" not in tombstone.text
    embargoed = await fresh_conn.fetchval("SELECT id FROM releases WHERE embargo LIMIT 1")
    assert (await fresh_client.get(f"/api/v1/releases/{embargoed}")).status_code == 404


def test_demo_photos_are_web_sized_jpegs_and_the_document_a_small_pdf() -> None:
    for spec in content.read_json("files.json"):
        data = content.file_bytes(spec["file"])
        if spec["file"].endswith(".pdf"):
            assert len(data) < 100_000
            assert len(PdfReader(io.BytesIO(data)).pages) == 1
            continue
        image = Image.open(io.BytesIO(data))
        assert (image.format, image.size) == ("JPEG", (1600, 1067))
        assert len(data) < 150_000
        assert all(spec["alt"].get(lang) for lang in LANGS)
