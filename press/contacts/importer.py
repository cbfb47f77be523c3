"""Importing contact spreadsheets and exporting the registry.

An import is all-or-nothing for its valid rows: they go in within one transaction (a
savepoint inside the request's), bad rows are reported with their row numbers and reasons,
and a dry run does the same work and rolls it back, so its report is exact. Re-importing a
file changes nothing: a row whose address is in the registry already is counted unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import asyncpg

from press.contacts import csvfile, repository
from press.contacts.schemas import (
    Contact,
    ContactCreate,
    ImportReport,
    ImportRowProblem,
    OutletLink,
)
from press.staff.repository import record_audit
from press.staff.schemas import StaffUser

if TYPE_CHECKING:
    from press.contacts.controllers import ContactFilters

EXPORT_HEADER = [
    "name", "email", "other_emails", "phones", "outlet", "role", "country", "languages",
    "beats", "sources", "tags", "notes", "status", "accredited_until",
]  # fmt: skip


class _DryRun(Exception):
    """Raised inside the import savepoint to roll a dry run back."""


async def _known(conn: asyncpg.Connection, table: str) -> set[str]:
    # `table` is one of two literals below, never input.
    return {r["slug"] for r in await conn.fetch(f"SELECT slug FROM {table}")}


async def import_contacts(
    conn: asyncpg.Connection,
    raw: bytes,
    secret_key: str,
    *,
    dry_run: bool,
    user: StaffUser | None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    columns, rows = csvfile.read_rows(raw)
    topics, sources = await _known(conn, "topics"), await _known(conn, "sources")
    seen: dict[str, int] = {}
    created: list[str] = []
    unchanged = 0
    try:
        async with conn.transaction():
            for done, row in enumerate(rows, 1):
                outcome = await _import_row(conn, row, seen, topics, sources, secret_key)
                if outcome == "created":
                    created.append(row.values["email"])
                elif outcome == "unchanged":
                    unchanged += 1
                if progress is not None:
                    progress(done, len(rows))
            if created:
                await record_audit(
                    conn, user, "contact.import", "contact", None, {"created": len(created)}
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    rejected = [ImportRowProblem(row=r.number, reasons=r.reasons) for r in rows if r.reasons]
    return ImportReport(
        dry_run=dry_run,
        rows=len(rows),
        created=len(created),
        unchanged=unchanged,
        rejected=rejected,
        columns=columns,
    )


async def _import_row(
    conn: asyncpg.Connection,
    row: csvfile.Row,
    seen: dict[str, int],
    topics: set[str],
    sources: set[str],
    secret_key: str,
) -> str:
    values = row.values
    row.reasons.extend(f"unknown topic {t!r}" for t in values.get("beats", []) if t not in topics)
    row.reasons.extend(
        f"unknown source {s!r}" for s in values.get("sources", []) if s not in sources
    )
    email = values["email"]
    if email and email in seen:
        row.reasons.append(f"the same e-mail address as row {seen[email]}")
    seen.setdefault(email, row.number)
    if row.reasons:
        return "rejected"
    addresses = [email, *values["other_emails"]]
    if await repository.is_suppressed(
        conn, [repository.email_hash(secret_key, a) for a in addresses]
    ):
        row.reasons.append("the address belongs to a person erased at their request")
        return "rejected"
    if await repository.contact_with_emails(conn, addresses) is not None:
        return "unchanged"
    links = []
    if values.get("outlet"):
        outlet_id = await repository.outlet_by_name(conn, values["outlet"])
        if outlet_id is None:
            outlet = await repository.create_outlet(
                conn,
                {"name": values["outlet"], "kind": "other", "country": values["country"],
                 "languages": [], "website": ""},
            )  # fmt: skip
            outlet_id = outlet.id
        links.append(OutletLink(id=outlet_id, role=values.get("role", "")))
    data = ContactCreate(
        name=values["name"],
        email=email,
        other_emails=values["other_emails"],
        phones=values.get("phones", []),
        country=values["country"],
        languages=values["languages"],
        beats=values.get("beats", []),
        sources=values.get("sources", []),
        notes=values.get("notes", ""),
        tags=values.get("tags", []),
    )
    contact_id = await repository.create_contact(conn, data)
    await repository.set_contact_outlets(conn, contact_id, links)
    return "created"


async def all_contacts(conn: asyncpg.Connection, filters: ContactFilters) -> list[Contact]:
    from msgspec.structs import asdict

    return await repository.list_contacts(conn, **asdict(filters), after=None, limit=1_000_000)


def contacts_csv(contacts: list[Contact]) -> bytes:
    def cells(c: Contact) -> list[str]:
        first = c.outlets[0] if c.outlets else None
        return [
            c.name, c.email, "|".join(c.other_emails), "|".join(c.phones),
            first.name if first else "", first.role if first else "", c.country,
            "|".join(c.languages), "|".join(c.beats), "|".join(c.sources), "|".join(c.tags),
            c.notes, c.status, c.accredited_until.isoformat() if c.accredited_until else "",
        ]  # fmt: skip

    return csvfile.write_csv(EXPORT_HEADER, (cells(c) for c in contacts))
