"""The embargo probe: releases lifting a few seconds ahead, every public surface polled.

Each trial schedules one release about 2.5 s ahead, alternately with plain SQL and through
the staff API of instance A, and polls every public surface of every instance every 50 ms
with all caches on. Polls answered before the lift (wall clock, which the database shares on
this machine) must not show it; each surface must show it within 1 s after the lift and keep
showing it. A release scheduled through the API is then withdrawn through instance B, and
every surface of every instance must stop showing it within 1 s.
"""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import asyncpg
import httpx

from press.staff import repository as staff_repository
from press.staff.auth import STAFF_TOKEN_PREFIX

LEAD_SECONDS = 2.5
POLL_SECONDS = 0.05
AFTER_LIFT_SECONDS = 3.0
LIMIT_SECONDS = 1.0
SURFACES = {
    "list": "/api/v1/releases",
    "list ?lang=sv": "/api/v1/releases?lang=sv",
    "list ?source&topic": "/api/v1/releases?source=city-board&topic=economy",
    "search": "/api/v1/releases?q={token}",
    "detail": "/api/v1/releases/{id}",
    "page": "/releases/{id}",
    "releases.rss": "/feeds/releases.rss",
    "releases.atom": "/feeds/releases.atom",
}


@dataclass
class Trial:
    number: int
    via: str
    early: int = 0
    errors: int = 0
    lag: dict[str, float] = field(default_factory=dict)  # "instance surface" -> seconds
    flaps: int = 0
    withdraw_lag: dict[str, float] = field(default_factory=dict)

    @property
    def worst_lag(self) -> float:
        return max(self.lag.values(), default=float("inf"))

    @property
    def worst_withdraw_lag(self) -> float:
        return max(self.withdraw_lag.values(), default=0.0)


@dataclass
class Poll:
    sent: float
    received: float
    visible: bool
    status: int


def _translations(token: str) -> dict[str, dict[str, str]]:
    return {
        "fi": {
            "title": f"Kaupunginhallitus päätti {token}",
            "lead": "Luotain.",
            "body": f"Päätös {token} tulee voimaan heti.",
        },
        "sv": {
            "title": f"Stadsstyrelsen beslöt {token}",
            "lead": "Sond.",
            "body": f"Beslutet {token} träder i kraft genast.",
        },
        "en": {
            "title": f"The City Board decided {token}",
            "lead": "Probe.",
            "body": f"Decision {token} takes effect at once.",
        },
    }


async def staff_tokens(conn: asyncpg.Connection) -> dict[str, str]:
    """Bearer tokens of an editor and an approver made for the probe."""
    tokens = {}
    for role in ("editor", "approver"):
        user = await staff_repository.create_staff_user(
            conn,
            f"bench-{role}-{secrets.token_hex(4)}@example.org",
            f"Bench {role}",
            role,
            "not-a-password-hash",
        )
        token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(32)
        await staff_repository.create_staff_token(conn, user.id, token, 12)
        tokens[role] = token
    return tokens


async def schedule_with_sql(conn: asyncpg.Connection, token: str) -> tuple[str, float]:
    release_id = uuid.uuid4()
    async with conn.transaction():
        lift = await conn.fetchval(
            """INSERT INTO releases (id, source, state, publish_at, embargo)
               VALUES ($1, 'city-board', 'scheduled',
                       statement_timestamp() + make_interval(secs => $2), true)
               RETURNING publish_at""",
            release_id,
            LEAD_SECONDS,
        )
        for lang, text in _translations(token).items():
            await conn.execute(
                """INSERT INTO release_translations (release_id, lang, title, lead, body,
                                                     body_html, slug)
                   VALUES ($1, $2, $3, $4, $5, '<p>' || $5 || '</p>', $6)""",
                release_id,
                lang,
                text["title"],
                text["lead"],
                text["body"],
                f"{token}-{lang}",
            )
        await conn.execute(
            "INSERT INTO release_topics (release_id, topic) VALUES ($1, 'economy')", release_id
        )
    return str(release_id), lift.timestamp()


async def schedule_with_api(
    client: httpx.AsyncClient, conn: asyncpg.Connection, tokens: dict[str, str], token: str
) -> tuple[str, float]:
    editor = {"Authorization": f"Bearer {tokens['editor']}"}
    approver = {"Authorization": f"Bearer {tokens['approver']}"}
    body = {"source": "city-board", "topics": ["economy"], "translations": _translations(token)}
    created = await client.post("/api/v1/manage/releases", json=body, headers=editor)
    created.raise_for_status()
    release = f"/api/v1/manage/releases/{created.json()['id']}"
    (await client.post(f"{release}/submit", headers=editor)).raise_for_status()
    (await client.post(f"{release}/approve", headers=approver)).raise_for_status()
    now = await conn.fetchval("SELECT statement_timestamp()")
    at = now + timedelta(seconds=LEAD_SECONDS)
    published = await client.post(
        f"{release}/publish", json={"at": at.isoformat(), "embargo": True}, headers=editor
    )
    published.raise_for_status()
    return created.json()["id"], at.timestamp()


async def _poll(
    client: httpx.AsyncClient, path: str, release_id: str, until: float, polls: list[Poll]
) -> None:
    tick = time.perf_counter()
    while time.time() < until:
        sent = time.time()
        response = await client.get(path)
        received = time.time()
        visible = response.status_code == 200 and release_id in response.text
        polls.append(Poll(sent, received, visible, response.status_code))
        tick += POLL_SECONDS
        await asyncio.sleep(max(0.0, tick - time.perf_counter()))


async def _watch(
    clients: dict[str, httpx.AsyncClient],
    surfaces: dict[str, str],
    release_id: str,
    token: str,
    until: float,
) -> dict[str, list[Poll]]:
    record: dict[str, list[Poll]] = {}
    tasks = []
    for instance, client in clients.items():
        for name, template in surfaces.items():
            polls = record.setdefault(f"{instance} {name}", [])
            path = template.format(id=release_id, token=token)
            tasks.append(_poll(client, path, release_id, until, polls))
    await asyncio.gather(*tasks)
    return record


async def run_trial(
    number: int,
    clients: dict[str, httpx.AsyncClient],
    surfaces: dict[str, str],
    conn: asyncpg.Connection,
    tokens: dict[str, str],
) -> Trial:
    token = f"luotain{number:02d}{secrets.token_hex(3)}"
    via = "sql" if number % 2 == 0 else "api via A"
    if via == "sql":
        release_id, lift = await schedule_with_sql(conn, token)
    else:
        release_id, lift = await schedule_with_api(clients["A"], conn, tokens, token)
    record = await _watch(clients, surfaces, release_id, token, lift + AFTER_LIFT_SECONDS)
    trial = Trial(number, via)
    for key, polls in record.items():
        trial.errors += sum(p.status >= 500 for p in polls)
        trial.early += sum(p.visible and p.received < lift for p in polls)
        first = next((i for i, p in enumerate(polls) if p.visible), None)
        if first is None:
            trial.lag[key] = float("inf")
            continue
        trial.lag[key] = max(0.0, polls[first].received - lift)
        trial.flaps += sum(not p.visible for p in polls[first:])
    if via != "sql":
        trial.withdraw_lag = await _withdraw_via_b(clients, surfaces, tokens, release_id, token)
    return trial


async def _withdraw_via_b(
    clients: dict[str, httpx.AsyncClient],
    surfaces: dict[str, str],
    tokens: dict[str, str],
    release_id: str,
    token: str,
) -> dict[str, float]:
    client = clients.get("B", clients["A"])
    response = await client.post(
        f"/api/v1/manage/releases/{release_id}/withdraw",
        json={"reason": "Probe."},
        headers={"Authorization": f"Bearer {tokens['editor']}"},
    )
    response.raise_for_status()
    done = time.time()
    record = await _watch(clients, surfaces, release_id, token, done + AFTER_LIFT_SECONDS)
    lags = {}
    for key, polls in record.items():
        last_visible = max((p.received for p in polls if p.visible), default=None)
        lags[key] = 0.0 if last_visible is None else last_visible - done
    return lags
