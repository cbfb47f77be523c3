"""Writing and moving releases in the console: the editor's three languages and previews,
the optimistic lock as what changed, the workflow's forms, the city's clock, the dashboard."""

from __future__ import annotations

import html
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest
from babel.messages.pofile import read_po

from press.errors import InvalidInput
from press.web.console.forms import local_instant
from tests.conftest import StaffFactory, database_state
from tests.web.console import draft, page_token, person, sign_in

WEB = Path(__file__).resolve().parents[2] / "press" / "web"
HELSINKI = ZoneInfo("Europe/Helsinki")


async def signed_in_as(client: httpx.AsyncClient, staff: StaffFactory, role: str) -> dict[str, str]:
    email, headers = await person(staff, role)
    await sign_in(client, email)
    return headers


async def in_state(client: httpx.AsyncClient, headers: dict[str, str], *moves: str) -> str:
    """A draft moved through `moves` by the API, as another officer would."""
    release_id = await draft(client, headers)
    for move, who in moves:
        moved = await client.post(f"/api/v1/manage/releases/{release_id}/{move}", headers=who)
        assert moved.status_code == 200, moved.text
    return release_id


async def approved_by_another(client: httpx.AsyncClient, staff: StaffFactory) -> str:
    """An approved release of an editor signed in to the console, approved by an approver."""
    editor = await signed_in_as(client, staff, "editor")
    _, approver = await person(staff, "approver")
    return await in_state(client, editor, ("submit", editor), ("approve", approver))


def etag_in(page: str) -> str:
    """The version the editor's form was made from, as the browser sends it back."""
    return html.unescape(page.split('name="etag" value="', 1)[1].split('"', 1)[0])


def helsinki_field(moment: datetime) -> str:
    """An instant as a datetime-local field holds it, on Helsinki clocks."""
    return moment.astimezone(HELSINKI).replace(tzinfo=None).isoformat(timespec="seconds")


async def test_an_editor_writes_a_release_in_finnish_and_swedish_with_source_and_topics(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "editor")
    form = await client.get("/console/releases/new")
    assert "Kaupunginhallitus" in form.text
    assert 'value="city-board"' in form.text
    assert "Talous" in form.text
    fields = {
        "csrf": await page_token(client),
        "intent": "save",
        "source": "city-board",
        "topics": ["economy"],
        "title_fi": "Kaupunki avaa uuden kirjaston",
        "body_fi": "Kirjasto avataan **maanantaina**.",
        "title_sv": "Staden öppnar ett nytt bibliotek",
        "body_sv": "Biblioteket öppnas på måndag.",
    }
    created = await client.post("/console/releases/new", data=fields)
    assert created.status_code == 303, created.text
    release_id = created.headers["location"].rsplit("/", 1)[1]
    row = await conn.fetchrow(
        "SELECT state, source, created_by FROM releases WHERE id = $1", release_id
    )
    assert row["state"] == "draft"
    assert row["source"] == "city-board"
    langs = await conn.fetch(
        "SELECT lang FROM release_translations WHERE release_id = $1 ORDER BY lang", release_id
    )
    assert [r["lang"] for r in langs] == ["fi", "sv"]
    page = await client.get(created.headers["location"])
    assert "<strong>maanantaina</strong>" in page.text
    assert "Lähetä hyväksyttäväksi" in page.text


async def test_preview_renders_with_the_public_renderer_and_saves_nothing(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "editor")
    before = await conn.fetchval("SELECT count(*) FROM releases")
    preview = await client.post(
        "/console/releases/new",
        data={
            "csrf": await page_token(client),
            "intent": "preview",
            "source": "city-board",
            "title_fi": "Esikatselu",
            "body_fi": "## Väliotsikko\n\n**Lihava** <script>alert(1)</script>",
        },
    )
    assert preview.status_code == 200
    assert "<h2>Väliotsikko</h2>" in preview.text
    assert "<strong>Lihava</strong>" in preview.text
    assert "<script>alert(1)</script>" not in preview.text
    assert 'value="Esikatselu"' in preview.text
    assert await conn.fetchval("SELECT count(*) FROM releases") == before


async def test_someone_elses_save_in_between_shows_what_changed_and_loses_no_edit(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    release_id = await draft(client, headers)
    editor = await client.get(f"/console/releases/{release_id}/edit")
    stale_etag = etag_in(editor.text)
    current = await client.get(f"/api/v1/manage/releases/{release_id}", headers=headers)
    other = await client.patch(
        f"/api/v1/manage/releases/{release_id}",
        json={"translations": {"fi": {"title": "Toisen otsikko", "body": "Teksti."}}},
        headers={**headers, "If-Match": current.headers["etag"]},
    )
    assert other.status_code == 200
    mine = {
        "csrf": await page_token(client),
        "etag": stale_etag,
        "intent": "save",
        "source": "city-board",
        "topics": ["economy"],
        "title_fi": "Minun otsikkoni",
        "body_fi": "Minun tekstini.",
    }
    conflict = await client.post(f"/console/releases/{release_id}/edit", data=mine)
    assert conflict.status_code == 409
    assert "Joku muu muutti tiedotetta" in conflict.text
    assert "Toisen otsikko" in conflict.text  # what the other saved
    assert 'value="Minun otsikkoni"' in conflict.text  # what I wrote, kept
    assert "Minun tekstini." in conflict.text
    title = "SELECT title FROM release_translations WHERE release_id = $1 AND lang = 'fi'"
    assert await conn.fetchval(title, release_id) == "Toisen otsikko"
    fresh_etag = etag_in(conflict.text)
    assert fresh_etag == other.headers["etag"]
    saved = await client.post(
        f"/console/releases/{release_id}/edit", data={**mine, "etag": fresh_etag}
    )
    assert saved.status_code == 303, saved.text
    assert await conn.fetchval(title, release_id) == "Minun otsikkoni"


def test_a_time_on_the_citys_clocks_names_its_instant() -> None:
    winter = local_instant("2026-01-15T10:00", HELSINKI)
    assert winter.astimezone(UTC) == datetime(2026, 1, 15, 8, 0, tzinfo=UTC)
    summer = local_instant("2026-07-01T10:00:30", HELSINKI)
    assert summer.astimezone(UTC) == datetime(2026, 7, 1, 7, 0, 30, tzinfo=UTC)
    # Either side of the March switch (03:00 becomes 04:00) and of the October one.
    assert local_instant("2026-03-29T02:59", HELSINKI).astimezone(UTC) == datetime(
        2026, 3, 29, 0, 59, tzinfo=UTC
    )
    assert local_instant("2026-03-29T04:00", HELSINKI).astimezone(UTC) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )
    assert local_instant("2026-10-25T04:00", HELSINKI).astimezone(UTC) == datetime(
        2026, 10, 25, 2, 0, tzinfo=UTC
    )
    # 03:30 on the last Sunday of October is passed twice: the first, still summer time.
    twice = local_instant("2026-10-25T03:30", HELSINKI)
    assert twice.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-03-29T03:30", "2026-03-29T03:00:00", "huomenna", ""])
def test_a_time_the_clocks_skip_or_no_time_at_all_is_refused_with_the_reason(text: str) -> None:
    from press.web import i18n

    with i18n.speaking("en", i18n.CONSOLE_DOMAIN), pytest.raises(InvalidInput) as refused:
        local_instant(text, HELSINKI)
    if text.startswith("2026"):
        assert "does not exist in Europe/Helsinki" in refused.value.detail


async def test_scheduling_in_the_summer_time_gap_is_refused_and_explained(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await approved_by_another(client, staff)
    refused = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": await page_token(client), "at": "2026-03-29T03:30", "intent": "schedule"},
    )
    assert refused.status_code == 422
    assert "2026-03-29 03:30" in refused.text
    assert "Europe/Helsinki" in refused.text
    assert 'role="alert"' in refused.text
    assert await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id) == (
        "approved"
    )


@pytest.mark.parametrize("embargo", ["", "on"])
async def test_scheduling_a_few_seconds_in_the_past_is_refused_in_finnish_and_changes_nothing(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection, embargo: str
) -> None:
    release_id = await approved_by_another(client, staff)
    token = await page_token(client)
    before = await database_state(conn)
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    form = {"csrf": token, "at": helsinki_field(now - timedelta(seconds=3)), "intent": "schedule"}
    refused = await client.post(
        f"/console/releases/{release_id}/schedule", data={**form, "embargo": embargo}
    )
    assert refused.status_code == 422
    assert "Annettu aika on mennyt; julkaise heti valitsemalla ”Julkaise nyt”." in refused.text
    assert 'role="alert"' in refused.text
    assert await database_state(conn) == before
    assert (await client.get(f"/api/v1/releases/{release_id}")).status_code == 404


async def test_checking_the_time_shows_the_utc_instant_and_schedules_nothing(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await approved_by_another(client, staff)
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    at = (now + timedelta(days=1)).replace(microsecond=0)
    checked = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": await page_token(client), "at": helsinki_field(at), "intent": "check"},
    )
    assert checked.status_code == 200
    assert f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" in checked.text
    assert f'value="{helsinki_field(at)}"' in checked.text
    assert await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id) == (
        "approved"
    )


async def test_checking_a_time_the_clocks_show_twice_says_which_of_the_two_it_is(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await approved_by_another(client, staff)
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    # 03:30 on the last Sunday of next October: summer time ends at 04:00, and the clocks
    # show 03:00-03:59 twice (the first in summer time, UTC+3).
    last_day = datetime(now.year + 1, 10, 31, tzinfo=UTC)
    sunday = last_day - timedelta(days=(last_day.weekday() + 1) % 7)
    wall = sunday.replace(hour=3, minute=30, tzinfo=None).isoformat(timespec="minutes")
    token = await page_token(client)
    checked = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": token, "at": wall, "intent": "check"},
    )
    assert checked.status_code == 200
    assert f"{sunday:%Y-%m-%d} 00:30:00 UTC" in checked.text
    assert "Kellot näyttävät tämän ajan kahdesti sinä yönä" in checked.text
    plain = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": token, "at": wall.replace("T03:30", "T05:30"), "intent": "check"},
    )
    assert f"{sunday:%Y-%m-%d} 03:30:00 UTC" in plain.text
    assert "kahdesti" not in plain.text


async def test_moving_an_embargo_earlier_asks_for_a_reason_the_domain_decides(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await signed_in_as(client, staff, "approver")
    _, writer = await person(staff, "editor")
    release_id = await in_state(client, writer, ("submit", writer), ("approve", editor))
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    token = await page_token(client)
    later, earlier = now + timedelta(hours=2), now + timedelta(hours=1)
    scheduled = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": token, "at": helsinki_field(later), "embargo": "on", "intent": "schedule"},
    )
    assert scheduled.status_code == 303
    row = await conn.fetchrow("SELECT state, embargo FROM releases WHERE id = $1", release_id)
    assert (row["state"], row["embargo"]) == ("scheduled", True)
    moved = {"csrf": token, "at": helsinki_field(earlier), "embargo": "on", "intent": "schedule"}
    refused = await client.post(f"/console/releases/{release_id}/schedule", data=moved)
    assert refused.status_code == 422
    assert "reason" in refused.text
    with_reason = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={**moved, "reason": "Hallitus julkisti päätöksen jo."},
    )
    assert with_reason.status_code == 303
    publish_at = await conn.fetchval("SELECT publish_at FROM releases WHERE id = $1", release_id)
    assert publish_at == earlier.replace(microsecond=0)


async def test_an_approver_sends_a_release_back_with_a_comment_and_withdraws_with_a_reason(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    await signed_in_as(client, staff, "approver")
    _, writer = await person(staff, "editor")
    release_id = await in_state(client, writer, ("submit", writer))
    token = await page_token(client)
    returned = await client.post(
        f"/console/releases/{release_id}/move",
        data={"csrf": token, "action": "return", "reason": "Lisää lähde."},
    )
    assert returned.status_code == 303
    assert await conn.fetchval("SELECT state FROM releases WHERE id = $1", release_id) == "draft"
    audit = await conn.fetchval(
        "SELECT changes->>'reason' FROM audit_log WHERE entity_id = $1 AND action = "
        "'release.return'",
        release_id,
    )
    assert audit == "Lisää lähde."
    published = await in_state(client, writer, ("submit", writer))
    await client.post(
        f"/console/releases/{published}/move", data={"csrf": token, "action": "approve"}
    )
    now_published = await client.post(
        f"/console/releases/{published}/schedule", data={"csrf": token, "intent": "now"}
    )
    assert now_published.status_code == 303
    no_reason = await client.post(f"/console/releases/{published}/withdraw", data={"csrf": token})
    assert no_reason.status_code == 422
    withdrawn = await client.post(
        f"/console/releases/{published}/withdraw",
        data={"csrf": token, "reason": "Virheellinen tieto."},
    )
    assert withdrawn.status_code == 303
    state = await conn.fetchrow(
        "SELECT state, withdrawal_reason FROM releases WHERE id = $1", published
    )
    assert (state["state"], state["withdrawal_reason"]) == ("withdrawn", "Virheellinen tieto.")
    dashboard = await client.get("/console/")
    assert "Virheellinen tieto." in dashboard.text


async def test_dashboard_lists_my_drafts_my_approvals_the_schedule_and_the_lift_alarm(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    approver = await signed_in_as(client, staff, "approver")
    _, writer = await person(staff, "editor")
    mine = await draft(client, approver)
    waiting = await in_state(client, writer, ("submit", writer))
    scheduled = await in_state(client, writer, ("submit", writer), ("approve", approver))
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    lift = (now + timedelta(hours=3)).replace(microsecond=0)
    moved = await client.post(
        f"/api/v1/manage/releases/{scheduled}/publish",
        json={"at": lift.isoformat(), "embargo": True},
        headers=writer,
    )
    assert moved.status_code == 200
    page = await client.get("/console/")
    assert page.status_code == 200
    drafts, rest = page.text.split('id="drafts-heading"', 1)[1].split('id="scheduled-heading"', 1)
    assert f"/console/releases/{mine}" in drafts
    before_drafts = page.text.split('id="drafts-heading"', 1)[0]
    assert f"/console/releases/{waiting}" in before_drafts
    assert f"/console/releases/{scheduled}" in rest
    assert f'datetime="{lift.isoformat()}"' in rest or lift.isoformat() in rest
    assert "klo" in rest  # on Helsinki clocks, as Finnish writes it
    assert 'data-countdown="' in rest
    assert 'role="alert"' not in page.text
    # A release past its time that the lift loop has not recorded: the /readyz alarm.
    await conn.execute(
        "UPDATE releases SET publish_at = statement_timestamp() - interval '1 minute' "
        "WHERE id = $1",
        scheduled,
    )
    alarmed = await client.get("/console/")
    assert 'role="alert"' in alarmed.text
    assert "Julkaisu on myöhässä" in alarmed.text


def test_every_message_of_the_console_is_translated_in_finnish_and_swedish(
    tmp_path: Path,
) -> None:
    template = tmp_path / "console.pot"
    config = str(WEB / "locales" / "console.cfg")
    extract = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", config]
    extract += ["-k", "gettext_noop", "-o", str(template), str(WEB)]
    subprocess.run(extract, check=True, capture_output=True)
    with template.open("rb") as pot:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    assert len(wanted) > 60
    for lang in ("fi", "sv", "en"):
        with (WEB / "locales" / lang / "LC_MESSAGES" / "console.po").open("rb") as po:
            catalog = read_po(po)
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
        assert wanted <= known, f"{lang}: not in the catalog: {sorted(wanted - known)}"
        if lang != "en":
            untranslated = sorted(
                str(m.id)
                for m in catalog
                if m.id and not any(m.string if isinstance(m.string, tuple) else [m.string])
            )
            assert not untranslated, f"{lang}: untranslated: {untranslated}"


async def test_a_title_with_markup_is_shown_as_text_everywhere_in_the_console(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    headers = await signed_in_as(client, staff, "editor")
    hostile = '<img src=x onerror="alert(1)">Otsikko'
    created = await client.post(
        "/api/v1/manage/releases/",
        json={"source": "city-board", "translations": {"fi": {"title": hostile}}},
        headers=headers,
    )
    release_id = created.json()["id"]
    for path in (
        "/console/",
        f"/console/releases/{release_id}",
        f"/console/releases/{release_id}/edit",
    ):
        page = await client.get(path)
        assert "<img src=x" not in page.text, path
        assert "&lt;img src=x" in page.text, path


async def test_a_preview_needs_a_session_and_is_never_stored(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    fields = {"intent": "preview", "source": "city-board", "title_fi": "Embargo", "body_fi": "x"}
    anonymous = await client.post("/console/releases/new", data=fields)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/console/sign-in")
    assert "Embargo" not in anonymous.text
    await signed_in_as(client, staff, "editor")
    preview = await client.post(
        "/console/releases/new", data={**fields, "csrf": await page_token(client)}
    )
    assert preview.status_code == 200
    assert preview.headers["cache-control"] == "private, no-store"
    assert "Cookie" in preview.headers["vary"]


async def test_the_embargo_of_a_scheduled_release_is_switched_from_its_page(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    release_id = await approved_by_another(client, staff)
    now: datetime = await conn.fetchval("SELECT statement_timestamp()")
    lift = (now + timedelta(hours=5)).replace(microsecond=0)
    token = await page_token(client)
    scheduled = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": token, "at": helsinki_field(lift), "embargo": "on", "intent": "schedule"},
    )
    assert scheduled.status_code == 303
    page = await client.get(f"/console/releases/{release_id}")
    assert f'value="{helsinki_field(lift)}"' in page.text
    assert 'name="embargo" checked' in page.text
    switched = await client.post(
        f"/console/releases/{release_id}/schedule",
        data={"csrf": token, "at": helsinki_field(lift), "intent": "schedule"},
    )
    assert switched.status_code == 303
    row = await conn.fetchrow("SELECT publish_at, embargo FROM releases WHERE id = $1", release_id)
    assert (row["publish_at"], row["embargo"]) == (lift, False)
