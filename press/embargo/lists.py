"""Who may have a release before its lift: every accredited journalist (no list), or only
those on the release's own list. Read and set here, for the staff API and the console alike."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
import msgspec

from press.embargo import repository
from press.embargo.schemas import EmbargoList, EmbargoListEntry
from press.errors import Conflict, InvalidInput, NotFound
from press.outbox import add_event
from press.staff.auth import require
from press.staff.repository import record_audit
from press.staff.schemas import Role, StaffUser


async def embargo_list(conn: asyncpg.Connection, release_id: UUID) -> EmbargoList:
    rows = await repository.embargo_list(conn, release_id)
    return EmbargoList(
        restricted=bool(rows),
        contacts=[msgspec.convert(dict(r), EmbargoListEntry) for r in rows],
    )


async def set_embargo_list(
    conn: asyncpg.Connection, release_id: UUID, contacts: list[UUID], user: StaffUser
) -> EmbargoList:
    """Replace the release's list (empty: every accredited journalist) while it is not yet
    public; those added to a running embargo get its e-mail too."""
    require(user, Role.editor, "set embargo lists")
    release = await repository.lock_release_for_embargo_list(conn, release_id)
    if release is None:
        raise NotFound("No release has this id.")
    if release["state"] in ("published", "withdrawn"):
        raise Conflict(f"The release is {release['state']}: its embargo list is closed.")
    wanted = list(dict.fromkeys(contacts))
    unknown = await repository.unknown_contacts(conn, wanted)
    if unknown:
        raise InvalidInput(
            "contacts: no contact has these ids: " + ", ".join(map(str, unknown)),
            errors=[{"key": "contacts", "message": "unknown contact"}],
        )
    before = [entry.id for entry in (await embargo_list(conn, release_id)).contacts]
    await repository.replace_embargo_list(conn, release_id, wanted)
    await record_audit(
        conn,
        user,
        "release.embargo_list",
        "release",
        release_id,
        {"before": [str(i) for i in before], "after": [str(i) for i in wanted]},
    )
    if release["state"] == "scheduled" and release["embargo"] and release["publish_at"]:
        # Those the list adds get the embargoed e-mail too (those already mailed do not).
        await add_event(
            conn,
            "release.embargoed",
            release_id,
            f"release.embargoed:{release_id}:list:{uuid4()}",
            # The lift it is about: mail still queued when the lift moves is not sent.
            {
                "id": str(release_id),
                "embargo_list_changed": True,
                "publish_at": release["publish_at"].isoformat(),
            },
        )
    return await embargo_list(conn, release_id)
