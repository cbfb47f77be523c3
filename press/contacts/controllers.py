"""HTTP for the journalist registry under /api/v1/manage/contacts (the token routes under
…/{id}/tokens belong to press.embargo)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from press.conditional import PRIVATE, private_json
from press.contacts import importer, merge, preferences, privacy, registry, repository
from press.contacts.schemas import (
    AccreditationGrant,
    AccreditationPage,
    AccreditationReason,
    Consent,
    ConsentIn,
    ConsentPage,
    Contact,
    ContactCreate,
    ContactPage,
    ContactUpdate,
    ImportReport,
    MergeRequest,
    Subscription,
    SubscriptionIn,
)
from press.db import Conn
from press.errors import InvalidInput, PayloadTooLarge
from press.pagination import (
    PageLimit,
    cursor_position,
    cut_page,
    id_cursor,
    next_link,
    page_limit,
)
from press.problem_responses import FileUpload, problems
from press.staff.auth import Staff, provide_staff, require
from press.staff.repository import record_audit
from press.staff.schemas import Role

STATUSES = ("active", "bounced", "unsubscribed", "erased")


def _contact_response(contact: Contact, status: int = 200) -> Response[bytes]:
    return private_json(contact, registry.contact_etag(contact), status)


def _private(value: Any, status: int = 200) -> Response[bytes]:
    return private_json(value, status_code=status)


def sort_cursor(cursor: str | None) -> tuple[str, UUID] | None:
    return cursor_position(cursor, tuple[str, UUID])


class ContactFilters(msgspec.Struct, frozen=True):
    q: str | None = None
    beat: str | None = None
    source: str | None = None
    language: str | None = None
    country: str | None = None
    accredited: bool | None = None
    status: str | None = None
    outlet: UUID | None = None
    tag: str | None = None


def contact_filters(
    q: FromQuery[str | None] = None,
    beat: FromQuery[str | None] = None,
    source: FromQuery[str | None] = None,
    language: FromQuery[str | None] = None,
    country: FromQuery[str | None] = None,
    accredited: FromQuery[bool | None] = None,
    contact_status: Annotated[str | None, QueryParameter(name="status")] = None,
    outlet: FromQuery[UUID | None] = None,
    tag: FromQuery[str | None] = None,
) -> ContactFilters:
    if contact_status is not None and contact_status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    return ContactFilters(
        q, beat, source, language, country, accredited, contact_status, outlet, tag
    )


Filters = NamedDependency[ContactFilters]


@dataclass
class RegistryExport(Operation):
    """The export answers JSON, or CSV with `format=csv`: the document names both."""

    def __post_init__(self) -> None:
        ok = self.responses["200"] if self.responses else None
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            csv = Schema(type=OpenAPIType.STRING, description="One contact a row, with a header")
            ok.content["text/csv"] = OpenAPIMediaType(schema=csv)


class ContactController(Controller):
    path = "/api/v1/manage/contacts"
    tags = ["manage: contacts"]
    dependencies = {
        "staff": Provide(provide_staff),
        "filters": Provide(contact_filters, sync_to_thread=False),
    }

    @post("/", summary="Add a contact", responses={201: ResponseSpec(Contact)})
    async def create_contact(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        data: JSONBody[ContactCreate],
    ) -> Response[bytes]:
        key = request.app.state.settings.secret_key
        return _contact_response(await registry.create_contact(conn, data, staff, key), 201)

    @get(
        "/",
        summary="Search and filter the registry, in Finnish/Swedish name order",
        responses={200: ResponseSpec(ContactPage)},
    )
    async def list_contacts(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        filters: Filters,
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        size = page_limit(limit)
        items, last_key = await registry.search_contacts(
            conn, staff, msgspec.structs.asdict(filters), sort_cursor(cursor), size
        )
        nxt = next_link(request, last_key, str(items[-1].id)) if last_key is not None else None
        return _private(ContactPage(items=items, next=nxt))

    @get(
        "/export",
        summary="The registry, or a filtered part of it, as CSV or JSON",
        responses={
            200: ResponseSpec(
                dict[str, list[Contact]],
                description='`{"items": [...]}`, or with `format=csv` a CSV file (text/csv)',
            )
        },
        operation_class=RegistryExport,
    )
    async def export_registry(
        self,
        conn: Conn,
        staff: Staff,
        filters: Filters,
        export_format: Annotated[
            str, QueryParameter(name="format", schema_extra={"enum": ["json", "csv"]})
        ] = "json",
    ) -> Response[bytes]:
        contacts = await importer.export_contacts(conn, staff, filters, export_format)
        if export_format == "csv":
            body = importer.contacts_csv(contacts)
            return Response(
                body,
                media_type="text/csv",  # Litestar adds the charset
                headers={
                    "Cache-Control": PRIVATE,
                    "Content-Disposition": 'attachment; filename="contacts.csv"',
                },
            )
        return _private({"items": contacts})

    @post(
        "/import",
        summary="Import contacts from a CSV file (multipart field `file`)",
        responses=problems(413, 415),
        operation_class=FileUpload,
    )
    async def import_contacts(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        dry_run: FromQuery[bool] = False,
    ) -> ImportReport:
        require(staff, Role.editor, "import contacts")
        # The body is read after authentication: an anonymous caller gets 401, not a
        # complaint about the body it sent.
        try:
            form = await request.form()
        except RequestEntityTooLarge:
            limit = request.route_handler.resolve_request_max_body_size() or 0
            raise PayloadTooLarge(
                f"A contact file may be at most {limit / 1e6:g} MB; import it in parts."
            ) from None
        except Exception:
            raise InvalidInput("Send the CSV file in the multipart field `file`.") from None
        upload = form.get("file")
        if upload is None or not hasattr(upload, "read"):
            raise InvalidInput("Send the CSV file in the multipart field `file`.")
        raw = await upload.read()
        key = request.app.state.settings.secret_key
        return await importer.import_file(conn, raw, key, dry_run=dry_run, user=staff)

    @get("/{contact_id:uuid}", summary="One contact", responses={200: ResponseSpec(Contact)})
    async def get_contact(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _contact_response(await registry.read_contact(conn, contact_id, staff))

    @patch(
        "/{contact_id:uuid}",
        summary="Change a contact; send If-Match with its ETag",
        responses={200: ResponseSpec(Contact), **problems(412, 428)},
    )
    async def update_contact(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        data: JSONBody[ContactUpdate],
    ) -> Response[bytes]:
        contact = await registry.update_contact(
            conn,
            contact_id,
            data,
            staff,
            request.headers.get("if-match"),
            request.app.state.settings.secret_key,
        )
        return _contact_response(contact)

    @delete("/{contact_id:uuid}", summary="Delete a contact (anonymised like an erasure)")
    async def delete_contact(self, conn: Conn, staff: Staff, contact_id: FromPath[UUID]) -> None:
        require(staff, Role.editor, "delete contacts")
        await privacy.erase_contact(conn, contact_id, staff, secret_key=None, reason="deleted")

    @post(
        "/{contact_id:uuid}/merge",
        summary="Merge another contact into this one",
        status_code=200,
        responses={200: ResponseSpec(Contact)},
    )
    async def merge_contacts(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID], data: JSONBody[MergeRequest]
    ) -> Response[bytes]:
        merged = await merge.merge_contacts(conn, contact_id, data.source, staff)
        return _contact_response(merged)

    @get(
        "/{contact_id:uuid}/accreditation",
        summary="Accreditation history, oldest first",
        responses={200: ResponseSpec(AccreditationPage)},
    )
    async def list_accreditation(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        require(staff, Role.viewer, "read accreditations")
        size, after = page_limit(limit), id_cursor(cursor)
        await registry.load_contact(conn, contact_id)
        await record_audit(conn, staff, "contact.accreditation.read", "contact", contact_id)
        rows = await repository.list_accreditation(conn, contact_id, after=after, limit=size + 1)
        items, nxt = cut_page(request, rows, size, lambda e: (e.id,))
        return _private(AccreditationPage(items=items, next=nxt))

    @post(
        "/{contact_id:uuid}/accreditation",
        summary="Record a verified press card",
        status_code=200,
        responses={200: ResponseSpec(Contact)},
    )
    async def grant_accreditation(
        self,
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        data: JSONBody[AccreditationGrant],
    ) -> Response[bytes]:
        contact = await registry.grant_accreditation(conn, contact_id, data, staff)
        return _contact_response(contact)

    @post(
        "/{contact_id:uuid}/accreditation/suspend",
        summary="Suspend embargo access",
        status_code=200,
        responses={200: ResponseSpec(Contact)},
    )
    async def suspend_accreditation(
        self,
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        data: JSONBody[AccreditationReason],
    ) -> Response[bytes]:
        contact = await registry.suspend_accreditation(conn, contact_id, data.reason, staff)
        return _contact_response(contact)

    @post(
        "/{contact_id:uuid}/accreditation/reinstate",
        summary="Lift a suspension",
        status_code=200,
        responses={200: ResponseSpec(Contact)},
    )
    async def reinstate_accreditation(
        self,
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        data: JSONBody[AccreditationReason],
    ) -> Response[bytes]:
        contact = await registry.reinstate_accreditation(conn, contact_id, data.reason, staff)
        return _contact_response(contact)

    @get(
        "/{contact_id:uuid}/consents",
        summary="Consent records, oldest first",
        responses={200: ResponseSpec(ConsentPage)},
    )
    async def list_consents(
        self,
        request: Request[Any, Any, Any],
        conn: Conn,
        staff: Staff,
        contact_id: FromPath[UUID],
        cursor: FromQuery[str | None] = None,
        limit: PageLimit = None,
    ) -> Response[bytes]:
        size, after = page_limit(limit), id_cursor(cursor)
        rows = await preferences.list_consents(conn, contact_id, staff, after=after, limit=size + 1)
        items, nxt = cut_page(request, rows, size, lambda c: (c.id,))
        return _private(ConsentPage(items=items, next=nxt))

    @post("/{contact_id:uuid}/consents", summary="Record a consent")
    async def add_consent(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID], data: JSONBody[ConsentIn]
    ) -> Consent:
        return await preferences.add_consent(conn, contact_id, data, staff)

    @post(
        "/{contact_id:uuid}/consents/{consent_id:int}/withdraw",
        summary="Record a withdrawal of consent; sending stops at once",
        status_code=200,
    )
    async def withdraw_consent(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID], consent_id: FromPath[int]
    ) -> Consent:
        return await preferences.withdraw_consent(conn, contact_id, consent_id, staff)

    @get("/{contact_id:uuid}/subscription", summary="What the contact receives by e-mail")
    async def get_subscription(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID]
    ) -> Subscription:
        return await preferences.get_subscription(conn, contact_id, staff)

    @put("/{contact_id:uuid}/subscription", summary="Set what the contact receives")
    async def put_subscription(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID], data: JSONBody[SubscriptionIn]
    ) -> Subscription:
        return await preferences.put_subscription(conn, contact_id, data, staff)

    @get(
        "/{contact_id:uuid}/export",
        summary="Everything held about the person (GDPR access)",
        responses={200: ResponseSpec(dict[str, Any])},
    )
    async def export_contact(
        self, conn: Conn, staff: Staff, contact_id: FromPath[UUID]
    ) -> Response[bytes]:
        return _private(await privacy.export_contact(conn, contact_id, staff))

    @post(
        "/{contact_id:uuid}/erase",
        summary="Erase the person's data everywhere (GDPR erasure)",
        status_code=204,
    )
    async def erase_contact(
        self, request: Request[Any, Any, Any], conn: Conn, staff: Staff, contact_id: FromPath[UUID]
    ) -> None:
        key = request.app.state.settings.secret_key
        await privacy.erase_on_request(conn, contact_id, staff, key)
