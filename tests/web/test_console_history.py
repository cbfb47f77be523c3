"""A release's history in the console: its versions listed, any two compared field by field
with the words deleted and inserted marked in <del> and <ins> (and named in words)."""

from __future__ import annotations

import re

import asyncpg
import httpx
import pytest

from press.web.console.compare import Piece, comparable, compare, with_change, word_diff
from tests.conftest import StaffFactory
from tests.web.console import RELEASE, page_token, person, sign_in

FIRST = "Kaupunginhallitus esittää uutta kirjastoa Kalasatamaan."
SECOND = "Kaupunginhallitus esittää kahta uutta kirjastoa Kalasatamaan ja Jätkäsaareen."


def test_words_deleted_and_inserted_are_told_apart_from_what_stayed() -> None:
    pieces = word_diff("Kirjasto avataan maanantaina.", "Kirjasto avataan tiistaina klo 10.")
    assert pieces == [
        Piece("equal", "Kirjasto avataan "),
        Piece("delete", "maanantaina"),
        Piece("insert", "tiistaina klo 10"),
        Piece("equal", "."),
    ]
    assert word_diff("sama", "sama") == [Piece("equal", "sama")]
    assert word_diff("", "uusi") == [Piece("insert", "uusi")]


def test_a_pending_change_is_compared_as_the_release_it_would_make() -> None:
    live = {
        "source": "city-board",
        "topics": ["economy"],
        "translations": {"fi": {"title": "Otsikko", "lead": "", "body": "Teksti."}},
        "contacts": [],
        "decision": None,
        "embargo_terms": "",
    }
    change = {"translations": {"fi": {"title": "Uusi otsikko", "body": "Teksti."}, "sv": None}}
    names = {"sources": {"city-board": "Kaupunginhallitus"}}
    fields = compare(comparable(live, names), comparable(with_change(live, change), names))
    assert [(f.name, f.lang) for f in fields] == [("title", "fi")]
    assert fields[0].pieces == [Piece("delete", "Otsikko"), Piece("insert", "Uusi otsikko")]


async def published_with_a_change(
    client: httpx.AsyncClient, staff: StaffFactory, first: str = FIRST, second: str = SECOND
) -> tuple[str, dict[str, str], dict[str, str]]:
    """A release published with FIRST as its body, then edited to SECOND (held, then approved
    by another approver): two versions kept. The editor's and the approver's API headers."""
    _, editor = await person(staff, "editor")
    _, approver = await person(staff, "approver")
    body = {**RELEASE, "translations": {"fi": {"title": "Kirjasto", "body": first}}}
    created = await client.post("/api/v1/manage/releases/", json=body, headers=editor)
    release_id: str = created.json()["id"]
    for move, who in (("submit", editor), ("approve", approver), ("publish", editor)):
        moved = await client.post(f"/api/v1/manage/releases/{release_id}/{move}", headers=who)
        assert moved.status_code == 200, moved.text
    etag = (await client.get(f"/api/v1/manage/releases/{release_id}", headers=editor)).headers[
        "etag"
    ]
    held = await client.patch(
        f"/api/v1/manage/releases/{release_id}",
        json={"translations": {"fi": {"title": "Kirjasto", "body": second}}},
        headers={**editor, "If-Match": etag},
    )
    assert held.status_code == 202, held.text
    approved = await client.post(
        f"/api/v1/manage/releases/{release_id}/approve-change", headers=approver
    )
    assert approved.status_code == 200, approved.text
    return release_id, editor, approver


async def test_two_versions_compared_show_the_inserted_and_deleted_words(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    release_id, _, _ = await published_with_a_change(client, staff)
    email, _ = await person(staff, "viewer")
    await sign_in(client, email)
    release_page = await client.get(f"/console/releases/{release_id}")
    assert f"/console/releases/{release_id}/history/" in release_page.text
    history = await client.get(f"/console/releases/{release_id}/history/")
    assert history.status_code == 200
    assert history.headers["cache-control"] == "private, no-store"
    versions = re.findall(r'<option value="(\d+)"', history.text)
    assert len(set(versions)) == 2
    old, new = sorted(set(versions), key=int)
    # By default the newest two: the body as published first, and as it is now.
    diff = history.text.split('id="diff-heading"', 1)[1]
    assert "<ins>" in diff
    assert "[lisätty:" in diff  # named in words, not only by colour or a line
    inserted = re.findall(r"<ins>.*?</span>(.*?)<span", diff)
    deleted = re.findall(r"<del>.*?</span>(.*?)<span", diff)
    assert any("kahta" in text for text in inserted)
    assert any("Jätkäsaareen" in text for text in inserted)
    assert "Kalasatamaan" not in "".join(inserted + deleted)  # the same in both
    assert "Teksti (suomi)" in diff
    chosen = await client.get(
        f"/console/releases/{release_id}/history/", params={"from": new, "to": old}
    )
    assert chosen.status_code == 200
    assert "kahta" in chosen.text.split('id="diff-heading"', 1)[1]
    same = await client.get(
        f"/console/releases/{release_id}/history/", params={"from": new, "to": new}
    )
    assert "Näiden kahden version sisältö on sama." in same.text


@pytest.mark.parametrize(
    "query", [{"from": "x"}, {"from": "999999"}, {"to": "-1"}, {"from": "1e9999"}]
)
async def test_a_version_not_listed_is_refused_on_the_page_not_a_server_error(
    client: httpx.AsyncClient, staff: StaffFactory, query: dict[str, str]
) -> None:
    release_id, _, _ = await published_with_a_change(client, staff)
    email, _ = await person(staff, "viewer")
    await sign_in(client, email)
    refused = await client.get(f"/console/releases/{release_id}/history/", params=query)
    assert refused.status_code == 422
    assert 'role="alert"' in refused.text
    assert "Valitse kaksi luettelon versioista." in refused.text


async def test_the_history_needs_a_session_and_an_unknown_release_is_not_found(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id, _, _ = await published_with_a_change(client, staff)
    anonymous = await client.get(f"/console/releases/{release_id}/history/")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/console/sign-in")
    email, _ = await person(staff, "viewer")
    await sign_in(client, email)
    unknown = await client.get("/console/releases/00000000-0000-4000-8000-000000000000/history/")
    assert unknown.status_code == 404
    assert await page_token(client)


async def test_markup_in_a_compared_text_is_shown_as_text(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    hostile = '<img src=x onerror="alert(1)"> ja <script>alert(2)</script>'
    release_id, _, _ = await published_with_a_change(client, staff, "Teksti.", hostile)
    email, _ = await person(staff, "viewer")
    await sign_in(client, email)
    history = await client.get(f"/console/releases/{release_id}/history/")
    assert "<img src=x" not in history.text
    assert "<script>alert(2)" not in history.text
    assert "&lt;img src=x" in history.text
