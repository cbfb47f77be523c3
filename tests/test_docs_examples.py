"""The guides' examples, run as written against a live press (a real process on a real
PostgreSQL), so that a renamed field, path, status or error type shows here and not at an
integrator's.

An example is a fenced block after an HTML comment `<!-- example: NAME -->` in docs/*.md:

- a `sh` block with one `curl` command, then its answer as comments: `# STATUS REASON`, and
  the JSON excerpt on the comment lines after it. The command runs through httpx (method,
  URL, headers, `-d` body) with `$PRESS`, `$TOKEN`, `$ID` … standing for the live app's
  address, a staff token and ids of releases made for the test; a string `"…"` in the body is
  a value the guide does not print (the password).
- a JSON block is an excerpt of the answer its comment names (`<!-- example: NAME, GET /path
  STATUS -->`), or of something press sends on its own (`webhook`: a delivery).
- `verify-webhook`: the guide's Python that checks a webhook's signature, run on a delivery.

Every key an excerpt shows must be in the real answer with the same JSON type (lists: each
item shown against the real one at its place); `type`, `status`, `state` and `token_type` must also
have the value shown, unless it holds "…". Every `curl` or JSON block of the guides must be
an example, so that a new one is checked too.
"""

from __future__ import annotations

import re
import secrets
import shlex
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from argon2 import PasswordHasher

from press.db import connect
from tests.conftest import clone_database, drop_database, staff_user
from tests.embargo.processes import start_app, wait_until_up
from tests.embargo.receiver import Receiver
from tests.embargo.waiting import eventually

ROOT = Path(__file__).resolve().parents[1]  # the repository, also when the wheel is tested
DOCS = ROOT / "docs"
GUIDES = (
    "api.md",
    "feeds.md",
    "contacts-and-mail.md",
    "embargo.md",
    "archive.md",
    "operations.md",
)

PASSWORD = "harbour lanterns at dusk"
PLACEHOLDER = "…"
VERBATIM = frozenset(("type", "status", "state", "token_type"))
MARKER = re.compile(r"<!--\s*example:\s*([\w-]+)\s*(?:,\s*(\w+)\s+(\S+)\s+(\d{3})\s*)?-->")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Example:
    name: str
    guide: str
    line: int
    language: str
    text: str
    request: tuple[str, str, int] | None  # the marker's method, path and status, if any

    def __str__(self) -> str:
        return f"docs/{self.guide}:{self.line} ({self.name})"


@dataclass(frozen=True)
class Block:
    guide: str
    line: int
    language: str
    text: str
    marker: re.Match[str] | None


def fenced_blocks(guide: str) -> list[Block]:
    """Every fenced block of a guide, with the example marker right above it, if any."""
    text = (DOCS / guide).read_text(encoding="utf-8")
    blocks = []
    for fence in FENCE.finditer(text):
        before = text[: fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        line = text.count("\n", 0, fence.start()) + 1
        marker = MARKER.fullmatch(before.strip())
        blocks.append(Block(guide, line, fence.group(1), fence.group(2), marker))
    return blocks


def read_examples() -> list[Example]:
    examples = []
    for guide in GUIDES:
        for block in fenced_blocks(guide):
            if block.marker is None:
                continue
            name, method, path, status = block.marker.groups()
            request = (method, path, int(status)) if method else None
            examples.append(
                Example(name, block.guide, block.line, block.language, block.text, request)
            )
    return examples


def collected() -> list[Any]:
    # Read at collection so that each example is a test of its own. Without the guides there
    # is nothing to collect, and an empty parameter list would skip: fail instead.
    if not all((DOCS / guide).is_file() for guide in GUIDES):
        return [pytest.param(None, id="guides-missing")]
    return [pytest.param(e, id=e.name) for e in read_examples()] or [
        pytest.param(None, id="no-examples")
    ]


def require_guides() -> None:
    missing = [guide for guide in GUIDES if not (DOCS / guide).is_file()]
    assert not missing, f"the guides {missing} are not in {DOCS}: the examples cannot be checked"


# --- what an example says ---


@dataclass
class Curl:
    method: str
    url: str
    headers: dict[str, str]
    body: str | None


@dataclass
class Answer:
    status: int
    excerpt: Any = None  # the JSON shown, or None when the guide shows only the status


def parse_curl(command: str, variables: dict[str, str]) -> Curl:
    def expand(word: str) -> str:
        def value(match: re.Match[str]) -> str:
            assert match.group(1) in variables, f"the example uses ${match.group(1)}"
            return variables[match.group(1)]

        return re.sub(r"\$([A-Z_]+)", value, word)

    words = [expand(w) for w in shlex.split(command.replace("\\\n", " "))]
    assert words[0] == "curl", command
    method, url, headers, body = "GET", "", {}, None
    rest = iter(words[1:])
    for word in rest:
        if word in ("-X", "--request"):
            method = next(rest)
        elif word in ("-H", "--header"):
            name, _, header_value = next(rest).partition(":")
            headers[name.strip().lower()] = header_value.strip()
        elif word in ("-d", "--data", "--data-raw"):
            body = next(rest)
            method = "POST" if method == "GET" else method
        elif word in ("-s", "--silent", "-i", "--include", "-f", "--fail", "-sf"):
            continue
        else:
            assert not word.startswith("-"), f"curl option {word} is not understood here"
            url = word
    return Curl(method, url, headers, body)


def split_curl_example(text: str) -> tuple[str, Answer]:
    """The command (its lines up to the first comment) and the answer in the comments."""
    lines = text.splitlines()
    commands = [line for line in lines if not line.startswith("#")]
    comments = [line[1:].strip() for line in lines if line.startswith("#")]
    assert sum(line.startswith("curl ") for line in commands) == 1, "one curl per example"
    assert comments, "the example does not say what press answers (`# STATUS …`)"
    status = re.match(r"(\d{3})\b", comments[0])
    assert status, f"the answer's first line is the status, not {comments[0]!r}"
    shown = " ".join(comments[1:])
    return "\n".join(commands), Answer(int(status.group(1)), json_of(shown) if shown else None)


def json_of(text: str) -> Any:
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        raise AssertionError(f"the excerpt is not JSON ({exc}): {text}") from None


def with_values(body: Any, values: dict[str, str], key: str = "") -> Any:
    """A request body with every "…" the guide leaves out replaced by the live value."""
    if isinstance(body, dict):
        return {k: with_values(v, values, k) for k, v in body.items()}
    if isinstance(body, list):
        return [with_values(v, values, key) for v in body]
    if body == PLACEHOLDER:
        assert key in values, f'the example leaves "{key}" out and the test has no value for it'
        return values[key]
    return body


# --- comparing an excerpt with the real answer ---


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def differences(shown: Any, real: Any, where: str = "$") -> list[str]:
    if json_type(shown) != json_type(real):
        return [f"{where}: the guide shows a {json_type(shown)}, press answers {real!r}"]
    found = []
    if isinstance(shown, dict):
        for key, value in shown.items():
            if key not in real:
                found.append(f"{where}.{key}: not in press's answer (it has {sorted(real)})")
                continue
            found += differences(value, real[key], f"{where}.{key}")
            verbatim = key in VERBATIM and PLACEHOLDER not in str(value)
            if verbatim and json_type(value) == json_type(real[key]) and value != real[key]:
                found.append(f"{where}.{key}: the guide shows {value!r}, press {real[key]!r}")
    elif isinstance(shown, list):
        if len(real) < len(shown):
            return [f"{where}: press answers {len(real)} items, fewer than the guide shows"]
        for index, item in enumerate(shown):
            found += differences(item, real[index], f"{where}[{index}]")
    return found


def assert_matches(example: Example, shown: Any, real: Any) -> None:
    found = differences(shown, real)
    assert not found, f"{example} differs from press:\n" + "\n".join(found)


# --- the live app and what the examples read ---


@dataclass
class Live:
    url: str
    variables: dict[str, str]
    values: dict[str, str]  # the values of the "…" the guides leave out
    webhook_secret: str
    receiver: Receiver
    client: httpx.AsyncClient
    deliveries: list[Any] = field(default_factory=list)


@pytest.fixture(scope="module")
async def live() -> AsyncIterator[Live]:
    """press as `uvicorn` runs it, on a database of its own, with a release in every part
    the guide's excerpt shows (contact, decision, correction, event), a withdrawn one, and a
    webhook receiver subscribed to publications."""
    require_guides()
    database_url = await clone_database("docs" + secrets.token_hex(4))
    log_dir = Path(tempfile.mkdtemp(prefix="press-docs-"))
    receiver = Receiver()
    await receiver.start()
    app = start_app(database_url, log_dir)
    try:
        async with httpx.AsyncClient(base_url=app.url, timeout=30) as client:
            await wait_until_up(client, app)
            conn = await connect(database_url)
            try:
                cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
                hashed = cheap.hash(PASSWORD)
                editor = await staff_user(conn, "editor", "officer@city.example", hashed)
                approver = await staff_user(conn, "approver", None, hashed)
            finally:
                await conn.close()
            secret = await subscribe(client, approver, receiver.url)
            release_id = await full_release(client, editor, approver)
            withdrawn_id = await withdrawn_release(client, editor, approver)
            contact_id, journalist_token = await journalist(client, editor)
            await embargoed_release(client, editor, approver)
            token = editor["Authorization"].removeprefix("Bearer ")
            yield Live(
                url=app.url,
                variables={
                    "PRESS": app.url,
                    "TOKEN": token,
                    "ID": release_id,
                    "WITHDRAWN_ID": withdrawn_id,
                    "CONTACT_ID": contact_id,
                    "JOURNALIST_TOKEN": journalist_token,
                },
                values={"password": PASSWORD},
                webhook_secret=secret,
                receiver=receiver,
                client=client,
            )
    finally:
        app.stop()
        await receiver.stop()
        await drop_database(database_url)
        shutil.rmtree(log_dir, ignore_errors=True)


async def call(
    client: httpx.AsyncClient, method: str, path: str, who: dict[str, str], body: object = None
) -> Any:
    response = await client.request(method, path, json=body, headers=who)
    assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
    return response.json() if response.content else None


async def subscribe(client: httpx.AsyncClient, approver: dict[str, str], url: str) -> str:
    body = {"url": url, "event_types": ["release.published"]}
    created = await call(client, "POST", "/api/v1/manage/webhooks", approver, body)
    secret: str = created["secret"]
    return secret


def release_body(title: str, **more: object) -> dict[str, object]:
    translations = {
        "fi": {"title": title, "lead": "Talousarvio hyväksyttiin.", "body": "**Talousarvio**."},
        "sv": {"title": "Stadsstyrelsen beslöt om budgeten", "body": "**Budgeten**."},
        "en": {"title": "The City Board decided on the budget", "body": "**The budget**."},
    }
    return {"source": "city-board", "topics": ["economy"], "translations": translations, **more}


async def published(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str], body: object
) -> str:
    manage = "/api/v1/manage/releases"
    release_id: str = (await call(client, "POST", manage, editor, body))["id"]
    await call(client, "POST", f"{manage}/{release_id}/submit", editor)
    await call(client, "POST", f"{manage}/{release_id}/approve", approver)
    await call(client, "POST", f"{manage}/{release_id}/publish", editor, {})
    return release_id


async def full_release(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str]
) -> str:
    contact = {"name": "Aino Lehtinen", "phone": "+358 9 310 25101", "email": "aino@city.example"}
    contact_id = (await call(client, "POST", "/api/v1/manage/media-contacts", editor, contact))[
        "id"
    ]
    decision = {"id": "HEL 2026-012345", "url": "https://paatokset.example.fi/hel-2026-012345"}
    body = release_body("Kaupunginhallitus päätti talousarviosta", contacts=[contact_id])
    release_id = await published(client, editor, approver, {**body, "decision": decision})
    manage = f"/api/v1/manage/releases/{release_id}"
    await call(client, "POST", f"{manage}/correct", editor, {"note": "Korjattu vuosiluku."})
    await call(client, "POST", f"{manage}/approve-change", approver)
    event = {
        "source": "city-board",
        "translations": {"fi": {"title": "Tiedotustilaisuus"}},
        "starts_at": "2026-12-01T10:00:00+02:00",
        "ends_at": "2026-12-01T11:00:00+02:00",
        "releases": [release_id],
    }
    await call(client, "POST", "/api/v1/manage/events", editor, event)
    return release_id


async def withdrawn_release(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str]
) -> str:
    body = release_body("Kaupunginhallitus palautti asian valmisteluun")
    release_id = await published(client, editor, approver, body)
    withdrawal = {"reason": "Asia palautettiin valmisteluun."}
    await call(
        client, "POST", f"/api/v1/manage/releases/{release_id}/withdraw", approver, withdrawal
    )
    return release_id


async def journalist(client: httpx.AsyncClient, editor: dict[str, str]) -> tuple[str, str]:
    """An accredited journalist's contact id and API token."""
    contact = {"name": "Reetta Toimittaja", "email": "reetta@news.example", "embargo_access": True}
    contact_id: str = (await call(client, "POST", "/api/v1/manage/contacts", editor, contact))["id"]
    tokens = f"/api/v1/manage/contacts/{contact_id}/tokens"
    token: str = (await call(client, "POST", tokens, editor, {}))["token"]
    return contact_id, token


async def embargoed_release(
    client: httpx.AsyncClient, editor: dict[str, str], approver: dict[str, str]
) -> None:
    """A release scheduled a day from now under embargo, with terms."""
    body = release_body("Kaupunginhallitus esittää talousarviota", embargo_terms="Ei ennen klo 9.")
    manage = "/api/v1/manage/releases"
    release_id = (await call(client, "POST", manage, editor, body))["id"]
    await call(client, "POST", f"{manage}/{release_id}/submit", editor)
    await call(client, "POST", f"{manage}/{release_id}/approve", approver)
    lift = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    schedule = {"at": lift, "embargo": True}
    await call(client, "POST", f"{manage}/{release_id}/publish", editor, schedule)


async def delivery_of(live: Live, release_id: str) -> tuple[dict[str, str], bytes]:
    """The headers and body of the webhook press sent for `release_id`'s publication."""

    def sent() -> list[Any]:
        return [r for r in live.receiver.requests if r.json()["data"]["id"] == release_id]

    await eventually(sent, within=20)
    delivery = sent()[0]
    return delivery.headers, delivery.body


# --- the tests ---


def test_every_curl_and_json_block_of_the_guides_is_an_example() -> None:
    require_guides()
    unmarked = [
        f"docs/{block.guide}:{block.line}"
        for guide in GUIDES
        for block in fenced_blocks(guide)
        if block.marker is None and (block.language == "json" or "curl " in block.text)
    ]
    assert not unmarked, f"examples no test runs (mark them `<!-- example: NAME -->`): {unmarked}"
    names = [e.name for e in read_examples()]
    assert len(names) == len(set(names)), f"example names must be unique: {sorted(names)}"


@pytest.mark.parametrize("example", collected())
async def test_the_guides_example_matches_the_live_service(
    example: Example | None, live: Live
) -> None:
    require_guides()
    assert example is not None, f"no `<!-- example: … -->` found in {DOCS}"
    runners: dict[str, Callable[[Example, Live], Any]] = {
        "webhook": check_webhook_payload,
        "verify-webhook": check_webhook_verification,
    }
    if example.name in runners:
        await runners[example.name](example, live)
    elif "curl " in example.text:
        await check_curl_example(example, live)
    else:
        await check_excerpt(example, live)


async def check_curl_example(example: Example, live: Live) -> None:
    command, answer = split_curl_example(example.text)
    curl = parse_curl(command, live.variables)
    body = None
    if curl.body is not None:
        body = msgspec.json.encode(with_values(json_of(curl.body), live.values))
    response = await live.client.request(curl.method, curl.url, headers=curl.headers, content=body)
    assert response.status_code == answer.status, (
        f"{example}: the guide says {answer.status}, press answers"
        f" {response.status_code} {response.text}"
    )
    if answer.excerpt is not None:
        assert_matches(example, answer.excerpt, response.json())


async def check_excerpt(example: Example, live: Live) -> None:
    assert example.request, f"{example}: the marker names no request (`, GET /path 200`)"
    assert example.language == "json", f"{example}: an excerpt is a JSON block"
    method, path, status = example.request
    url = parse_curl(f"curl {path}", live.variables).url
    response = await live.client.request(method, url)
    assert response.status_code == status, f"{example}: {response.status_code} {response.text}"
    assert_matches(example, json_of(example.text), response.json())


async def check_webhook_payload(example: Example, live: Live) -> None:
    _, body = await delivery_of(live, live.variables["ID"])
    assert_matches(example, json_of(example.text), msgspec.json.decode(body))


async def check_webhook_verification(example: Example, live: Live) -> None:
    assert example.language == "python", example
    namespace: dict[str, Any] = {}
    # The guide's own code, as an integrator would paste it.
    exec(compile(example.text, str(example), "exec"), namespace)
    headers, body = await delivery_of(live, live.variables["ID"])
    verify = namespace["verify"]
    assert verify(live.webhook_secret, headers, body), f"{example} refuses press's own delivery"
    assert not verify(live.webhook_secret, headers, body + b" "), f"{example} takes any body"
