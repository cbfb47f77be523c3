"""The console's release pages: the dashboard, the editor (three languages, previews by the
public renderer, the optimistic lock shown as what changed), and the workflow's forms.

Every change is the domain's own function (press.releases.actions), called in-process with
the signed-in user: the roles and workflow rules there apply here unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict, State
from litestar.params import FromPath
from markupsafe import Markup

from press.db import Conn
from press.embargo import lists
from press.embargo import repository as embargo_repository
from press.embargo.schemas import EmbargoList
from press.errors import InvalidInput, PreconditionFailed, PressError
from press.releases import actions, repository
from press.releases.render import render_markdown
from press.releases.schemas import LANGS, PublishRequest, Release
from press.settings import Settings
from press.staff.schemas import StaffUser
from press.web import i18n
from press.web.console.access import (
    SignInNeeded,
    console_error,
    posted_form,
    sign_in_needed,
    signed_in,
)
from press.web.console.forms import (
    TEXT_FIELDS,
    fields_of_release,
    local_instant,
    passed_twice,
    release_create,
    release_fields,
    release_update,
)
from press.web.console.history import pending_diff
from press.web.console.layout import (
    CONSOLE,
    Session,
    console_language,
    may_write,
    redirect,
    render_console,
    when,
)
from press.web.console.media_views import move_refusal, release_media
from press.web.console.refusals import refusal_text
from press.web.console.views import (
    LANGUAGE_LABELS,
    STATE_NAMES,
    dashboard,
    title_of,
    utc_text,
)

MOVES = ("submit", "approve", "return", "unschedule")
FIELD_LABELS = {
    "source": i18n.gettext_noop("Source"),
    "topics": i18n.gettext_noop("Topics"),
    "title": i18n.gettext_noop("Title"),
    "lead": i18n.gettext_noop("Lead"),
    "body": i18n.gettext_noop("Text"),
}


async def pick_lists(conn: asyncpg.Connection, lang: str) -> dict[str, Any]:
    """Sources and topics by their names in the user's language, media contacts by name and
    title: codes are never typed."""
    sources = await repository.list_sources(conn)
    topics = await repository.list_topics(conn)
    contacts = await repository.list_media_contacts(conn)
    return {
        "contacts": [
            (str(row["id"]), row["name"], job_title(row["title"], lang)) for row in contacts
        ],
        "sources": [(row["slug"], row[f"name_{lang}"]) for row in sources],
        "topics": sorted(
            ((row["slug"], row[f"name_{lang}"]) for row in topics), key=lambda t: t[1]
        ),
    }


def job_title(titles: dict[str, str], lang: str) -> str:
    """A media contact's title in the user's language, else in the first one it has."""
    return titles.get(lang) or next(iter(titles.values()), "")


def previews(fields: dict[str, Any]) -> dict[str, Markup]:
    """Each language's text as the public page renders it (the same sanitising renderer)."""
    return {
        lang: Markup(render_markdown(text["body"]))  # noqa: S704 - sanitised by the renderer
        for lang, text in fields["texts"].items()
        if text["body"].strip()
    }


def what_changed(fields: dict[str, Any], saved: dict[str, Any]) -> list[dict[str, Any]]:
    """Where the release as saved now differs from what the user is sending."""
    changes = []
    for name in ("source", "topics"):
        if (
            sorted(fields[name]) != sorted(saved[name])
            if name == "topics"
            else fields[name] != saved[name]
        ):
            changes.append({"field": i18n.gettext(FIELD_LABELS[name]), "saved": saved[name]})
    for lang in LANGS:
        for name in TEXT_FIELDS:
            if fields["texts"][lang][name].strip() != saved["texts"][lang][name].strip():
                label = (
                    f"{i18n.gettext(FIELD_LABELS[name])} ({i18n.gettext(LANGUAGE_LABELS[lang])})"
                )
                changes.append({"field": label, "saved": saved["texts"][lang][name]})
    return changes


async def editor_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    lang: str,
    fields: dict[str, Any],
    release: Release | None,
    *,
    status: int = 200,
    **context: Any,
) -> Response[bytes]:
    return render_console(
        request,
        "editor.html",
        lang,
        session,
        status=status,
        fields=fields,
        release=release,
        title=title_of(release, lang) if release else "",
        action=context.pop("action", None)
        or (f"/console/releases/{release.id}/edit" if release else "/console/releases/new"),
        langs=[(code, i18n.gettext(LANGUAGE_LABELS[code])) for code in LANGS],
        **(await pick_lists(conn, lang)),
        **context,
    )


async def release_page(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    lang: str,
    release_id: UUID,
    *,
    status: int = 200,
    **context: Any,
) -> Response[bytes]:
    settings: Settings = request.app.state.settings
    release, now = await actions.load(conn, release_id)
    release = actions.with_actions(release, now, session.user)
    names = await pick_lists(conn, lang)
    listed = await lists.embargo_list(conn, release_id)
    journalists = []
    if "publish" in release.allowed_actions:
        journalists = [
            (str(r["id"]), r["name"], r["email"])
            for r in await embargo_repository.accredited_journalists(conn)
        ]
    return render_console(
        request,
        "release.html",
        lang,
        session,
        status=status,
        release=release,
        title=title_of(release, lang),
        state=i18n.gettext(STATE_NAMES[release.state]),
        source=dict(names["sources"]).get(release.source, release.source),
        topics=[dict(names["topics"]).get(t, t) for t in release.topics],
        texts=[
            (code, i18n.gettext(LANGUAGE_LABELS[code]), release.translations[code])
            for code in LANGS
            if code in release.translations
        ],
        bodies={
            code: Markup(text.body_html)  # noqa: S704 - sanitised by the renderer
            for code, text in release.translations.items()
        },
        lift_text=when(release.publish_at, lang, settings),
        lift_utc=utc_text(release.publish_at) if release.publish_at else "",
        entered=context.pop("entered", None) or scheduled_as(release, listed, settings),
        embargo_list=listed,
        journalists=journalists,
        pending=await pending_diff(conn, release, lang),
        promised_text=when(release.embargo_promised_at, lang, settings),
        allowed=release.allowed_actions,
        may_edit=may_write(session.user) and release.state != "withdrawn",
        media=await release_media(conn, settings, release, lang),
        **context,
    )


def scheduled_as(release: Release, listed: EmbargoList, settings: Settings) -> dict[str, Any]:
    """The schedule form as the release stands: a scheduled one shows its time and embargo,
    so switching the embargo or moving the time starts from them; the embargo list is the
    release's own."""
    chosen = {
        "embargo_to": "chosen" if listed.restricted else "all",
        "journalists": [str(entry.id) for entry in listed.contacts],
    }
    if release.state != "scheduled" or release.publish_at is None:
        return {"at": "", "embargo": False, "reason": "", **chosen}
    local = release.publish_at.astimezone(settings.zone).replace(tzinfo=None)
    at = local.isoformat(timespec="seconds")
    return {"at": at, "embargo": release.embargo, "reason": "", **chosen}


def embargo_recipients(entered: dict[str, Any]) -> list[UUID] | None:
    """Whom the schedule form puts on the embargo list: nobody named (every accredited
    journalist), the journalists chosen, or None when the form sets no embargo."""
    if not entered["embargo"]:
        return None
    if entered["embargo_to"] != "chosen":
        return []
    try:
        chosen = [UUID(value) for value in entered["journalists"]]
    except ValueError as error:
        raise InvalidInput(i18n.gettext("Choose journalists from the list.")) from error
    if not chosen:
        raise InvalidInput(
            i18n.gettext("Choose at least one journalist, or all accredited journalists.")
        )
    return chosen


async def schedule_with_list(
    conn: asyncpg.Connection,
    release_id: UUID,
    publish: PublishRequest,
    recipients: list[UUID] | None,
    user: StaffUser,
) -> None:
    """The embargo list first, then the schedule: one savepoint, so a refusal of either
    leaves neither. A list as it was is not set again (no audit entry, no e-mail event)."""
    if recipients is not None:
        listed = await lists.embargo_list(conn, release_id)
        if set(recipients) != {entry.id for entry in listed.contacts}:
            await lists.set_embargo_list(conn, release_id, recipients, user)
    await actions.publish_release(conn, release_id, publish, user)


async def attempt(conn: asyncpg.Connection, work: Any) -> PressError | None:
    """Run a change in a savepoint: on the domain's refusal nothing of it stays, the request
    can still read, and the refusal is returned for the page to explain."""
    try:
        async with conn.transaction():
            await work
    except PressError as error:
        return error
    return None


async def save_or_preview(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    form: FormMultiDict,
    before: Release | None,
    save: Callable[[dict[str, Any]], Awaitable[Release]],
    **context: Any,
) -> Response[bytes]:
    """The editor's form: shown again with previews, or saved (then the release's page), or
    shown again saying why not. A save over someone else's meanwhile keeps the user's text
    and shows what the other person saved; a second save (now against that version) decides."""
    lang = console_language(request)
    fields = release_fields(form)
    saved: list[Release] = []

    async def work() -> None:
        saved.append(await save(fields))

    with i18n.speaking(lang, CONSOLE):

        async def show(
            shown: dict[str, Any], release: Release | None, **more: Any
        ) -> Response[bytes]:
            return await editor_page(
                request, conn, session, lang, shown, release, **context, **more
            )

        if form.get("intent") == "preview":
            return await show(fields, before, previews=previews(fields))
        error = await attempt(conn, work())
        if isinstance(error, PreconditionFailed) and before is not None:
            current = fields_of_release(before, actions.release_etag(before))
            changes = what_changed(fields, current)
            fields["etag"] = current["etag"]
            return await show(fields, before, status=409, conflict=changes)
        if error is not None:
            told = refusal_text(error, lang, request.app.state.settings.zone)
            return await show(fields, before, status=error.status, error=told)
    return redirect(f"/console/releases/{saved[0].id}")


class ConsoleReleaseController(Controller):
    path = "/console"
    include_in_schema = False
    exception_handlers = {SignInNeeded: sign_in_needed, PressError: console_error}

    @get("/")
    async def show_dashboard(
        self, request: Request[Any, Any, Any], conn: Conn, state: State
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        with i18n.speaking(lang, CONSOLE):
            lists = await dashboard(conn, session.user, lang, state.settings)
        return render_console(request, "dashboard.html", lang, session, **lists)

    @get("/releases/new")
    async def new_release(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        fields = {
            "source": "",
            "topics": [],
            "texts": {c: dict.fromkeys(TEXT_FIELDS, "") for c in LANGS},
            "contacts": [],
            "decision_id": "",
            "decision_url": "",
            "embargo_terms": "",
            "etag": "",
        }
        with i18n.speaking(lang, CONSOLE):
            return await editor_page(request, conn, session, lang, fields, None)

    @post("/releases/new")
    async def create_release(self, request: Request[Any, Any, Any], conn: Conn) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)

        async def create(fields: dict[str, Any]) -> Release:
            return await actions.create_release(conn, release_create(fields), session.user)

        return await save_or_preview(request, conn, session, form, None, create)

    @get("/releases/{release_id:uuid}")
    async def show_release(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        lang = console_language(request)
        with i18n.speaking(lang, CONSOLE):
            return await release_page(request, conn, session, lang, release_id)

    @get("/releases/{release_id:uuid}/edit")
    async def edit_release(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        return await open_editor(request, conn, release_id)

    @post("/releases/{release_id:uuid}/edit")
    async def update_release(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        before, _ = await actions.load(conn, release_id)

        async def update(fields: dict[str, Any]) -> Release:
            change = release_update(fields, before)
            # A change of a scheduled or published release is held for another approver
            # (the domain's four-eyes rule); the release page shows what waits.
            saved, _held = await actions.update_release(
                conn,
                release_id,
                change,
                session.user,
                fields["etag"],
                settings=request.app.state.settings,
            )
            return saved

        return await save_or_preview(request, conn, session, form, before, update)

    @post("/releases/{release_id:uuid}/move")
    async def move_release(
        self, request: Request[Any, Any, Any], conn: Conn, state: State, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Submit, approve, send back with a comment, or unschedule."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        move = str(form.get("action") or "")
        if move not in MOVES:
            raise InvalidInput(f"Unknown action {move!r}.")
        reason = str(form.get("reason") or "").strip() or None
        work = actions.move(
            conn, release_id, move, session.user, settings=state.settings, reason=reason
        )
        return await after_move(request, conn, session, release_id, work)

    @post("/releases/{release_id:uuid}/schedule")
    async def schedule_release(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        """Publish now, or at a time on the city's clocks, under embargo or not."""
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        lang = console_language(request)
        settings: Settings = request.app.state.settings
        at_text, reason = str(form.get("at") or ""), str(form.get("reason") or "").strip()
        intent = form.get("intent")
        entered = {
            "at": at_text,
            "embargo": form.get("embargo") == "on" and intent != "now",
            "reason": reason,
            "embargo_to": str(form.get("embargo_to") or "all"),
            "journalists": [str(j) for j in form.getall("journalists", [])],
        }
        with i18n.speaking(lang, CONSOLE):
            try:
                at = local_instant(at_text, settings.zone) if intent != "now" else None
                recipients = embargo_recipients(entered)
            except InvalidInput as error:
                return await release_page(
                    request, conn, session, lang, release_id, status=422,
                    schedule_error=error.detail, entered=entered,
                )  # fmt: skip
            if intent == "check" and at is not None:
                return await release_page(
                    request, conn, session, lang, release_id, entered=entered,
                    checked={
                        "local": when(at, lang, settings),
                        "utc": utc_text(at),
                        "twice": passed_twice(at),
                    },
                )  # fmt: skip
        publish = PublishRequest(
            at=at, embargo=bool(at and entered["embargo"]), reason=reason or None
        )
        work = schedule_with_list(conn, release_id, publish, recipients, session.user)
        return await after_move(request, conn, session, release_id, work, entered=entered)

    @post("/releases/{release_id:uuid}/withdraw")
    async def withdraw_release(
        self, request: Request[Any, Any, Any], conn: Conn, release_id: FromPath[UUID]
    ) -> Response[bytes]:
        session = await signed_in(request, conn)
        form = await posted_form(request, session)
        reason = str(form.get("reason") or "").strip()
        if not reason:
            with i18n.speaking(console_language(request), CONSOLE):
                raise InvalidInput(i18n.gettext("Say why the release is withdrawn."))
        public_note = str(form.get("public_note") or "").strip() or None
        work = actions.withdraw_release(
            conn, release_id, reason, session.user, public_note=public_note
        )
        return await after_move(request, conn, session, release_id, work)


async def open_editor(
    request: Request[Any, Any, Any], conn: asyncpg.Connection, release_id: UUID, **context: Any
) -> Response[bytes]:
    """The editor with the release as saved now (the version its form carries)."""
    session = await signed_in(request, conn)
    lang = console_language(request)
    release, _ = await actions.load(conn, release_id)
    fields = fields_of_release(release, actions.release_etag(release))
    with i18n.speaking(lang, CONSOLE):
        return await editor_page(request, conn, session, lang, fields, release, **context)


async def after_move(
    request: Request[Any, Any, Any],
    conn: asyncpg.Connection,
    session: Session,
    release_id: UUID,
    work: Any,
    **context: Any,
) -> Response[bytes]:
    """The release page after a workflow move, or the page again saying why not."""
    error = await attempt(conn, work)
    if error is None:
        return redirect(f"/console/releases/{release_id}")
    lang = console_language(request)
    with i18n.speaking(lang, CONSOLE):
        return await release_page(
            request, conn, session, lang, release_id, status=error.status,
            error=move_refusal(error) or refusal_text(error, lang, request.app.state.settings.zone),
            **context,
        )  # fmt: skip
