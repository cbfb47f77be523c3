"""The SMTP sender: takes due mail from the queue and sends it, one message per recipient.

Per message: lease (SKIP LOCKED) → re-check the recipient may still get it → record
`sending` (committed) → SMTP → record the outcome. A sender killed after `sending` leaves
the row `unknown`, never resent: at most one copy reaches anyone, and staff see the few
uncertain ones. Temporary failures (4xx, lost connection) retry with exponential backoff;
a permanent refusal of the address (5xx to RCPT) marks the contact bounced.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import email.errors
import logging
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any
from uuid import UUID

import aiosmtplib
import asyncpg

from press.contacts import links
from press.db import Database, queries_beside
from press.delivery.language import choose_language
from press.delivery.message import (
    Recipient,
    ReleaseMail,
    ReleaseText,
    confirmation_message,
    privacy_message,
    sign_in_message,
)
from press.delivery.smtp import SmtpTarget, parse_smtp_url
from press.delivery.workflow_mail import workflow_message, workflow_news
from press.settings import Settings

if TYPE_CHECKING:  # prometheus_client is imported once `press serve` has chosen its mode
    from press.ops.metrics import Metrics

Q = queries_beside(__file__)
# The reason on an embargoed mail held back because its lift moved, or a later notice to the
# same person replaced it (that one states the time as it is).
SUPERSEDED = "the embargo's time changed: a newer notice states it"
log = logging.getLogger("press.delivery")


@dataclass(frozen=True)
class SenderConfig:
    rate: float = 20.0  # messages per second
    batch: int = 50
    connections: int = 4
    lease_seconds: float = 120.0  # longer than any SMTP timeout below
    retry_base_seconds: float = 60.0
    max_attempts: int = 8
    smtp_timeout: float = 60.0
    # Saying goodbye (QUIT) after the lane's last message: every message is accepted and
    # recorded by then, so a server slow to answer may not hold the round (or a shutdown
    # waiting for it) for the whole SMTP timeout.
    quit_timeout: float = 5.0


class RateLimit:
    """At most `rate` starts per second, shared by the sender's connections."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next_at = time.monotonic()
        self.lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self.lock:
            now = time.monotonic()
            delay = self.next_at - now
            self.next_at = max(now, self.next_at) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)


class Outcome(Exception):
    """How a send ended when it did not succeed."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind  # retry | bounced | failed
        self.detail = detail


class MailSender:
    def __init__(self, database: Database, settings: Settings, config: SenderConfig) -> None:
        assert settings.smtp_url, "the sender needs PRESS_SMTP_URL"
        self.database = database
        self.settings = settings
        self.config = config
        self.target = parse_smtp_url(settings.smtp_url)
        self.limit = RateLimit(config.rate)
        self._releases: dict[tuple[UUID, str, bool, datetime | None], ReleaseMail | None] = {}
        self.metrics: Metrics | None = None  # counts attempts when set (press.ops.metrics)
        self.outcomes: collections.Counter[str] = collections.Counter()  # of the last round

    async def send_due(self) -> int:
        """Send what is due now over the sender's connections; return how many were tried.

        Each connection leases its own small batches until nothing is due, so a fast lane
        never waits for a slow one and no lease is held longer than one small batch takes."""
        async with self.database.acquire() as conn:
            await conn.execute(Q["give_up_interrupted"])
        self._releases.clear()
        self.outcomes.clear()
        tried = await asyncio.gather(*(self._lane() for _ in range(self.config.connections)))
        return sum(tried)

    async def _lane(self) -> int:
        tried = 0
        smtp: aiosmtplib.SMTP | None = None
        sent: UUID | None = None  # accepted by the server, recorded with the next statement
        try:
            async with self.database.acquire() as conn:
                try:
                    while rows := await conn.fetch(
                        Q["lease_due"], self.config.batch, self.config.lease_seconds
                    ):
                        for row in rows:
                            smtp, sent = await self._send_one(conn, smtp, row, sent)
                        tried += len(rows)
                finally:
                    if sent is not None:
                        await conn.execute(Q["mark_sent"], sent)
        finally:
            if smtp is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(smtp.quit(), self.config.quit_timeout)
                smtp.close()  # a no-op after a QUIT answered
        return tried

    async def _send_one(
        self,
        conn: asyncpg.Connection,
        smtp: aiosmtplib.SMTP | None,
        row: asyncpg.Record,
        previous: UUID | None,
    ) -> tuple[aiosmtplib.SMTP | None, UUID | None]:
        """Send one leased message; return the connection to go on with and the id of the
        message sent now, if it was (recorded as sent by the next statement)."""
        start = "start_staff_sending" if row["kind"] == "staff" else "start_sending"
        who = await conn.fetchrow(Q[start], row["id"], self.config.lease_seconds, previous)
        if who is None:
            superseded = row["kind"] != "staff" and await conn.fetchval(
                Q["embargo_notice_superseded"], row["id"]
            )
            reason = SUPERSEDED if superseded else "recipient may not receive it"
            await conn.execute(Q["cancel_delivery"], row["id"], reason)
            return smtp, None
        try:
            to = Recipient(row["contact_id"] or row["staff_user_id"], who[0], who[1])
            message = await self._message(conn, row, to, who["lift"])
        except MESSAGE_ERRORS as exc:
            # One message that cannot be built (a line break in a name or title stored before
            # the API refused them) fails alone; the rest of the round goes out.
            await self._record_failure(conn, row, Outcome("failed", _unbuildable(exc)))
            return smtp, None
        if message is None:
            await conn.execute(Q["mark_failed"], row["id"], "the release has no text to send")
            return smtp, None
        await self.limit.wait()
        try:
            smtp = smtp if smtp is not None and smtp.is_connected else await self._connect()
            if isinstance(message, bytes):
                await smtp.sendmail(
                    self.settings.mail_from, [who[1]], message, mail_options=_options(who[1])
                )
            else:
                await smtp.send_message(
                    message, sender=self.settings.mail_from, recipients=[who[1]]
                )
        except Exception as exc:  # every SMTP or network failure is an outcome to record
            await self._record_failure(conn, row, classify(exc))
            # After a refusal the session may be mid-transaction: start the next one afresh.
            if smtp is not None:
                smtp.close()
            return None, None
        self._count("sent")  # accepted by the server; recorded with the next statement
        return smtp, row["id"]

    def _count(self, outcome: str) -> None:
        self.outcomes[outcome] += 1
        if self.metrics is not None:
            self.metrics.mail_attempts.labels(outcome).inc()

    async def _record_failure(
        self, conn: asyncpg.Connection, row: asyncpg.Record, outcome: Outcome
    ) -> None:
        log.warning("mail %s: %s (%s)", row["id"], outcome.kind, outcome.detail)
        self._count(outcome.kind)
        if outcome.kind == "bounced":
            await conn.execute(Q["mark_bounced"], row["id"], outcome.detail)
        elif outcome.kind == "failed":
            await conn.execute(Q["mark_failed"], row["id"], outcome.detail)
        else:
            await conn.execute(
                Q["mark_retry"],
                row["id"],
                self.config.retry_base_seconds,
                self.config.max_attempts,
                outcome.detail,
            )

    async def _connect(self) -> aiosmtplib.SMTP:
        target: SmtpTarget = self.target
        smtp = aiosmtplib.SMTP(
            hostname=target.host,
            port=target.port,
            use_tls=target.security == "tls",
            start_tls=target.security == "starttls",
            timeout=self.config.smtp_timeout,
            tls_context=ssl.create_default_context() if target.security != "none" else None,
        )
        try:
            await smtp.connect()
            if target.username:
                await smtp.login(target.username, target.password or "")
        except Exception as exc:
            raise classify(exc) from exc
        return smtp

    async def _message(
        self,
        conn: asyncpg.Connection,
        row: asyncpg.Record,
        to: Recipient,
        lift: datetime | None,
    ) -> EmailMessage | bytes | None:
        now = datetime.now(UTC)
        sender, public, key = (
            self.settings.mail_from,
            self.settings.public_url,
            self.settings.secret_key,
        )
        lang, nonce = row["lang"], row["event_id"]
        if row["kind"] == "staff":
            news = await workflow_news(conn, nonce, lang, public)
            if news is None:
                return None
            key_of_message = f"staff.{row['id']}"
            return workflow_message(
                news, to.name, to.email, sender=sender, message_key=key_of_message, now=now
            )
        preferences = links.preferences_url(public, key, to.contact_id, lang)
        if row["kind"] == "confirmation":
            url = links.confirm_url(public, key, to.contact_id, nonce, lang)
            return confirmation_message(
                to, lang, url, sender=sender, nonce=nonce, now=now, preferences_url=preferences
            )
        if row["kind"] == "privacy":
            kind = await conn.fetchval(Q["privacy_request_kind"], nonce)
            url = links.privacy_url(public, key, to.contact_id, nonce, lang)
            return privacy_message(
                to, lang, kind, url, sender=sender, nonce=nonce, now=now,
                preferences_url=preferences,
            )  # fmt: skip
        if row["kind"] == "sign_in":
            url = links.sign_in_url(public, key, to.contact_id, nonce, lang)
            return sign_in_message(
                to, lang, url, sender=sender, nonce=nonce, now=now, preferences_url=preferences
            )
        mail = await self._release_mail(
            conn, row["release_id"], row["lang"], row["embargoed"], lift
        )
        if mail is None:
            return None
        return mail.render(
            to,
            unsubscribe_url=links.unsubscribe_url(public, key, to.contact_id, mail.text.lang),
            preferences_url=links.preferences_url(public, key, to.contact_id, mail.text.lang),
            now=now,
            event_id=row["event_id"],
        )

    async def _release_mail(
        self,
        conn: asyncpg.Connection,
        release_id: UUID,
        lang: str,
        embargoed: bool,
        lift: datetime | None,
    ) -> ReleaseMail | None:
        """The release's message in the language chosen for `lang`, made once per round and
        lift time: `lift` is the one start_sending checked, so a lift moved during a round
        is never stated as it was when the round began."""
        key = (release_id, lang, embargoed, lift)
        if key not in self._releases:
            rows = {r["lang"]: r for r in await conn.fetch(Q["release_texts"], release_id)}
            chosen = choose_language([lang], list(rows)) if rows else None
            # A text that cannot be made into a message raises here, for each of its readers
            # in turn; nothing is kept for it.
            self._releases[key] = (
                ReleaseMail(
                    _release_text(self.settings, rows[chosen], lift),
                    sender=self.settings.mail_from,
                    embargoed=embargoed,
                )
                if chosen
                else None
            )
        return self._releases[key]


def _options(address: str) -> list[str]:
    """MAIL FROM options for a message written out as bytes (7-bit already): an address
    outside ASCII asks for SMTPUTF8, as send_message would; a server without it refuses."""
    return [] if address.isascii() else ["SMTPUTF8"]


# What building or writing out a message raises when a value cannot go into it: a header
# with a line break, a broken encoding, a value no text or template is there for.
MESSAGE_ERRORS = (ValueError, TypeError, LookupError, email.errors.MessageError)


def _unbuildable(exc: BaseException) -> str:
    return f"the message cannot be built: {type(exc).__name__}: {exc}"


def _release_text(settings: Settings, row: Any, lift: datetime | None) -> ReleaseText:
    return ReleaseText(
        release_id=row["id"],
        lang=row["lang"],
        title=row["title"],
        lead=row["lead"],
        body=row["body"],
        body_html=row["body_html"],
        url=settings.release_url(row["id"], row["lang"], row["slug"]),
        publish_at=lift,
        embargo_terms=row["embargo_terms"],
    )


def classify(exc: BaseException) -> Outcome:
    """Temporary (retry), permanent for the address (bounced) or for the message (failed)."""
    if isinstance(exc, Outcome):
        return exc
    if isinstance(exc, MESSAGE_ERRORS):  # the message itself cannot be written out
        return Outcome("failed", _unbuildable(exc))
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        detail = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
        return Outcome("bounced" if all(500 <= c < 600 for c in codes) else "retry", detail)
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return Outcome("bounced" if 500 <= exc.code < 600 else "retry", f"{exc.code} {exc.message}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        kind = "failed" if 500 <= exc.code < 600 else "retry"
        return Outcome(kind, f"{exc.code} {exc.message}")
    return Outcome("retry", f"{type(exc).__name__}: {exc}")
