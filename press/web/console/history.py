"""A release's history in the console: the versions kept since it went public (the API's
revisions) and the release as it is now, and any two of them compared field by field, the
words deleted and inserted marked as such."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from litestar import Controller, Request, Response, get
from litestar.params import FromPath

from press.db import Conn
from press.errors import PressError
from press.releases import actions, repository
from press.releases.schemas import Release, Revision
from press.settings import Settings
from press.web import i18n
from press.web.console.access import SignInNeeded, console_error, sign_in_needed, signed_in
from press.web.console.compare import FieldChange, comparable, compare, with_change
from press.web.console.layout import CONSOLE, console_language, render_console, when
from press.web.console.views import LANGUAGE_LABELS, title_of

KIND_NAMES = {
    "edit": i18n.gettext_noop("Edited"),
    "correction": i18n.gettext_noop("Corrected"),
    "withdrawal": i18n.gettext_noop("Withdrawn"),
}
FIELD_NAMES = {
    "source": i18n.gettext_noop("Source"),
    "topics": i18n.gettext_noop("Topics"),
    "contacts": i18n.gettext_noop("Media contacts"),
    "decision": i18n.gettext_noop("Decision"),
    "embargo_terms": i18n.gettext_noop("Embargo terms"),
    "title": i18n.gettext_noop("Title"),
    "lead": i18n.gettext_noop("Lead"),
    "body": i18n.gettext_noop("Text"),
}


async def label_names(conn: asyncpg.Connection, lang: str) -> dict[str, dict[str, str]]:
    """What a compared field shows for a code: sources and topics in the user's language,
    media contacts by name."""
    return {
        "sources": {r["slug"]: r[f"name_{lang}"] for r in await repository.list_sources(conn)},
        "topics": {r["slug"]: r[f"name_{lang}"] for r in await repository.list_topics(conn)},
        "contacts": {str(r["id"]): r["name"] for r in await repository.list_media_contacts(conn)},
    }


def field_label(change: FieldChange) -> str:
    label = i18n.gettext(FIELD_NAMES[change.name])
    if change.lang:
        label += f" ({i18n.gettext(LANGUAGE_LABELS[change.lang])})"
    return label


def shown_changes(changes: list[FieldChange]) -> list[dict[str, Any]]:
    return [{"label": field_label(c), "lang": c.lang, "pieces": c.pieces} for c in changes]


async def pending_diff(conn: asyncpg.Connection, release: Release, lang: str) -> list[Any]:
    """A release's pending change as the fields it changes, against what is live now."""
    if release.pending_change is None:
        return []
    live = msgspec.to_builtins(release)
    proposed = with_change(live, release.pending_change.changes)
    names = await label_names(conn, lang)
    return shown_changes(compare(comparable(live, names), comparable(proposed, names)))


def versions(
    release: Release, revisions: list[Revision], lang: str, settings: Settings
) -> list[dict[str, Any]]:
    """Every version kept, newest first: the release now, then each revision's snapshot
    (a revision keeps the version a change replaced, and says what that change was)."""
    now = {
        "version": release.version,
        "saved": when(release.updated_at, lang, settings),
        "followed": "",
        "note": "",
        "snapshot": msgspec.to_builtins(release),
        "current": True,
    }
    kept = [
        {
            "version": r.version,
            "saved": when(_saved_at(r), lang, settings),
            "followed": i18n.gettext(KIND_NAMES.get(r.kind, r.kind)),
            "when_followed": when(r.created_at, lang, settings),
            "note": r.note,
            "snapshot": r.snapshot,
            "current": False,
        }
        for r in revisions
    ]
    return [now, *kept]


def _saved_at(revision: Revision) -> datetime | None:
    """When the version a revision keeps was saved (its snapshot's `updated_at`)."""
    saved = revision.snapshot.get("updated_at")
    return datetime.fromisoformat(saved) if isinstance(saved, str) else None


def chosen(query: dict[str, str], numbers: list[int]) -> tuple[int, int] | None:
    """The two versions asked for (`from`, `to`), by default the newest two; None when the
    query names something that is not one of them."""
    default_old = numbers[1] if len(numbers) > 1 else numbers[0]
    try:
        old = int(query.get("from") or default_old)
        new = int(query.get("to") or numbers[0])
    except ValueError:
        return None
    if old not in numbers or new not in numbers:
        return None
    return (min(old, new), max(old, new))


class ConsoleHistoryController(Controller):
    path = "/console/releases/{release_id:uuid}/history"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/")
    async def show_history(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        settings: Settings = request.app.state.settings
        release, _ = await actions.load(conn, release_id)
        revisions = await repository.list_revisions(conn, release_id)
        with i18n.speaking(lang, CONSOLE):
            listed = versions(release, revisions, lang, settings)
            numbers = [v["version"] for v in listed]
            query = {k: str(v) for k, v in request.query_params.items()}
            pair = chosen(query, numbers)
            context: dict[str, Any] = {"versions": listed, "title": title_of(release, lang)}
            if pair is None:
                return render_console(
                    request, "history.html", lang, session, status=422, release=release,
                    error=i18n.gettext("Choose two of the versions listed."),
                    pair=(numbers[-1], numbers[0]), changes=None, **context,
                )  # fmt: skip
            by_number = {v["version"]: v["snapshot"] for v in listed}
            names = await label_names(conn, lang)
            older, newer = (comparable(by_number[n], names) for n in pair)
            changes = shown_changes(compare(older, newer))
            return render_console(
                request, "history.html", lang, session, release=release, pair=pair,
                changes=changes, **context,
            )  # fmt: skip
