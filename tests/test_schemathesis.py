"""Property-based HTTP testing of the whole OpenAPI contract with schemathesis, against a real
server process: no input yields a 500, every answer (status, media type, headers, body) is
one the document describes, invalid input is refused, auth is never ignored, and no
anonymous response of any public operation carries a word that appears only in an embargoed
release."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import yaml

from press.staff import repository as staff_repository
from press.staff.auth import STAFF_TOKEN_PREFIX, hash_password
from tests.embargo.processes import start_app, wait_until_up

HOOKS = Path(__file__).with_name("schemathesis_hooks.py")

PUBLIC_PATHS = r"^/(api/v1/(releases|events|files|sources|topics|media-contacts|archive|media-bank)|feeds/releases|feeds/events)"  # noqa: E501
CANARY_RELEASE = """
WITH r AS (INSERT INTO releases (source, state, publish_at, embargo)
           VALUES ('city-board', 'scheduled', statement_timestamp() + interval '1 day', true)
           RETURNING id)
INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug)
SELECT id, 'fi', $1, $1, $1, $1, 'salainen-' || substr(id::text, 1, 8) FROM r
"""
PUBLIC_RELEASE = """
WITH r AS (INSERT INTO releases (source, state, publish_at)
           VALUES ('city-board', 'published', statement_timestamp()) RETURNING id)
INSERT INTO release_translations (release_id, lang, title, slug)
SELECT id, 'fi', 'Julkinen tiedote', 'julkinen-tiedote' FROM r
"""


DEFAULT_CHECKS = ("--checks", "all")
# Operations that would sign the staff run out: revoking the token sent with the request, or
# every token of the run's own user (whose id the run reads from the user list), or taking
# its role, password or account away. Every later operation would answer only 401. Their own
# tests cover them.
SIGNING_OUT = (
    "DELETE /api/v1/auth/token",
    "POST /api/v1/manage/users/{user_id}/revoke-tokens",
    "POST /api/v1/manage/users/{user_id}/disable",
    "PUT /api/v1/manage/users/{user_id}/password",
    "PUT /api/v1/manage/users/{user_id}/role",
)
# `positive_data_acceptance` wants every request that fits the document accepted. Where press
# refuses such a request by a rule JSON Schema cannot state, the operation and the status of
# that refusal are named here, and the check accepts that status for that operation alone.
# Added from the document: every operation taking a `cursor` (opaque: only a `next` link is
# one; 422), and every PATCH (it needs the ETag read in If-Match: 428, or 412 for another).
# A key the run already sent with another request is made unique before it is sent again
# (tests/schemathesis_hooks.py), so an `Idempotency-Key` needs no exception.
REFUSED_BY_RULE: dict[str, tuple[int, ...]] = {
    # What exists: a source is one of press's rows, not a pattern.
    "POST /api/v1/manage/releases": (422,),
    "POST /api/v1/manage/events": (422,),
    # An image attached to a public release needs alt text in each of its languages.
    "POST /api/v1/manage/files/{file_id}/releases": (422,),
    # A file is checked by its bytes (JPEG, PDF, ...), a contact list is read as UTF-8 CSV.
    "POST /api/v1/manage/files": (415,),
    "POST /api/v1/manage/contacts/import": (422,),
    # A webhook's secret must be base64 that decodes to 24 to 64 bytes, which the pattern
    # of its characters does not fully say.
    "POST /api/v1/manage/webhooks": (422,),
    # A password must also be hard to guess (press.staff.passwords).
    "POST /api/v1/manage/users": (422,),
    # expires_at must lie in the future.
    "POST /api/v1/journalist/tokens": (422,),
    # msgspec's `\s` in the e-mail pattern is Python's, which also matches \x1c-\x1f; the
    # document's is read as ECMA-262's, which does not.
    "POST /api/v1/manage/contacts": (422,),
}
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]  # the check's default
# The journalist's operations are sent with a journalist's token, the rest with staff's.
JOURNALIST_OPERATIONS = """
[[operations]]
include-path-regex = '^/api/v1/(journalist|embargoed)/'
headers = {{ Authorization = "Bearer {token}" }}
"""


def refused_by_rule(document: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    refused = dict(REFUSED_BY_RULE)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            name = f"{method.upper()} {path}"
            if any(p["name"] == "cursor" for p in operation.get("parameters", [])):
                refused[name] = (*refused.get(name, ()), 422)
            if method == "patch":
                refused[name] = (*refused.get(name, ()), 412, 428)
    return refused


def config_toml(journalist: str, refused: dict[str, tuple[int, ...]]) -> str:
    """schemathesis's configuration (TOML; a JSON string or list of strings is TOML too)."""
    sections = [JOURNALIST_OPERATIONS.format(token=journalist)]
    for name, statuses in refused.items():
        accepted = json.dumps([*ACCEPTED, *map(str, statuses)])
        sections.append(
            f"[[operations]]\ninclude-name = {json.dumps(name)}\n"
            f"checks.positive_data_acceptance.expected-statuses = {accepted}\n"
        )
    return "\n".join(sections)


def schemathesis(
    url: str, report: Path, *args: str, config: Path
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        f"{url}/schema/openapi.json",
        "--max-examples",
        "3",
        "--seed",
        "1",
        "--workers",
        "2",
        "--no-color",
        # A loaded CI machine must not turn slowness into a failure: the checks are about
        # answers, not speed. Generated examples and fuzzing only: the coverage phase has
        # failed inside schemathesis itself (a runtime error, not a finding) under load.
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "30",
        "--phases",
        "examples,fuzzing",
        "--report",
        "vcr",
        "--report-vcr-path",
        str(report),
        *args,
    ]
    # Run in the report's folder: schemathesis keeps a cache in its working directory, and
    # `python -m` finds the hooks module there.
    shutil.copy(HOOKS, report.parent / "press_schemathesis_hooks.py")
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "press_schemathesis_hooks"}
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        cwd=report.parent,
        env=env,
    )


async def journalist_token(client: httpx.AsyncClient, staff_token: str) -> str:
    """A token of an accredited journalist, issued as staff issue one."""
    staff = {"Authorization": f"Bearer {staff_token}"}
    contact = await client.post(
        "/api/v1/manage/contacts",
        json={"name": "Maija Fuzz", "email": "maija@news.example", "embargo_access": True},
        headers=staff,
    )
    assert contact.status_code == 201, contact.text
    issued = await client.post(
        f"/api/v1/manage/contacts/{contact.json()['id']}/tokens", json={}, headers=staff
    )
    assert issued.status_code == 201, issued.text
    token: str = issued.json()["token"]
    return token


def probed_without_credentials(report: Path) -> set[str]:
    """The paths a run sent a request to without the token it was given, and was refused:
    `ignored_auth` does that after an answer with the token succeeded."""
    refused = set()
    for interaction in yaml.safe_load(report.read_text())["http_interactions"]:
        request = interaction["request"]
        if "Authorization" not in request["headers"] and interaction["response"]["status"][
            "code"
        ] in ("401", "403"):
            refused.add(httpx.URL(request["uri"]).path)
    return refused


async def test_no_input_breaks_the_api_and_no_embargoed_word_leaks(
    fresh_database_url: str, tmp_path: Path
) -> None:
    canary = "kanarialintu" + secrets.token_hex(4)
    conn = await asyncpg.connect(fresh_database_url)
    try:
        await conn.execute(PUBLIC_RELEASE)
        user = await staff_repository.create_staff_user(
            conn, "fuzz@city.example", "Fuzz", "admin", await hash_password("x" * 16)
        )
        token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(16)
        await staff_repository.create_staff_token(conn, user.id, token, 1)
    finally:
        await conn.close()
    app = start_app(fresh_database_url, tmp_path, PRESS_NO_WORKERS="1")
    try:
        async with httpx.AsyncClient(base_url=app.url) as client:
            await wait_until_up(client, app)
            journalist = await journalist_token(client, token)
            document = (await client.get("/schema/openapi.json")).json()
        config = tmp_path / "schemathesis.toml"
        config.write_text(config_toml(journalist, refused_by_rule(document)))
        staff_run = schemathesis(
            app.url,
            tmp_path / "staff.yaml",
            "-H",
            f"Authorization: Bearer {token}",
            *(arg for name in SIGNING_OUT for arg in ("--exclude-name", name)),
            *DEFAULT_CHECKS,
            config=config,
        )
        assert staff_run.returncode == 0, staff_run.stdout[-4000:]
        # Only now: staff may publish any release, and the staff run, signed in as an admin,
        # does publish what it finds. What must not leak is a release under embargo.
        conn = await asyncpg.connect(fresh_database_url)
        try:
            await conn.execute(CANARY_RELEASE, canary)
        finally:
            await conn.close()
        public_run = schemathesis(
            app.url,
            tmp_path / "public.yaml",
            "--include-path-regex",
            PUBLIC_PATHS,
            *DEFAULT_CHECKS,
            config=config,
        )
        assert public_run.returncode == 0, public_run.stdout[-4000:]
    finally:
        app.stop()
    signed_in = probed_without_credentials(tmp_path / "staff.yaml")
    assert {"/api/v1/manage/releases", "/api/v1/journalist/profile"} <= signed_in, signed_in
    anonymous = (tmp_path / "public.yaml").read_text()
    assert "/api/v1/releases" in anonymous, "the public operations were exercised"
    assert canary not in anonymous
