"""A release's photos and documents in the console: upload with alt texts and credit, the
archive's rules (alt texts a scheduled release needs, one-line texts, kinds and sizes) told in
the user's language, reuse of an archive photo, removal, thumbnails behind the session; a
viewer refused, a form without its token refused."""

from __future__ import annotations

import html
import io
import os
import re
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from PIL import Image
from playwright.async_api import Browser, Page, expect

from press.app import create_app
from press.db import SingleConnectionDatabase, connect
from press.settings import Settings
from tests.archive.samples import FILES, image_bytes, jpeg_with_gps, pdf_bytes
from tests.conftest import StaffFactory
from tests.web.conftest import (
    WIDE,
    Server,
    assert_accessible,
    assert_no_sideways_scroll,
    follow,
    screenshot,
    unique_word,
)
from tests.web.console import PASSWORD, draft, form_token, page_token, person, sign_in
from tests.web.content import city_photo

TOKEN_IN_UPLOAD = re.compile(r'name="etag" value="([^"]+)"')


async def signed_in_as(client: httpx.AsyncClient, staff: StaffFactory, role: str) -> dict[str, str]:
    email, headers = await person(staff, role)
    await sign_in(client, email)
    return headers


def media(release_id: str) -> str:
    return f"/console/releases/{release_id}/media"


async def upload(
    client: httpx.AsyncClient,
    release_id: str,
    data: bytes,
    filename: str = "kuva.jpg",
    csrf: str | None = None,
    **texts: str,
) -> httpx.Response:
    """The upload form sent as a browser sends it: the token, the texts, then the file."""
    fields = {"csrf": csrf if csrf is not None else await page_token(client, media(release_id))}
    fields.update(texts)
    return await client.post(
        media(release_id), data=fields, files={"file": (filename, data, "image/jpeg")}
    )


async def files_of(conn: asyncpg.Connection, release_id: str) -> list[asyncpg.Record]:
    return list(
        await conn.fetch(
            "SELECT f.* FROM files f JOIN release_files rf ON rf.file_id = f.id "
            "WHERE rf.release_id = $1 ORDER BY f.created_at",
            release_id,
        )
    )


async def audited(conn: asyncpg.Connection, file_id: Any) -> list[str]:
    rows = await conn.fetch(
        "SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id", str(file_id)
    )
    return [r["action"] for r in rows]


async def test_an_editor_uploads_a_photo_with_alt_texts_and_credit_and_sees_its_thumbnail(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    sent = await upload(
        client, release_id, jpeg_with_gps(), alt_fi="Kauppatori aamulla",
        alt_sv="Salutorget på morgonen", alt_en="", credit="Kuva: Helsingin kaupunki",
    )  # fmt: skip
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"] == media(release_id) + "#photos"
    [row] = await files_of(conn, release_id)
    assert row["alt"] == {"fi": "Kauppatori aamulla", "sv": "Salutorget på morgonen"}
    assert row["credit"] == "Kuva: Helsingin kaupunki"
    assert row["content_type"] == "image/jpeg"
    assert await audited(conn, row["id"]) == ["file.upload", "file.update", "file.attach"]

    page = await client.get(media(release_id))
    assert page.status_code == 200
    assert f'src="/console/files/{row["id"]}/thumbnail"' in page.text
    assert 'alt="Kauppatori aamulla"' in page.text
    assert "JPEG-valokuva, 64 \N{MULTIPLICATION SIGN} 48 px" in page.text
    assert page.headers["cache-control"] == "private, no-store"
    thumbnail = await client.get(f"/console/files/{row['id']}/thumbnail")
    assert thumbnail.status_code == 200
    assert thumbnail.headers["content-type"] == "image/jpeg"
    assert thumbnail.headers["cache-control"].startswith("private")
    assert b"Photographer Name" not in thumbnail.content
    release_page = await client.get(f"/console/releases/{release_id}")
    assert f"/console/files/{row['id']}/thumbnail" in release_page.text


async def test_a_document_is_listed_with_its_kind_and_size_in_the_users_language(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    sent = await upload(client, release_id, pdf_bytes(), filename="Päätös.pdf")
    assert sent.status_code == 303, sent.text
    page = await client.get(media(release_id))
    assert "Päätös.pdf" in page.text
    assert "PDF-asiakirja, 1 kt" in page.text
    client.cookies.set("press_console_lang", "sv", path="/console")
    page = await client.get(media(release_id))
    assert "PDF-dokument, 1 kB" in page.text


async def test_a_file_of_a_kind_not_accepted_is_refused_in_the_form_in_the_users_language(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    before = await conn.fetchval("SELECT count(*) FROM files")
    refused = await upload(
        client, release_id, b"<svg onload='alert(1)'/>", filename="kuva.svg",
        alt_fi="Logo", credit="Viestintä",
    )  # fmt: skip
    assert refused.status_code == 415
    assert "Tätä tiedostoa ei hyväksytä" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert 'value="Logo"' in refused.text
    assert 'value="Viestintä"' in refused.text
    assert await conn.fetchval("SELECT count(*) FROM files") == before
    empty = await upload(client, release_id, b"", filename="")
    assert empty.status_code == 422
    assert "Valitse lähetettävä tiedosto." in empty.text


async def test_a_file_too_large_is_refused_in_the_form_before_it_is_read(
    conn: asyncpg.Connection, staff: StaffFactory, settings: Settings
) -> None:
    small = Settings(**{**{f: getattr(settings, f) for f in settings.__struct_fields__},
                        "max_upload_mb": 1})  # fmt: skip
    app = create_app(small, database=SingleConnectionDatabase(conn))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://press.test") as client:
        headers = await signed_in_as(client, staff, "editor")
        release_id = await draft(client, headers)
        client.cookies.set("press_console_lang", "sv", path="/console")
        refused = await upload(client, release_id, b"\xff\xd8\xff" + bytes(2 * 2**20))
        assert refused.status_code == 413
        assert "Filen är för stor: filer får vara högst 1 MB." in refused.text
        assert await files_of(conn, release_id) == []


async def test_alt_texts_and_credit_are_edited_later_under_the_archives_rules(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    await upload(client, release_id, jpeg_with_gps())
    [row] = await files_of(conn, release_id)
    page = await client.get(media(release_id))
    etag = html.unescape(TOKEN_IN_UPLOAD.search(page.text).group(1))  # type: ignore[union-attr]
    edit = f"{media(release_id)}/{row['id']}"
    fields = {"csrf": form_token(page.text), "etag": etag, "alt_fi": "Uusi kirjasto"}
    too_long = await client.post(edit, data={**fields, "credit": "K" * 301})
    assert too_long.status_code == 422
    assert "Kuvaaja on yksi rivi, enintään 300 merkkiä." in too_long.text
    assert 'value="Uusi kirjasto"' in too_long.text
    two_lines = await client.post(edit, data={**fields, "alt_sv": "Ett\nnytt bibliotek"})
    assert two_lines.status_code == 422
    assert "Jokainen vaihtoehtoinen teksti on yksi rivi" in two_lines.text
    saved = await client.post(edit, data={**fields, "credit": "Kaupunki"})
    assert saved.status_code == 303, saved.text
    changed = await conn.fetchrow("SELECT alt, credit FROM files WHERE id = $1", row["id"])
    assert changed["alt"] == {"fi": "Uusi kirjasto"}
    assert changed["credit"] == "Kaupunki"
    assert await audited(conn, row["id"]) == ["file.upload", "file.attach", "file.update"]
    stale = await client.post(edit, data={**fields, "alt_fi": "Myöhässä"})
    assert stale.status_code == 412
    assert "Joku muu muutti tämän kuvan tekstejä" in stale.text
    assert 'value="Myöhässä"' in stale.text


async def test_a_scheduled_release_needs_alt_texts_in_its_languages_and_publishing_waits_for_them(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await in_two_languages(client, headers)
    await upload(client, release_id, jpeg_with_gps(), alt_fi="Tori")
    page = await client.get(f"/console/releases/{release_id}")
    assert "kuva.jpg (ruotsi)" in page.text
    _, approver = await person(staff, "approver")
    for move, who in (("submit", headers), ("approve", approver)):
        moved = await client.post(f"/api/v1/manage/releases/{release_id}/{move}", headers=who)
        assert moved.status_code == 200, moved.text
    published = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": await page_token(client), "intent": "now"},
    )
    assert published.status_code == 422
    assert "Kuvilla pitää olla vaihtoehtoinen teksti" in published.text
    page = await client.get(media(release_id))
    [row] = await files_of(conn, release_id)
    etag = html.unescape(TOKEN_IN_UPLOAD.search(page.text).group(1))  # type: ignore[union-attr]
    described = {"csrf": form_token(page.text), "etag": etag, "alt_fi": "Tori", "alt_sv": "Torget"}
    saved = await client.post(f"{media(release_id)}/{row['id']}", data=described)
    assert saved.status_code == 303
    published = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": await page_token(client), "intent": "now"},
    )
    assert published.status_code == 303, published.text
    # Public now: an alt text its languages need may not be emptied, and a new photo comes
    # with them; the credit is not required (the API requires none).
    page = await client.get(media(release_id))
    etag = html.unescape(TOKEN_IN_UPLOAD.search(page.text).group(1))  # type: ignore[union-attr]
    emptied = await client.post(
        f"{media(release_id)}/{row['id']}", data={**described, "etag": etag, "alt_sv": ""}
    )
    assert emptied.status_code == 422
    assert "kuva tarvitsee vaihtoehtoisen tekstin kielillä ruotsi" in emptied.text
    refused = await upload(client, release_id, image_bytes("PNG"), alt_fi="Kartta")
    assert refused.status_code == 422
    assert 'value="Kartta"' in refused.text
    assert len(await files_of(conn, release_id)) == 1
    described_png = await upload(
        client, release_id, image_bytes("PNG"), filename="kartta.png", alt_fi="Kartta",
        alt_sv="Karta",
    )  # fmt: skip
    assert described_png.status_code == 303, described_png.text


async def in_two_languages(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    body = {
        "source": "city-board",
        "topics": ["economy"],
        "translations": {
            "fi": {"title": "Tori", "body": "Teksti."},
            "sv": {"title": "Torget", "body": "Text."},
        },
    }
    created = await client.post("/api/v1/manage/releases/", json=body, headers=headers)
    assert created.status_code == 201, created.text
    release_id: str = created.json()["id"]
    return release_id


async def test_a_photo_of_the_archive_is_found_and_attached_with_its_texts(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    other = await draft(client, headers)
    await upload(client, other, jpeg_with_gps(), alt_fi="Rautatientori 100% talvella")
    [photo] = await files_of(conn, other)
    none = await client.get(media(release_id), params={"q": "Hakaniemi"})
    assert "Mikään arkiston kuva ei vastaa hakua." in none.text
    wildcard = await client.get(media(release_id), params={"q": "100_"})
    assert f'value="{photo["id"]}"' not in wildcard.text
    found = await client.get(media(release_id), params={"q": "rautatientori 100%"})
    assert found.status_code == 200
    assert f'value="{photo["id"]}"' in found.text
    attached = await client.post(
        f"{media(release_id)}/attach",
        data={"csrf": form_token(found.text), "file_id": str(photo["id"]), "q": "rautatientori"},
    )
    assert attached.status_code == 303, attached.text
    assert [r["id"] for r in await files_of(conn, release_id)] == [photo["id"]]
    assert (await audited(conn, photo["id"]))[-1] == "file.attach"
    page = await client.get(media(release_id))
    assert "Myös 1 muussa tiedotteessa" in page.text
    # Already attached: the search no longer offers it.
    again = await client.get(media(release_id), params={"q": "rautatientori"})
    assert f'name="file_id" value="{photo["id"]}"' not in again.text
    bad = await client.post(
        f"{media(release_id)}/attach", data={"csrf": form_token(found.text), "file_id": "x"}
    )
    assert bad.status_code == 422
    too_long = await client.get(media(release_id), params={"q": "a" * 201})
    assert too_long.status_code == 422


async def test_a_file_is_removed_from_the_release_and_stays_in_the_archive(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    await upload(client, release_id, pdf_bytes(), filename="liite.pdf")
    [row] = await files_of(conn, release_id)
    removed = await client.post(
        f"{media(release_id)}/{row['id']}/remove",
        data={"csrf": await page_token(client, media(release_id))},
    )
    assert removed.status_code == 303
    assert await files_of(conn, release_id) == []
    assert await conn.fetchval("SELECT count(*) FROM files WHERE id = $1", row["id"]) == 1
    assert (await audited(conn, row["id"]))[-1] == "file.detach"
    again = await client.post(
        f"{media(release_id)}/{row['id']}/remove",
        data={"csrf": await page_token(client, media(release_id))},
    )
    assert again.status_code == 404


async def test_a_viewer_sees_the_photos_but_may_not_upload_change_or_remove_them(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    release_id = await draft(client, editor)
    uploaded = await client.post(
        FILES, files={"file": ("kuva.jpg", jpeg_with_gps(), "image/jpeg")}, headers=editor
    )
    file_id = uploaded.json()["id"]
    attach = await client.post(
        f"{FILES}{file_id}/releases", json={"release_id": release_id}, headers=editor
    )
    assert attach.status_code == 200
    await signed_in_as(client, staff, "viewer")
    page = await client.get(media(release_id))
    assert page.status_code == 200
    assert "/thumbnail" in page.text
    assert 'enctype="multipart/form-data"' not in page.text
    token = form_token(page.text)
    before = await conn.fetchval("SELECT count(*) FROM files")
    refused = await upload(client, release_id, jpeg_with_gps(), csrf=token)
    assert refused.status_code == 403
    assert await conn.fetchval("SELECT count(*) FROM files") == before
    for path, data in (
        (f"{media(release_id)}/{file_id}", {"alt_fi": "Vieras"}),
        (f"{media(release_id)}/{file_id}/remove", {}),
        (f"{media(release_id)}/attach", {"file_id": file_id}),
    ):
        answer = await client.post(path, data={"csrf": token, **data})
        assert answer.status_code == 403, path
    assert [r["alt"] for r in await files_of(conn, release_id)] == [{}]


async def test_a_media_form_without_the_sessions_token_is_refused(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    before = await conn.fetchval("SELECT count(*) FROM files")
    for csrf in ("", "forged"):
        refused = await upload(client, release_id, jpeg_with_gps(), csrf=csrf)
        assert refused.status_code == 403
    assert await conn.fetchval("SELECT count(*) FROM files") == before
    await upload(client, release_id, pdf_bytes(), filename="liite.pdf")
    [row] = await files_of(conn, release_id)
    for path, data in (
        (f"{media(release_id)}/{row['id']}", {"alt_fi": "Ilman"}),
        (f"{media(release_id)}/{row['id']}/remove", {}),
        (f"{media(release_id)}/attach", {"file_id": str(row["id"])}),
    ):
        answer = await client.post(path, data=data)
        assert answer.status_code == 403, path
    assert len(await files_of(conn, release_id)) == 1


async def test_thumbnails_need_a_session_and_only_images_have_one(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    await upload(client, release_id, pdf_bytes(), filename="liite.pdf")
    await upload(client, release_id, jpeg_with_gps())
    rows = await files_of(conn, release_id)  # two uploads may share a created_at
    document = next(r for r in rows if r["content_type"] == "application/pdf")
    photo = next(r for r in rows if r["content_type"].startswith("image/"))
    assert (await client.get(f"/console/files/{document['id']}/thumbnail")).status_code == 404
    client.cookies.clear()
    anonymous = await client.get(f"/console/files/{photo['id']}/thumbnail")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/console/sign-in")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b"no multipart"),
        ("multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: form-data; name="),
    ],
)
async def test_a_broken_upload_is_told_in_the_form_never_a_500(
    client: httpx.AsyncClient, staff: StaffFactory, content_type: str, body: bytes
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    answer = await client.post(
        media(release_id), content=body, headers={"content-type": content_type}
    )
    assert answer.status_code in (400, 415)
    assert "Lähetys ei tullut perille kokonaan." in answer.text


async def test_a_photos_name_alt_text_and_credit_with_markup_are_shown_as_text(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    markup = "<img src=x onerror=alert(1)>"
    sent = await upload(
        client, release_id, jpeg_with_gps(), filename="<b>kuva</b>.jpg", alt_fi=markup,
        credit="<script>alert(2)</script>",
    )  # fmt: skip
    assert sent.status_code == 303, sent.text
    for path in (media(release_id), f"/console/releases/{release_id}"):
        page = await client.get(path)
        assert markup not in page.text
        assert "<script>alert(2)</script>" not in page.text
        assert "<b>kuva</b>" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text


# In a real browser: Chromium against press served by uvicorn (tests/web/conftest.py).


@pytest.fixture
async def officer(browser: Browser, server: Server) -> AsyncIterator[Page]:
    """The server's editor signed in to the console in a Finnish browser of their own."""
    context = await browser.new_context(
        base_url=server.url, viewport={"width": WIDE, "height": 900}, locale="fi-FI"
    )
    tab = await context.new_page()
    await browser_sign_in(tab, server, server.editor.id)
    yield tab
    await context.close()


async def browser_sign_in(tab: Page, server: Server, user_id: str) -> None:
    conn = await connect(server.database_url)
    try:
        email = await conn.fetchval("SELECT email FROM staff_users WHERE id = $1", user_id)
    finally:
        await conn.close()
    await tab.goto("/console/sign-in")
    await tab.get_by_label("Sähköpostiosoite").fill(email)
    await tab.get_by_label("Salasana").fill(PASSWORD)
    await tab.get_by_role("button", name="Kirjaudu").click()
    await expect(tab.get_by_role("heading", level=1)).to_have_text("Työpöytä")


async def api_draft(api: httpx.AsyncClient, server: Server, title: str) -> str:
    body = {
        "source": "city-board",
        "topics": ["economy"],
        "translations": {
            "fi": {"title": title, "body": "Teksti."},
            "sv": {"title": title + " (sv)", "body": "Text."},
        },
    }
    created = await api.post("/api/v1/manage/releases/", json=body, headers=server.editor)
    assert created.status_code == 201, created.text
    release_id: str = created.json()["id"]
    return release_id


async def assert_thumbnail_shown(tab: Page, alt: str) -> None:
    """The photo's rendition is on the page, loaded, and named by its alt text."""
    image = tab.locator(f'#photos img[alt="{alt}"]')
    await expect(image).to_be_visible()
    # decode() waits for the image to load, and fails if it cannot be shown.
    width = await image.evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert 0 < width <= 320


async def test_an_officer_writes_uploads_a_photo_through_the_file_picker_describes_it_and_submits(
    officer: Page,
) -> None:
    title = f"Kauppatori {unique_word()}"
    await officer.get_by_role("link", name="Uusi tiedote").first.click()
    await officer.get_by_label("Lähde").select_option(label="Kaupunginhallitus")
    await officer.locator("#title_fi").fill(title)
    await officer.locator("#body_fi").fill("Tori avataan **maanantaina**.")
    await officer.locator("#title_sv").fill(f"Salutorget {unique_word()}")
    await officer.locator("#body_sv").fill("Torget öppnas på måndag.")
    await officer.get_by_role("button", name="Tallenna").click()
    await expect(officer.get_by_role("heading", level=1)).to_have_text(title)
    await officer.get_by_role("link", name="Lisää, kuvaile tai poista kuvia ja asiakirjoja").click()
    await expect(officer.get_by_role("heading", level=1)).to_contain_text("Kuvat ja asiakirjat")
    await assert_accessible(officer)

    await officer.get_by_label("Tiedosto", exact=True).set_input_files(
        {"name": "kauppatori.jpg", "mimeType": "image/jpeg", "buffer": city_photo()}
    )
    await officer.locator("#upload-alt-fi").fill("Kauppatori illalla, kojuja ja ihmisiä")
    await officer.locator("#upload-credit").fill("Kuva: Helsingin kaupunki")
    await officer.get_by_role("button", name="Lähetä", exact=True).click()
    await assert_thumbnail_shown(officer, "Kauppatori illalla, kojuja ja ihmisiä")
    # Swedish is missing: publishing would wait for it, and the page says so.
    await expect(officer.locator("#missing-alt")).to_contain_text("kauppatori.jpg (ruotsi)")
    photo = officer.locator("#photos article").first
    await photo.locator("input[name=alt_sv]").fill("Salutorget på kvällen, stånd och människor")
    await follow(photo.get_by_role("button", name="Tallenna tekstit"))
    await expect(officer.locator("#missing-alt")).to_have_count(0)
    await assert_accessible(officer)
    await assert_no_sideways_scroll(officer)
    await screenshot(officer, "console-media")

    await officer.get_by_role("link", name="Takaisin tiedotteeseen").click()
    await assert_thumbnail_shown_on_release(officer)
    await officer.get_by_role("button", name="Lähetä hyväksyttäväksi").click()
    await expect(officer.locator("#state")).to_have_text("Odottaa hyväksyntää")


async def assert_thumbnail_shown_on_release(tab: Page) -> None:
    image = tab.locator(".media-summary img").first
    await expect(image).to_be_visible()
    assert await image.evaluate("img => img.decode().then(() => img.naturalWidth > 0)")


async def test_a_photo_dropped_on_the_form_is_sent_with_a_progress_bar(
    officer: Page, api: httpx.AsyncClient, server: Server
) -> None:
    release_id = await api_draft(api, server, f"Pudotus {unique_word()}")
    await officer.goto(f"/console/releases/{release_id}/media")
    drop = officer.locator("[data-drop]")
    await expect(drop).to_be_visible()
    await officer.locator("#upload-alt-fi").fill("Satama aamulla")
    await officer.locator("#upload-alt-sv").fill("Hamnen på morgonen")
    # Slow the upload down so that its progress can be seen (about three seconds).
    cdp = await officer.context.new_cdp_session(officer)
    await cdp.send("Network.enable")
    await cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 200_000},
    )
    photo = noisy_photo()
    dropped = await officer.evaluate_handle(
        """(bytes) => {
            const transfer = new DataTransfer();
            const file = new File([new Uint8Array(bytes)], "satama.jpg", {type: "image/jpeg"});
            transfer.items.add(file);
            return transfer;
        }""",
        list(photo),
    )
    await drop.dispatch_event("drop", {"dataTransfer": dropped})
    status = officer.locator("span[data-progress-text]")
    await expect(officer.locator("[data-progress]")).to_be_visible()
    await expect(status).to_have_text(re.compile(r"^Lähetetään: \d+ %$"))
    await assert_thumbnail_shown(officer, "Satama aamulla")
    await cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1,
    })  # fmt: skip


async def test_a_refused_drop_shows_the_message_in_the_form_and_keeps_the_texts(
    officer: Page, api: httpx.AsyncClient, server: Server
) -> None:
    release_id = await api_draft(api, server, f"Hylätty {unique_word()}")
    await officer.goto(f"/console/releases/{release_id}/media")
    await officer.locator("#upload-alt-fi").fill("Ei kuva")
    dropped = await officer.evaluate_handle(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["<svg/>"], "kuva.svg", {type: "image/svg+xml"}));
            return transfer;
        }"""
    )
    await officer.locator("[data-drop]").dispatch_event("drop", {"dataTransfer": dropped})
    await expect(officer.locator("#upload-file-error")).to_contain_text("Tätä tiedostoa ei")
    await expect(officer.locator("#upload-alt-fi")).to_have_value("Ei kuva")
    await assert_accessible(officer)
    await screenshot(officer, "console-media-refused")


async def test_without_javascript_the_upload_is_a_plain_form_and_an_archive_photo_is_reused(
    browser: Browser, api: httpx.AsyncClient, server: Server, officer: Page
) -> None:
    word = unique_word("tori")
    other = await api_draft(api, server, f"Toinen {word}")
    uploaded = await api.post(
        FILES, files={"file": ("tori.jpg", city_photo(hue=60), "image/jpeg")}, headers=server.editor
    )
    file_id = uploaded.json()["id"]
    current = await api.get(f"{FILES}{file_id}", headers=server.editor)
    described = await api.patch(
        f"{FILES}{file_id}",
        json={"alt": {"fi": f"Tori {word}", "sv": f"Torget {word}"}, "credit": "Kaupunki"},
        headers={**server.editor, "If-Match": current.headers["etag"]},
    )
    assert described.status_code == 200, described.text
    await api.post(f"{FILES}{file_id}/releases", json={"release_id": other}, headers=server.editor)
    release_id = await api_draft(api, server, f"Uudelleen {word}")

    context = await browser.new_context(
        base_url=server.url, viewport={"width": WIDE, "height": 900}, locale="fi-FI",
        java_script_enabled=False,
    )  # fmt: skip
    try:
        tab = await context.new_page()
        await browser_sign_in(tab, server, server.editor.id)
        await tab.goto(f"/console/releases/{release_id}/media")
        await expect(tab.locator("[data-drop]")).to_be_hidden()
        await tab.get_by_label("Tiedosto", exact=True).set_input_files(
            {"name": "esite.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        )
        await tab.get_by_role("button", name="Lähetä", exact=True).click()
        await expect(tab.locator("#documents li")).to_contain_text("esite.pdf")
        await expect(tab.locator("#documents li")).to_contain_text("PDF-asiakirja")

        await tab.get_by_label("Sanoja kuvan nimestä").fill(word)
        await tab.get_by_role("button", name="Hae").click()
        found = tab.locator("ul.found li")
        await expect(found).to_have_count(1)
        await screenshot(tab, "console-media-reuse")
        await found.get_by_role("button", name="Lisää tiedotteeseen").click()
        # No script runs in this browser (axe and evaluate among them): the page is read.
        await expect(tab.locator(f'#photos img[alt="Tori {word}"]')).to_be_visible()
        await expect(tab.locator("#photos")).to_contain_text("Myös 1 muussa tiedotteessa")
        await tab.locator("#photos").get_by_role("button", name="Poista tiedotteesta").click()
        await expect(tab.locator("#photos")).to_contain_text("Ei vielä kuvia.")
    finally:
        await context.close()
    # The search results once more, where axe can run.
    await officer.goto(f"/console/releases/{release_id}/media?q={word}#reuse")
    await expect(officer.locator("ul.found li")).to_have_count(1)
    await assert_accessible(officer)


def noisy_photo(side: int = 700) -> bytes:
    """A JPEG of noise, which compresses badly: about 600 kB to send."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
