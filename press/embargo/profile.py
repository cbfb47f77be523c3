"""An accredited journalist's own view of what the press office holds for them: their
subscription, their tokens, their data. Reached with their own token and nothing else: no
route takes another person's id, and a token id that is not theirs is simply not found.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, post, put
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody

from press.contacts import repository as contacts
from press.contacts.schemas import Subscription, SubscriptionIn
from press.db import Conn
from press.embargo import repository
from press.embargo.controllers import issue_token, private_response, revoked_token
from press.embargo.journalists import JournalistDep, provide_journalist
from press.embargo.schemas import IssuedJournalistToken, JournalistToken, JournalistTokenCreate
from press.errors import NotFound
from press.staff.repository import record_audit


class JournalistProfile(msgspec.Struct):
    id: UUID
    name: str
    email: str
    accredited_until: date | None
    subscription: Subscription | None
    tokens: list[JournalistToken]
    # The id of the token this request was made with.
    current_token: UUID


class JournalistProfileController(Controller):
    path = "/api/v1/journalist"
    tags = ["journalists: profile"]
    dependencies = {"journalist": Provide(provide_journalist)}

    @get(
        "/profile",
        summary="Your profile, subscription and tokens",
        responses={200: ResponseSpec(JournalistProfile)},
    )
    async def profile(self, conn: Conn, journalist: JournalistDep) -> Response[bytes]:
        return private_response(
            JournalistProfile(
                id=journalist.id,
                name=journalist.name,
                email=journalist.email,
                accredited_until=await repository.accredited_until(conn, journalist.id),
                subscription=await contacts.fetch_subscription(conn, journalist.id),
                tokens=await repository.list_journalist_tokens(conn, journalist.id),
                current_token=journalist.token_id,
            )
        )

    @put(
        "/subscription",
        summary="Choose what you receive by e-mail",
        responses={200: ResponseSpec(Subscription)},
    )
    async def set_subscription(
        self, conn: Conn, journalist: JournalistDep, data: JSONBody[SubscriptionIn]
    ) -> Response[bytes]:
        # Only accredited journalists hold tokens, so embargoed mail may be asked for.
        subscription = await contacts.put_subscription(conn, journalist.id, data)
        await contacts.touch_contact(conn, journalist.id)
        await record_audit(
            conn,
            None,
            "contact.subscription.self",
            "contact",
            journalist.id,
            {"sources": data.sources, "topics": data.topics, "embargoed": data.embargoed},
        )
        return private_response(subscription)

    @post(
        "/tokens",
        summary="A new token for another device (shown once)",
        responses={201: ResponseSpec(IssuedJournalistToken)},
    )
    async def new_token(
        self,
        conn: Conn,
        journalist: JournalistDep,
        data: JSONBody[JournalistTokenCreate | None] = None,
    ) -> Response[bytes]:
        issued = await issue_token(
            conn, journalist.id, data or JournalistTokenCreate(), parent=journalist
        )
        await record_audit(
            conn, None, "contact.token.issue.self", "contact", journalist.id,
            {"token_id": str(issued.id)},
        )  # fmt: skip
        return private_response(issued, 201)

    @delete("/tokens/{token_id:uuid}", status_code=204, summary="Revoke one of your tokens")
    async def revoke_token(
        self, conn: Conn, journalist: JournalistDep, token_id: FromPath[UUID]
    ) -> None:
        # The token this request is made with stays, with those made with it: revoking the
        # token it was made with is how a journalist rotates one.
        made_with_it = await repository.revoke_journalist_token(
            conn, journalist.id, token_id, keeping=journalist.token_id
        )
        if made_with_it is None:
            raise NotFound("You have no token with this id.")
        await record_audit(
            conn, None, "contact.token.revoke.self", "contact", journalist.id,
            revoked_token(token_id, made_with_it),
        )  # fmt: skip
