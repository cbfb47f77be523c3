"""Full-text search of the archive: ranked, highlighted, inflection-aware, never leaking."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest

from tests.archive.access import attach, set_metadata
from tests.archive.samples import pdf_bytes, upload
from tests.conftest import StaffFactory
from tests.releases.helpers import act, approved, corrected, published

LIST = "/api/v1/releases"


def title_of(body: str) -> str:
    """The body's first sentence on one line, as a title must be."""
    return " ".join(body.split(".")[0].split())[:80]


def texts(fi: str, sv: str = "Ett pressmeddelande", en: str = "A press release") -> dict[str, Any]:
    return {
        "fi": {"title": title_of(fi), "lead": "", "body": fi},
        "sv": {"title": title_of(sv), "lead": "", "body": sv},
        "en": {"title": title_of(en), "lead": "", "body": en},
    }


async def release_with(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str], **lang_texts: str
) -> str:
    release = await published(client, editor, approver, translations=texts(**lang_texts))
    return str(release["id"])


async def search(client: httpx.AsyncClient, q: str, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(LIST, params={"q": q, **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def found(client: httpx.AsyncClient, q: str, **params: Any) -> list[str]:
    return [item["id"] for item in await search(client, q, **params)]


async def every_page(client: httpx.AsyncClient, q: str) -> list[str]:
    """The ids of every hit, following `next` links two hits at a time."""
    seen: list[str] = []
    url: str | None = f"{LIST}?q={q}&limit=2"
    while url:
        page = (await client.get(url.replace("http://press.test", ""))).json()
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
    return seen


async def test_finnish_stemmer_alone_does_not_relate_paatos_to_its_inflections(
    conn: asyncpg.Connection,
) -> None:
    # The reason for press/archive/finnish.py: PostgreSQL's snowball stemmer misses these.
    for form in ("päätöksen", "päätökset"):
        matches = await conn.fetchval(
            "SELECT to_tsvector('finnish', $1) @@ plainto_tsquery('finnish', 'päätös')", form
        )
        assert matches is False


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("päätös", "Valtuusto teki päätöksen uudesta koulusta."),
        ("päätös", "Hallituksen päätökset julkaistaan huomenna."),
        ("päätös", "Päätöksestä voi valittaa."),
        ("kaupunki", "Kaupungin talous on tasapainossa."),
        ("kokous", "Kokouksessa käsiteltiin kaavaa."),
        ("sopimus", "Sopimukset allekirjoitettiin."),
        ("talousarv", "Talousarvion käsittely alkaa."),
    ],
)
async def test_finnish_base_form_finds_inflected_forms(
    client: httpx.AsyncClient, staff: StaffFactory, query: str, text: str
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    match = await release_with(client, editor, approver, fi=text)
    await release_with(client, editor, approver, fi="Uimahallin aukioloajat muuttuvat.")
    assert await found(client, query) == [match]


@pytest.mark.parametrize(
    ("query", "lang_texts"),
    [
        ("budget", {"fi": "Talousarvio.", "sv": "Stadsstyrelsen godkände budgeten."}),
        ("beslut", {"fi": "Päätös.", "sv": "Besluten fattades i går."}),
        ("approve", {"fi": "Hyväksyttiin.", "en": "The board approved the plan."}),
        ("schools", {"fi": "Koulu.", "en": "A new school opens."}),
        ('"city hall"', {"fi": "Talo.", "en": "The city hall is renovated."}),
    ],
)
async def test_swedish_and_english_use_their_own_stemming(
    client: httpx.AsyncClient, staff: StaffFactory, query: str, lang_texts: dict[str, str]
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    match = await release_with(client, editor, approver, **lang_texts)
    await release_with(client, editor, approver, fi="Muuta.", sv="Annat.", en="The hall of a city.")
    assert await found(client, query) == [match]


async def test_title_match_ranks_above_body_match_and_snippet_is_marked(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    in_body = await release_with(
        client, editor, approver, fi="Hallitus kokoontui. Esityslistalla oli myös raitiotie."
    )
    in_title = await release_with(
        client, editor, approver, fi="Raitiotie etenee. Raitiotie valmis."
    )
    items = await search(client, "raitiotie", lang="fi")
    assert [item["id"] for item in items] == [in_title, in_body]
    assert "<mark>Raitiotie</mark>" in items[0]["snippet"]
    plain = (await client.get(LIST)).json()["items"]
    assert all("snippet" not in item for item in plain)


async def test_snippet_is_escaped_html(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await release_with(
        client, editor, approver, fi="Kirjasto <img src=x onerror=alert(1)> avataan."
    )
    [item] = await search(client, "kirjasto")
    assert "<img" not in item["snippet"]
    assert "<mark>Kirjasto</mark>" in item["snippet"]


@pytest.mark.parametrize(
    ("lead", "body", "text"),
    [
        # Links and images become their text; the address is not shown.
        (
            "",
            "Katso [päätös](https://example.org/p?id=1) ja ![kuva](k.jpg)",
            "Katso päätös ja kuva",
        ),
        ("", "[Monen\nrivin](https://example.org) linkki", "Monen rivin linkki"),
        ("**Lihava**, __myös__ ja `koodi`", "", "Lihava, myös ja koodi"),
        # Heading and quote marks at the start of a line go, nested ones too...
        (
            "",
            "## Otsikko\n> lainaus\n> > sisempi\n   # sisennetty",
            "Otsikko lainaus sisempi sisennetty",
        ),
        # ...but the same characters inside a line are text.
        ("Aloite #5: a > b", "", "Aloite #5: a > b"),
        # Markup is left for the API to escape.
        ("", '<img src=x onerror="alert(1)"> &', '<img src=x onerror="alert(1)"> &'),
        # Every run of spaces, line breaks or control characters is one space: no text can
        # hold the marks ts_headline puts around a match. A no-break space is text.
        ("  rivit\n\n", "  ja \t välit\u2028ovat \x02yksi\x03  ", "rivit ja välit ovat yksi"),
        ("", "1\u00a0050 euroa", "1\u00a0050 euroa"),
        ("", "", ""),
    ],
)
async def test_snippet_text_is_the_lead_and_body_without_markdown(
    conn: asyncpg.Connection, lead: str, body: str, text: str
) -> None:
    assert await conn.fetchval("SELECT release_snippet_text($1, $2)", lead, body) == text


@pytest.mark.parametrize(
    ("headline", "html"),
    [
        # A match, between the markers ts_headline was asked to put around it.
        ("Uusi \x02kirjasto\x03 avataan", "Uusi <mark>kirjasto</mark> avataan"),
        ("Aloite #5: a > b", "Aloite #5: a &gt; b"),
        # Whatever the release says is text, never markup.
        (
            '<img src=x onerror="alert(1)"> & \x02<b>\x03',
            '&lt;img src=x onerror="alert(1)"&gt; &amp; <mark>&lt;b&gt;</mark>',
        ),
        ("", ""),
    ],
)
async def test_snippet_html_escapes_the_text_and_marks_the_matches(
    conn: asyncpg.Connection, headline: str, html: str
) -> None:
    assert await conn.fetchval("SELECT snippet_html($1)", headline) == html


async def test_snippet_shows_text_not_markdown_and_follows_edits(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    body = "## Kirjasto\n\nUusi **kirjasto** avataan [keskustaan](https://example.org/k).\n"
    release_id = await release_with(client, editor, approver, fi=body)
    [item] = await search(client, "kirjasto", lang="fi")
    # (ts_headline ends a snippet at a word.)
    assert item["snippet"] == "<mark>Kirjasto</mark> Uusi <mark>kirjasto</mark> avataan keskustaan"

    fi = {"title": "Kirjasto", "lead": "", "body": "Kirjasto avataan > 2027 & myöhemmin."}
    changes = {"translations": {"fi": fi}}
    correction = {"note": "Myöhemmin.", "changes": changes}
    await corrected(client, approver, await staff("approver"), release_id, correction)
    [item] = await search(client, "kirjasto", lang="fi")
    assert item["snippet"] == "<mark>Kirjasto</mark> avataan &gt; 2027 &amp; myöhemmin"


async def test_search_finds_file_titles_and_captions(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver)
    document = await upload(client, editor, pdf_bytes(), "liite.pdf")
    await set_metadata(
        client, editor, document["id"], {"caption": {"fi": "Ratikkavarikon asemakaava"}}
    )
    await attach(client, editor, document["id"], release["id"])
    await act(client, editor, release["id"], "publish", {})
    assert await found(client, "ratikkavarikon") == [release["id"]]


async def test_cursor_pages_through_equal_ranks_without_gaps(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    ids = {await release_with(client, editor, approver, fi="Satama laajenee.") for _ in range(5)}
    assert sorted(await every_page(client, "satama")) == sorted(ids)


async def test_filters_apply_to_search(client: httpx.AsyncClient, staff: StaffFactory) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    board = await release_with(client, editor, approver, fi="Pyöräilyväylä.", sv="Cykelbana.")
    council = await published(
        client, editor, approver, source="city-council", translations=texts("Pyöräilyväylä.")
    )
    assert set(await found(client, "pyöräilyväylä")) == {board, council["id"]}
    assert await found(client, "pyöräilyväylä", source="city-board") == [board]
    assert await found(client, "cykelbana", lang="sv") == [board]
    assert await found(client, "cykelbana", lang="fi") == []
    assert set(await found(client, "pyöräilyväylä", topic="economy")) == {board, council["id"]}
    assert await found(client, "pyöräilyväylä", topic="housing") == []
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert await found(client, "pyöräilyväylä", since=tomorrow) == []


async def test_embargoed_release_is_never_found_nor_counted(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await release_with(client, editor, approver, fi="Tavallinen tiedote.")
    nonsense = await client.get(LIST, params={"q": "xqzzyv"})
    counts_before = await client.get("/api/v1/archive")

    secret = await approved(client, editor, approver, translations=texts("Salaisuushanke alkaa."))
    document = await upload(client, editor, pdf_bytes(), "liite.pdf")
    await set_metadata(
        client, editor, document["id"], {"title": {"fi": "Salaisuushankkeen kartta"}}
    )
    await attach(client, editor, document["id"], secret["id"])
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await act(client, editor, secret["id"], "publish", {"at": later, "embargo": True})

    for query in ("salaisuushanke", "salaisuus", "salaisuushankkeen kartta"):
        response = await client.get(LIST, params={"q": query})
        assert response.json() == nonsense.json()
    counts_after = await client.get("/api/v1/archive")
    assert counts_after.content == counts_before.content
    assert counts_after.headers["etag"] == counts_before.headers["etag"]


async def test_archive_counts_public_releases_by_month(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    ids = [await release_with(client, editor, approver, fi=f"Tiedote {n}.") for n in range(3)]
    council = await published(client, editor, approver, source="city-council")
    # Back-date two releases (test data; the visibility clock is not touched).
    await conn.execute(
        "UPDATE releases SET publish_at = '2025-12-31 22:30+00' WHERE id = $1", ids[0]
    )  # 00:30 on 1 January 2026 in Helsinki
    await conn.execute(
        "UPDATE releases SET publish_at = '2024-03-10 10:00+00' WHERE id = $1", ids[1]
    )
    here = datetime.now(ZoneInfo("Europe/Helsinki"))
    body = (await client.get("/api/v1/archive")).json()
    assert body == {
        "items": [
            {"year": here.year, "month": here.month, "count": 2},
            {"year": 2026, "month": 1, "count": 1},
            {"year": 2024, "month": 3, "count": 1},
        ],
        "total": 4,
    }
    council_only = (await client.get("/api/v1/archive", params={"source": "city-council"})).json()
    assert council_only["items"] == [{"year": here.year, "month": here.month, "count": 1}]
    assert council["id"] not in ids


async def test_scheduled_release_is_found_and_counted_from_its_lift_instant(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await approved(client, editor, approver, translations=texts("Kirjastoauto uusitaan."))
    at = datetime.now(UTC) + timedelta(seconds=1.5)
    await act(client, editor, release["id"], "publish", {"at": at.isoformat(), "embargo": True})
    assert await found(client, "kirjastoauto") == []
    assert (await client.get("/api/v1/archive")).json()["total"] == 0
    await asyncio.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds()) + 0.2)
    assert await found(client, "kirjastoauto") == [release["id"]]
    assert (await client.get("/api/v1/archive")).json()["total"] == 1


@pytest.fixture(params=["newest rows", "index count"])
def common_word_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Make any word with more than two matches "common": ranked among the newest three.
    Found so either by a look at the newest translations or, when that look is too short to
    tell, by counting through the full-text index."""
    from press.archive import repository

    monkeypatch.setattr(repository, "EVERY_MATCH_LIMIT", 2)
    monkeypatch.setattr(repository, "SEARCH_CANDIDATES", 3)
    monkeypatch.setattr(repository, "RECENT_MATCHES", 3)
    if request.param == "index count":
        monkeypatch.setattr(repository, "RECENT_PROBE", 1)
    return 3


async def test_common_word_ranks_the_newest_matches_and_never_an_embargoed_one(
    client: httpx.AsyncClient, staff: StaffFactory, common_word_mode: int
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    oldest = await release_with(client, editor, approver, fi="Satama laajenee.")
    newer = [
        await release_with(client, editor, approver, fi="Satama. Satama kasvaa.")
        for _ in range(common_word_mode)
    ]
    secret = await approved(client, editor, approver, translations=texts("Satama myydään."))
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    await act(client, editor, secret["id"], "publish", {"at": later, "embargo": True})

    assert sorted(await found(client, "satama")) == sorted(newer)
    # Older matches are reached by narrowing the time range.
    first_newer = (await client.get(f"{LIST}/{newer[0]}")).json()["published_at"]
    assert await found(client, "satama", until=first_newer) == [oldest]


async def test_common_word_search_applies_filters_and_pages(
    client: httpx.AsyncClient, staff: StaffFactory, common_word_mode: int
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    board = [
        await release_with(client, editor, approver, fi="Pyöräilyväylä.", sv="Cykelbana.")
        for _ in range(2)
    ]
    council = await published(
        client, editor, approver, source="city-council", translations=texts("Pyöräilyväylä.")
    )
    assert sorted(await found(client, "pyöräilyväylä", source="city-board")) == sorted(board)
    assert await found(client, "pyöräilyväylä", source="city-council") == [council["id"]]
    assert sorted(await found(client, "cykelbana", lang="sv")) == sorted(board)
    assert await found(client, "pyöräilyväylä", topic="housing") == []
    assert sorted(await every_page(client, "pyöräilyväylä")) == sorted([*board, council["id"]])


async def test_a_correction_is_found_by_its_new_words_only(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    release = await release_with(client, editor, approver, fi="Uimaranta avataan kesäkuussa.")
    assert await found(client, "uimaranta") == [release]
    await corrected(
        client,
        editor,
        approver,
        release,
        {
            "note": "Korjattu paikka.",
            "changes": {"translations": {"fi": {"title": "Maauimala", "body": "Maauimala."}}},
        },
    )
    assert await found(client, "uimaranta") == []
    assert await found(client, "maauimala") == [release]


async def test_snippet_comes_from_the_language_the_hit_is_shown_in(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor, approver = await staff("editor"), await staff("approver")
    await release_with(
        client, editor, approver, fi="Raitiovaunu kulkee.", sv="Spårvagnen går.", en="Tram."
    )
    [item] = await search(client, "spårvagnen", lang="sv")
    assert item["lang"] == "sv"
    assert "<mark>Spårvagnen</mark>" in item["snippet"]
    response = await client.get(LIST, params={"q": "spårvagnen"}, headers={"Accept-Language": "sv"})
    [item] = response.json()["items"]
    assert item["lang"] == "sv"
    assert "<mark>Spårvagnen</mark>" in item["snippet"]


async def test_a_search_page_is_exactly_the_public_page_shape(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    """Items are encoded once and the snippet added to the bytes: the page must be what
    encoding the schema's structs would give, byte for byte, and decode strictly."""
    import msgspec

    from press.releases.schemas import PublicReleasePage

    editor, approver = await staff("editor"), await staff("approver")
    for n in range(3):
        # Quotes, a backslash and letters beyond ASCII: the snippet comes encoded from the
        # database, and must be encoded as msgspec would encode it.
        text = f'Raitiotie {n} 🚋 "Raitiotie" etenee \\ aikataulussa \u2013 äö €.'
        await release_with(client, editor, approver, fi=text)
    for params, language in (({"limit": 2}, "fi"), ({"lang": "fi"}, "fi"), ({}, "sv")):
        body = (
            await client.get(
                LIST, params={"q": "raitiotie", **params}, headers={"Accept-Language": language}
            )
        ).content
        page = msgspec.json.decode(body, type=PublicReleasePage, strict=True)
        assert page.items
        snippets = [item.snippet or "" for item in page.items]  # type: ignore[union-attr]
        assert all(snippets)
        if language == "fi":
            assert all('"' in s and "\\" in s and "🚋" in s for s in snippets), snippets
        assert msgspec.json.encode(page) == body
