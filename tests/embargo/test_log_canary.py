"""No log line carries a release's text: a canary word in an embargoed release's title, lead
and body goes through the whole life of the release (create, edit, approval, embargo with a
list, e-mail through a real SMTP server, webhooks to a real receiver, the lift) with the app's
own workers running, and is never found in any captured log record or request log line."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from press.app import create_app
from press.settings import Settings
from tests.conftest import StaffFactory
from tests.delivery.conftest import Inbox
from tests.delivery.conftest import smtp as smtp  # the fixture, for this module
from tests.delivery.helpers import subscriber
from tests.embargo.receiver import Receiver
from tests.embargo.test_embargo_lists import set_list
from tests.embargo.test_journalists import EMBARGOED, bearer, issue
from tests.embargo.waiting import eventually
from tests.releases.helpers import MANAGE, act

LIFT_AFTER = timedelta(seconds=6)


def canary_release(word: str) -> dict[str, Any]:
    return {
        "source": "city-board",
        "topics": ["economy"],
        "embargo_terms": f"Embargo {word} until the press conference.",
        "translations": {
            lang: {
                "title": f"{title} {word}",
                "lead": f"Lead {word}.",
                "body": f"Body with **{word}** and [a link](https://example.org/{word}).",
            }
            for lang, title in [("fi", "Fuusio"), ("sv", "Fusion"), ("en", "Merger")]
        },
    }


SMTP_SERVER_LOGGER = "mail.log"  # aiosmtpd's, in the test; not press's


def texts_of(record: logging.LogRecord) -> list[str]:
    """Everything a handler or formatter could write of a record: its message, arguments,
    exception and any extra field."""
    texts = [record.getMessage(), repr(record.args), record.exc_text or ""]
    if record.exc_info:
        texts.append(logging.Formatter().formatException(record.exc_info))
    texts.extend(repr(value) for value in vars(record).values())
    return texts


async def edit(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    approver: dict[str, str],
    release_id: str,
    word: str,
) -> None:
    """Change the Finnish text; an approver approves the change if it is held."""
    current = await client.get(f"{MANAGE}/{release_id}", headers=editor)
    changes = {"translations": {"fi": {"title": f"Fuusio {word}", "body": f"Uusi {word}."}}}
    headers = {**editor, "If-Match": current.headers["etag"]}
    response = await client.patch(f"{MANAGE}/{release_id}", json=changes, headers=headers)
    assert response.status_code in (200, 202), response.text
    if response.status_code == 202:
        await act(client, approver, release_id, "approve-change")


async def test_no_log_record_or_request_line_holds_embargoed_text(
    fresh_database_url: str,
    fresh_staff: StaffFactory,
    smtp: Inbox,
    receiver: Receiver,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    word = "kanarialintu" + secrets.token_hex(6)
    settings = Settings(
        database_url=fresh_database_url,
        data_dir=tmp_path,
        public_url="http://press.test",
        secret_key="canary",
        smtp_url=smtp.url,
        run_workers=True,
        mail_rate=1000,
        lift_poll_seconds=1,
        webhook_allow_networks=("127.0.0.0/8",),
        log_format="json",
        request_log=True,
    )
    editor, approver = await fresh_staff("editor"), await fresh_staff("approver")
    caplog.set_level(logging.DEBUG)  # below INFO too: nothing at any level
    async with AsyncTestClient(create_app(settings)) as client:
        # Should anything configure logging when the app starts (the framework's own default
        # did, before press turned it off), the capturing handler must still be on the root.
        if caplog.handler not in logging.getLogger().handlers:
            logging.getLogger().addHandler(caplog.handler)
        hook = {"url": receiver.url, "event_types": ["*"]}
        response = await client.post("/api/v1/manage/webhooks", json=hook, headers=approver)
        assert response.status_code == 201, response.text
        anna = await subscriber(
            client, editor, "Anna", "anna@news.example", {"embargoed": True},
            embargo_access=True,
        )  # fmt: skip
        bertil = await subscriber(client, editor, "Bertil", "bertil@news.example")
        token = await issue(client, editor, anna["id"])

        created = await client.post(MANAGE + "/", json=canary_release(word), headers=editor)
        assert created.status_code == 201, created.text
        release_id = created.json()["id"]
        await edit(client, editor, approver, release_id, word)
        await act(client, editor, release_id, "submit")
        await act(client, approver, release_id, "approve")
        assert (await set_list(client, editor, release_id, [anna["id"]])).is_success
        lift = datetime.now(UTC) + LIFT_AFTER
        body = {"at": lift.isoformat(), "embargo": True}
        await act(client, editor, release_id, "publish", body)
        await eventually(lambda: smtp.to("anna@news.example"), within=20)
        await edit(client, editor, approver, release_id, word)
        read = await client.get(f"{EMBARGOED}/{release_id}", headers=bearer(token))
        assert read.status_code == 200, read.text
        assert word in read.text

        def announced() -> bool:
            return any(r.json()["type"] == "release.published" for r in receiver.requests)

        await eventually(announced, within=30)
        public = await client.get(f"/api/v1/releases/{release_id}")
        assert public.status_code == 200
        assert word in public.text
        assert (await client.get(f"/releases/{release_id}")).status_code == 200
        await eventually(lambda: smtp.to(bertil["email"]), within=20)
    logging.getLogger().removeHandler(caplog.handler)

    # The text did go out where a release's text goes: into the embargoed mail. (Webhooks
    # carry ids; the receiver fetches the text.)
    assert word in smtp.to("anna@news.example")[0].as_string()
    # And logging was captured: the workers said what they did.
    said = {r.name for r in caplog.records}
    assert {"press.embargo.lift", "press.delivery", "press.embargo.webhooks"} <= said, said
    for record in caplog.records:
        if record.name.startswith(SMTP_SERVER_LOGGER):
            continue  # the test's own SMTP server, logging the DATA it was sent (as it should)
        assert not any(word in text for text in texts_of(record)), record
    written = capsys.readouterr()
    assert '"event":"request"' in written.err  # the request log was captured
    assert word not in written.err
    assert word not in written.out
