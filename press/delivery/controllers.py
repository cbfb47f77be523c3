"""Staff view of the mail queue: progress of a send-out, per recipient."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery, QueryParameter

from press.db import Conn, queries_beside, records_to
from press.errors import Conflict, NotFound
from press.pagination import PageLimit, cut_page, decode_cursor, page_limit
from press.staff.auth import Staff, provide_staff, require
from press.staff.repository import record_audit
from press.staff.schemas import Role

Q = queries_beside(__file__)
# A send that may not have happened (`unknown`: the sender died mid-send) or that gave up
# (`failed`) is put back only by a person, who accepts that the recipient may get it twice.
RESENDABLE = ("unknown", "failed")


class Delivery(msgspec.Struct):
    id: int
    kind: str
    release_id: UUID | None
    contact_id: UUID | None
    email: str | None
    lang: str
    embargoed: bool
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class DeliveryPage(msgspec.Struct):
    counts: dict[str, int]
    items: list[Delivery]
    next: str | None


class DeliveryController(Controller):
    path = "/api/v1/manage/deliveries"
    tags = ["manage: deliveries"]
    dependencies = {"staff": Provide(provide_staff)}

    @get("/", summary="Mail deliveries and their states, e.g. the progress of one release")
    async def list_deliveries(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        release: FromQuery[UUID | None] = None,
        delivery_state: Annotated[str | None, QueryParameter(name="state")] = None,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> DeliveryPage:
        require(staff, Role.viewer, "read mail deliveries")
        size = page_limit(limit)
        after = decode_cursor(cursor, 1)
        rows = await conn.fetch(
            Q["list_deliveries"], release, delivery_state, after[0] if after else None, size + 1
        )
        items = records_to(Delivery, rows)
        counts: dict[str, int] = {}
        if release is not None:
            counts = {
                r["state"]: r["count"] for r in await conn.fetch(Q["delivery_progress"], release)
            }
        items, nxt = cut_page(request, items, size, lambda d: (d.id,))
        ids = sorted({str(i.contact_id) for i in items if i.contact_id})
        await record_audit(conn, staff, "delivery.list", "contact", None, {"ids": ids})
        return DeliveryPage(counts=counts, items=items, next=nxt)

    @post(
        "/{delivery_id:int}/resend",
        summary="Queue an uncertain or failed delivery again (the recipient may get it twice)",
        status_code=200,
    )
    async def resend(self, conn: Conn, staff: Staff, delivery_id: FromPath[int]) -> Delivery:
        require(staff, Role.editor, "resend mail")
        state = await conn.fetchval(Q["lock_delivery"], delivery_id)
        if state is None:
            raise NotFound("No delivery has this id.")
        if state not in RESENDABLE:
            raise Conflict(
                f"Only {' or '.join(RESENDABLE)} deliveries can be sent again; this one is {state}."
            )
        await conn.execute(Q["resend_delivery"], delivery_id, f"resent by staff after {state}")
        await record_audit(conn, staff, "delivery.resend", "delivery", delivery_id, {"was": state})
        [delivery] = records_to(Delivery, await conn.fetch(Q["fetch_delivery"], delivery_id))
        return delivery
