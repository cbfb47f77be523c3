"""Loading the demo: releases in every state with photos and documents, staff users,
contacts and events, for trying press out. The content is data (press.demo.content)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg

from press.archive.files import attach_file, check_release_alt_texts
from press.demo import content
from press.demo.media import keep_demo_files
from press.outbox import add_event, publication_key
from press.releases import repository
from press.releases.schemas import Decision, ReleaseCreate, TranslationIn
from press.settings import Settings
from press.staff import repository as staff_repository
from press.staff.auth import hash_password
from press.staff.schemas import StaffUser

_MARK = "SELECT EXISTS (SELECT 1 FROM staff_users WHERE lower(email) = lower($1))"
# Plans that make a release public or scheduled: its images need alt texts, as when publishing.
_PUBLIC_PLANS = ("published", "withdrawn", "corrected", "scheduled", "embargo")


async def load_demo(
    conn: asyncpg.Connection, settings: Settings
) -> list[tuple[str, str, str]] | None:
    """Load the demo once; return (email, role, password) of the demo staff, or None when the
    demo was loaded before. Files are stored in the storage `settings` choose."""
    staff = content.read_json("staff.json")
    async with conn.transaction():
        if await conn.fetchval(_MARK, staff[0]["email"]):
            return None
        credentials = []
        users: dict[str, StaffUser] = {}
        for person in staff:
            password = secrets.token_urlsafe(12)
            users[person["role"]] = await staff_repository.create_staff_user(
                conn, person["email"], person["name"], person["role"], await hash_password(password)
            )
            credentials.append((person["email"], person["role"], password))
        contact_ids = [
            await _media_contact(conn, index, c)
            for index, c in enumerate(content.read_json("media-contacts.json"))
        ]
        for journalist in content.read_json("journalists.json"):
            await conn.execute(
                "INSERT INTO contacts (name, email, embargo_access) VALUES ($1, $2, $3)",
                journalist["name"],
                journalist["email"],
                journalist["embargo_access"],
            )
        files = await keep_demo_files(conn, settings, users["editor"])
        for release in content.releases():
            await _release(conn, release, users, contact_ids, files)
        for event in content.read_json("events.json"):
            await _event(conn, event, contact_ids[0], users["editor"].id)
        return credentials


async def _event(
    conn: asyncpg.Connection, spec: Mapping[str, Any], contact_id: UUID, author: UUID
) -> None:
    # At the given local hour in Helsinki, so the demo calendar looks like a real one.
    await conn.execute(
        """INSERT INTO events (source, translations, starts_at, ends_at, location_name,
               location_address, latitude, longitude, online_url, accreditation_required,
               contact_id, status, created_by)
           SELECT $1, $2, start, start + make_interval(hours => $4), $5, $6, $7, $8, $9, $10,
                  $11, $12, $13
           FROM (SELECT ((current_date + $3::int)::timestamp + make_interval(hours => $14))
                        AT TIME ZONE 'Europe/Helsinki' AS start) AS s""",
        spec["source"],
        spec["translations"],
        spec["days_ahead"],
        spec["hours"],
        spec["location_name"],
        spec["location_address"],
        spec["lat"],
        spec["lon"],
        spec.get("online_url"),
        spec["accreditation_required"],
        contact_id,
        spec.get("status", "confirmed"),
        author,
        spec["hour"],
    )


async def _media_contact(conn: asyncpg.Connection, index: int, contact: Mapping[str, Any]) -> UUID:
    contact_id: UUID = await conn.fetchval(
        """INSERT INTO media_contacts (name, title, phone, email, topics, languages, position)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id""",
        contact["name"],
        contact["title"],
        contact["phone"],
        contact["email"],
        contact["topics"],
        contact["languages"],
        index,
    )
    return contact_id


async def _release(
    conn: asyncpg.Connection,
    spec: Mapping[str, Any],
    users: Mapping[str, StaffUser],
    contact_ids: list[UUID],
    files: Mapping[str, UUID],
) -> None:
    translations = {lang: TranslationIn(**text) for lang, text in spec["translations"].items()}
    decision = spec.get("decision")
    data = ReleaseCreate(
        source=spec["source"],
        topics=list(spec["topics"]),
        translations=translations,
        contacts=[contact_ids[i] for i in spec.get("contacts", [])],
        decision=Decision(**decision) if decision else None,
        embargo_terms=str(spec.get("embargo_terms", "")),
    )
    release_id = await repository.create_release(conn, data, users["editor"].id)
    # Attached while a draft, as an editor would before publishing: no release.updated yet.
    for position, name in enumerate(spec.get("files", [])):
        await attach_file(conn, files[name], release_id, position, users["editor"])
    plan = spec["plan"]
    if plan in _PUBLIC_PLANS:
        await check_release_alt_texts(conn, release_id)
    now = await conn.fetchval("SELECT statement_timestamp()")
    if plan in ("published", "withdrawn", "corrected"):
        publish_at = now - timedelta(
            days=int(spec.get("days_ago", 1)),
            hours=len(str(spec["key"])) % 9,
        )
        await _set(conn, release_id, "published", publish_at, False, users)
        await add_event(
            conn,
            "release.published",
            release_id,
            publication_key(release_id, publish_at),
            {"id": str(release_id)},
        )
    elif plan in ("scheduled", "embargo"):
        publish_at = now + timedelta(hours=int(spec.get("in_hours", 24)))
        await _set(conn, release_id, "scheduled", publish_at, plan == "embargo", users)
    elif plan == "in_review":
        await conn.execute(
            "UPDATE releases SET state = 'in_review', submitted_by = $2 WHERE id = $1",
            release_id,
            users["editor"].id,
        )
    if plan == "withdrawn":
        await conn.execute(
            "UPDATE releases SET state = 'withdrawn', withdrawn_at = statement_timestamp(), "
            "withdrawal_reason = $2, withdrawal_note = $3 WHERE id = $1",
            release_id,
            spec.get("reason", ""),
            spec.get("public_note"),
        )
    await repository.settle_slugs(conn, release_id)
    if plan == "corrected":
        correction: Mapping[str, str] = spec["correction"]
        fi = translations["fi"]
        await repository.put_translation(
            conn,
            release_id,
            "fi",
            TranslationIn(title=fi.title, lead=fi.lead, body=correction["fi_body_fix"]),
            keep_slug=await conn.fetchval(
                "SELECT slug FROM release_translations WHERE release_id = $1 AND lang = 'fi'",
                release_id,
            ),
        )
        await conn.execute(
            "INSERT INTO release_revisions (release_id, version, kind, note, snapshot) "
            "VALUES ($1, 1, 'correction', $2, '{}')",
            release_id,
            correction["note"],
        )


async def _set(
    conn: asyncpg.Connection,
    release_id: UUID,
    state: str,
    publish_at: datetime,
    embargo: bool,
    users: Mapping[str, StaffUser],
) -> None:
    await conn.execute(
        "UPDATE releases SET state = $2, publish_at = $3, embargo = $4, submitted_by = $5, "
        "approved_by = $6 WHERE id = $1",
        release_id,
        state,
        publish_at,
        embargo,
        users["editor"].id,
        users["approver"].id,
    )
