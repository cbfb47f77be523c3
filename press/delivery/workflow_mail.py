"""Mail to staff about the workflow: approvers when a release waits for their approval, its
author when it is sent back (with the approver's comment) or approved.

The moves write outbox events (press.releases.actions.WORKFLOW_MAIL); the mail workers
expand each (apart from the readers' events) into one queued mail per staff user, in the
language they last chose in the console, and the readers' sender sends them with the same
leases, retries and records.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

import asyncpg

from press.db import queries_beside
from press.delivery.queue import expand_events

Q = queries_beside(__file__)
WORKFLOW_EVENTS = ("release.submitted", "release.returned", "release.approved")

# subject (with {title}), what happened (with {who}), the comment's label, the link's label
WORDS = {
    "release.submitted": {
        "fi": ("Odottaa hyväksyntääsi: {title}",
               "{who} lähetti tiedotteen hyväksyttäväksi.", "Viesti", "Avaa tiedote konsolissa"),
        "sv": ("Väntar på ditt godkännande: {title}",
               "{who} skickade pressmeddelandet för godkännande.", "Meddelande",
               "Öppna pressmeddelandet i konsolen"),
        "en": ("Waiting for your approval: {title}",
               "{who} submitted the release for approval.", "Note", "Open it in the console"),
    },
    "release.returned": {
        "fi": ("Palautettu luonnokseksi: {title}",
               "{who} palautti tiedotteesi luonnokseksi.", "Kommentti",
               "Avaa tiedote konsolissa"),
        "sv": ("Återfört till utkast: {title}",
               "{who} återförde ditt pressmeddelande till utkast.", "Kommentar",
               "Öppna pressmeddelandet i konsolen"),
        "en": ("Sent back to draft: {title}",
               "{who} sent your release back to draft.", "Comment", "Open it in the console"),
    },
    "release.approved": {
        "fi": ("Hyväksytty: {title}", "{who} hyväksyi tiedotteesi.", "Kommentti",
               "Avaa tiedote konsolissa"),
        "sv": ("Godkänt: {title}", "{who} godkände ditt pressmeddelande.", "Kommentar",
               "Öppna pressmeddelandet i konsolen"),
        "en": ("Approved: {title}", "{who} approved your release.", "Comment",
               "Open it in the console"),
    },
}  # fmt: skip


@dataclass(frozen=True)
class WorkflowNews:
    """One staff user's mail about one move."""

    event_type: str
    lang: str
    title: str
    who: str
    comment: str
    url: str


async def expand_workflow_events(conn: asyncpg.Connection, limit: int = 20) -> int:
    """Queue the staff mail of up to `limit` workflow events; return how many were expanded.
    The readers' consumer (queue.expand_pending_events) does the same for publications,
    with the same record of what is expanded, so neither ever queues an event twice."""
    return await expand_events(conn, Q["unexpanded_workflow_events"], expand_workflow_event, limit)


async def expand_workflow_event(conn: asyncpg.Connection, event: asyncpg.Record) -> int:
    """Queue the mail of one workflow event: to every approver and admin for a submission,
    to the release's author and submitter otherwise; never to whoever made the move."""
    payload: dict[str, Any] = event["payload"] or {}
    users = await conn.fetch(
        Q["workflow_recipients"], event["aggregate_id"], event["event_type"], payload.get("by")
    )
    ids, langs = [u["id"] for u in users], [u["lang"] for u in users]
    await conn.execute(Q["queue_workflow_mail"], event["id"], ids, langs)
    return len(ids)


async def workflow_news(
    conn: asyncpg.Connection, event_id: Any, lang: str, public_url: str
) -> WorkflowNews | None:
    """What the mail of this event says in `lang`; None when its release is gone."""
    row = await conn.fetchrow(Q["workflow_news"], event_id, lang)
    if row is None:
        return None
    return WorkflowNews(
        event_type=row["event_type"],
        lang=lang,
        title=row["title"] or "",
        who=row["who"] or "",
        comment=row["comment"] or "",
        url=f"{public_url}/console/releases/{row['release_id']}",
    )


def workflow_message(
    news: WorkflowNews, name: str, email: str, *, sender: str, message_key: str, now: datetime
) -> EmailMessage:
    """The e-mail itself: what happened, by whom, the comment if any, and the link."""
    words = WORDS[news.event_type]
    subject, happened, label, button = words.get(news.lang, words["en"])
    happened = happened.format(who=news.who)
    domain = sender.rsplit("@", 1)[-1].strip(">") or "press.invalid"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((name, email)) if name else email
    message["Subject"] = subject.format(title=news.title)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{message_key}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    comment = f"\n\n{label}:\n{news.comment}" if news.comment else ""
    message.set_content(f"{happened}{comment}\n\n{button}: {news.url}\n")
    e = html.escape
    quoted = f"<p>{e(label)}:</p><blockquote>{e(news.comment)}</blockquote>" if comment else ""
    message.add_alternative(
        f'<!doctype html><html lang="{news.lang}"><head><meta charset="utf-8"></head><body>'
        f"<p>{e(happened)}</p>{quoted}"
        f'<p><a href="{e(news.url)}">{e(button)}</a></p></body></html>',
        subtype="html",
    )
    message["Content-Language"] = news.lang  # after the content: setting it clears Content-*
    return message
