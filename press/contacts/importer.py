"""Importing contact spreadsheets and exporting the registry.

An import is all-or-nothing for its valid rows: they go in within one transaction (a
savepoint inside the request's), bad rows are reported with their row numbers and reasons,
and a dry run does the same work and rolls it back, so its report is exact. Re-importing a
file changes nothing: a row whose address is in the registry already is counted unchanged.

The work is done over all rows at once, not row by row: the file's own checks in Python,
then one query for suppressed addresses and one for addresses in the registry, then the
new contacts, their outlets and links inserted a few thousand rows per statement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import asyncpg

from press.contacts import csvfile, repository
from press.contacts.schemas import Contact, ImportReport, ImportRowProblem
from press.errors import InvalidInput
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser

if TYPE_CHECKING:
    from press.contacts.controllers import ContactFilters

EXPORT_HEADER = [
    "name", "email", "other_emails", "phones", "outlet", "role", "country", "languages",
    "beats", "sources", "tags", "notes", "status", "accredited_until",
]  # fmt: skip


# Rows per INSERT: statements of a bounded size, and progress to report between them.
BATCH = 2_000


class _DryRun(Exception):
    """Raised inside the import savepoint to roll a dry run back."""


async def _known(conn: asyncpg.Connection, table: str) -> set[str]:
    # `table` is one of two literals below, never input.
    return {r["slug"] for r in await conn.fetch(f"SELECT slug FROM {table}")}


async def import_file(
    conn: asyncpg.Connection,
    raw: bytes,
    secret_key: str,
    *,
    dry_run: bool,
    user: StaffUser,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """A spreadsheet imported by a member of staff (an editor or above)."""
    require(user, Role.editor, "import contacts")
    return await import_contacts(
        conn, raw, secret_key, dry_run=dry_run, user=user, progress=progress
    )


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
    _check_within_file(rows, await _known(conn, "topics"), await _known(conn, "sources"))
    created = unchanged = 0
    try:
        async with conn.transaction():
            new, unchanged = await _sort_out(conn, rows, secret_key)
            done = len(rows) - len(new)
            for start in range(0, len(new), BATCH):
                batch = new[start : start + BATCH]
                made = await _create(conn, batch)
                created, unchanged = created + made, unchanged + len(batch) - made
                done += len(batch)
                if progress is not None:
                    progress(done, len(rows))
            if created:
                changes = {"created": created}
                await record_audit(conn, user, "contact.import", "contact", None, changes)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    rejected = [ImportRowProblem(row=r.number, reasons=r.reasons) for r in rows if r.reasons]
    return ImportReport(
        dry_run=dry_run,
        rows=len(rows),
        created=created,
        unchanged=unchanged,
        rejected=rejected,
        columns=columns,
    )


def _check_within_file(rows: list[csvfile.Row], topics: set[str], sources: set[str]) -> None:
    """Reasons a row has by itself and the rows before it: unknown topics and sources, an
    address a row above has (every row names its address, rejected or not)."""
    seen: dict[str, int] = {}
    for row in rows:
        values = row.values
        beats, from_sources = values.get("beats", []), values.get("sources", [])
        row.reasons.extend(f"unknown topic {t!r}" for t in beats if t not in topics)
        row.reasons.extend(f"unknown source {s!r}" for s in from_sources if s not in sources)
        email = values["email"]
        if email and email in seen:
            row.reasons.append(f"the same e-mail address as row {seen[email]}")
        seen.setdefault(email, row.number)


def _addresses(row: csvfile.Row) -> list[str]:
    return [row.values["email"], *row.values["other_emails"]]


async def _sort_out(
    conn: asyncpg.Connection, rows: list[csvfile.Row], secret_key: str
) -> tuple[list[csvfile.Row], int]:
    """The rows to create, in order, and how many are in the registry already. Two queries
    over all rows; then, in file order, a row is refused when an address is suppressed and
    unchanged when a contact holds one of its addresses, in the registry or made by a row
    above it (as its e-mail or one of its other addresses)."""
    candidates = [row for row in rows if not row.reasons]
    pairs = [(row.number, address) for row in candidates for address in _addresses(row)]
    numbers, addresses = [n for n, _ in pairs], [a for _, a in pairs]
    hashes = [repository.email_hash(secret_key, a) for a in addresses]
    suppressed = await repository.suppressed_import_rows(conn, numbers, hashes)
    in_registry = await repository.import_rows_in_registry(conn, numbers, addresses)
    new: list[csvfile.Row] = []
    taken: set[str] = set()
    unchanged = 0
    for row in candidates:
        if row.number in suppressed:
            row.reasons.append("the address belongs to a person erased at their request")
        elif row.number in in_registry or not taken.isdisjoint(_addresses(row)):
            unchanged += 1
        else:
            taken.update(_addresses(row))
            new.append(row)
    return new, unchanged


async def _create(conn: asyncpg.Connection, rows: list[csvfile.Row]) -> int:
    """Contacts (and the outlets they name) made from `rows`; how many were made."""
    named = [row.values for row in rows if row.values.get("outlet")]
    outlets = await repository.import_outlets(
        conn, [v["outlet"] for v in named], [v["country"] for v in named]
    )
    made = await repository.insert_imported_contacts(
        conn, [{"number": row.number} | _contact_fields(row.values) for row in rows]
    )
    links = [(made[v["email"]], outlets[v["outlet"]], v.get("role", "")) for v in named
             if v["email"] in made]  # fmt: skip
    if links:
        contact_ids, outlet_ids, roles = (list(column) for column in zip(*links, strict=True))
        await repository.link_imported_contacts(conn, contact_ids, outlet_ids, roles)
    return len(made)


def _contact_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": values["name"],
        "email": values["email"],
        "other_emails": values["other_emails"],
        "phones": values.get("phones", []),
        "country": values["country"],
        "languages": values["languages"],
        "beats": values.get("beats", []),
        "sources": values.get("sources", []),
        "notes": values.get("notes", ""),
        "tags": values.get("tags", []),
    }


async def export_contacts(
    conn: asyncpg.Connection, user: StaffUser, filters: ContactFilters, export_format: str
) -> list[Contact]:
    """The registry, or the part `filters` selects, for an editor or above to take away;
    audited with every id it holds."""
    require(user, Role.editor, "export the registry")
    if export_format not in ("csv", "json"):
        raise InvalidInput("format must be csv or json")
    contacts = await all_contacts(conn, filters)
    await record_audit(
        conn, user, "contact.export_registry", "contact", None,
        {"ids": [str(c.id) for c in contacts], "format": export_format},
    )  # fmt: skip
    return contacts


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
