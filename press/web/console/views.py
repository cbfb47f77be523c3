"""Releases as the console shows them: titles in the user's language, states named, times on
the city's clocks, and the lists of the dashboard."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg

from press.db import queries_beside
from press.embargo.health import lift_health
from press.events.schemas import Event
from press.releases import actions, repository
from press.releases.schemas import LANGS, Release
from press.settings import Settings
from press.staff.schemas import StaffUser
from press.web import i18n
from press.web.console.layout import when

Q = queries_beside(__file__)
LIST_LIMIT = 200
STATE_NAMES = {
    "draft": i18n.gettext_noop("Draft"),
    "in_review": i18n.gettext_noop("Waiting for approval"),
    "approved": i18n.gettext_noop("Approved"),
    "scheduled": i18n.gettext_noop("Scheduled"),
    "published": i18n.gettext_noop("Published"),
    "withdrawn": i18n.gettext_noop("Withdrawn"),
}
LANGUAGE_LABELS = {
    "fi": i18n.gettext_noop("Finnish"),
    "sv": i18n.gettext_noop("Swedish"),
    "en": i18n.gettext_noop("English"),
}


def title_of(item: Release | Event, lang: str) -> str:
    """A release's or event's title in `lang`, else in the first language it has."""
    for code in (lang, *LANGS):
        if code in item.translations:
            return item.translations[code].title
    return ""


def utc_text(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def summary(release: Release, lang: str, settings: Settings) -> dict[str, Any]:
    """A release as a line of a list."""
    return {
        "id": release.id,
        "href": f"/console/releases/{release.id}",
        "title": title_of(release, lang),
        "state": i18n.gettext(STATE_NAMES[release.state]),
        "publish_at": release.publish_at,
        "publish_text": when(release.publish_at, lang, settings),
        "publish_iso": release.publish_at.isoformat() if release.publish_at else "",
        "embargo": release.embargo,
        "updated_text": when(release.updated_at, lang, settings),
        "withdrawal_reason": release.withdrawal_reason,
        "corrections": release.corrections,
    }


async def database_now(conn: asyncpg.Connection) -> datetime:
    now: datetime = await conn.fetchval(Q["database_now"])
    return now


async def _in_state(conn: asyncpg.Connection, state: str, limit: int = LIST_LIMIT) -> list[Release]:
    releases, _ = await repository.list_releases(conn, state, None, None, limit)
    return releases


async def dashboard(
    conn: asyncpg.Connection, user: StaffUser, lang: str, settings: Settings
) -> dict[str, Any]:
    """What the dashboard lists for `user`: their drafts, what waits for their approval,
    what is scheduled, the lift alarm, and recent corrections and withdrawals."""
    now = await database_now(conn)
    drafts = [r for r in await _in_state(conn, "draft") if r.created_by == user.id]
    waiting = [
        r
        for r in await _in_state(conn, "in_review")
        if "approve" in actions.with_actions(r, now, user).allowed_actions
    ]
    # Changes of scheduled and published releases wait for an approver too (four eyes).
    changed = [
        r
        for state in ("scheduled", "published")
        for r in await _in_state(conn, state)
        if r.pending_change
        and "approve-change" in actions.with_actions(r, now, user).allowed_actions
    ]
    scheduled = sorted(
        (r for r in await _in_state(conn, "scheduled") if r.publish_at and r.publish_at > now),
        key=lambda r: r.publish_at or now,
    )
    corrected = [r for r in await _in_state(conn, "published", 50) if r.corrections][:5]
    withdrawn = await _in_state(conn, "withdrawn", 5)
    return {
        "now": now,
        "drafts": [summary(r, lang, settings) for r in drafts],
        "waiting": [summary(r, lang, settings) for r in waiting]
        + [
            {**summary(r, lang, settings), "state": i18n.gettext("Change waiting for approval")}
            for r in changed
        ],
        "scheduled": [
            {
                **summary(r, lang, settings),
                "countdown": countdown(r.publish_at, now),
                **day_words(),
            }
            for r in scheduled
            if r.publish_at
        ],
        "lift": await lift_health(conn, settings.lift_overdue_seconds),
        "news": await news_of_my_releases(conn, user, lang, settings),
        "send_outs": await recent_send_outs(conn, lang, settings),
        "corrected": [summary(r, lang, settings) for r in corrected],
        "withdrawn": [summary(r, lang, settings) for r in withdrawn],
    }


NEWS = {
    "release.return": i18n.gettext_noop("Sent back to draft"),
    "release.approve": i18n.gettext_noop("Approved"),
}
SEND_OUTS_SHOWN = 5


async def news_of_my_releases(
    conn: asyncpg.Connection, user: StaffUser, lang: str, settings: Settings
) -> list[dict[str, Any]]:
    """Others' moves of the user's releases lately: sent back with a comment, or approved
    (the same moves the author is e-mailed about)."""
    return [
        {
            "href": f"/console/releases/{row['id']}",
            "title": row["title"] or "",
            "what": i18n.gettext(NEWS[row["action"]]),
            "who": row["actor"],
            "comment": row["comment"],
            "when": when(row["at"], lang, settings),
        }
        for row in await conn.fetch(Q["news_of_my_releases"], user.id, lang)
    ]


async def recent_send_outs(
    conn: asyncpg.Connection, lang: str, settings: Settings
) -> list[dict[str, Any]]:
    """The latest releases' e-mail to readers: how many were sent, wait or failed."""
    return [
        {
            **dict(row),
            "href": f"/console/releases/{row['release_id']}",
            "title": row["title"] or "",
            "when": when(row["expanded_at"], lang, settings),
        }
        for row in await conn.fetch(Q["recent_send_outs"], SEND_OUTS_SHOWN, lang)
    ]


def day_words() -> dict[str, str]:
    """The word for days in the user's language, singular and plural, with `{n}` for the
    number: console.js reads them from the page, so the running countdown says what the
    server's does."""
    return {
        f"day_{form}": i18n.ngettext("%(num)d day", "%(num)d days", n).replace("%(num)d", "{n}")
        for form, n in (("one", 1), ("other", 2))
    }


def countdown(moment: datetime | None, now: datetime) -> str:
    """Time left as hours, minutes and seconds (console.js keeps it running)."""
    if moment is None:
        return ""
    seconds = max(0, int((moment - now).total_seconds()))
    days, rest = divmod(seconds, 86_400)
    clock = f"{rest // 3600}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    days_text = i18n.ngettext("%(num)d day", "%(num)d days", days) % {"num": days}
    return (days_text + " " if days else "") + clock
