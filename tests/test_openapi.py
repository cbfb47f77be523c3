"""The OpenAPI document tells a client generated from it how to sign in and which input is
valid: the bearer scheme of every signed-in operation, the values and ranges of the shared
query parameters, closed write bodies, the multipart uploads and the other media types."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

Document = dict[str, Any]


@pytest.fixture
async def document(client: httpx.AsyncClient) -> Document:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    served: Document = response.json()
    return served


def operations(document: Document) -> list[tuple[str, str, Document]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def parameter(operation: Document, name: str) -> Document:
    found: Document = next(p for p in operation["parameters"] if p["name"] == name)
    return found


def body_schema(document: Document, name: str) -> Document:
    found: Document = document["components"]["schemas"][name]
    return found


async def test_every_signed_in_operation_names_its_bearer_scheme(document: Document) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["staffToken"]["type"] == schemes["journalistToken"]["type"] == "http"
    assert schemes["staffToken"]["scheme"] == schemes["journalistToken"]["scheme"] == "bearer"
    for method, path, operation in operations(document):
        security = operation.get("security")
        if path.startswith("/api/v1/manage/") or (method, path) == ("DELETE", "/api/v1/auth/token"):
            assert security == [{"staffToken": []}], (method, path)
        elif path.startswith(("/api/v1/journalist/", "/api/v1/embargoed/")):
            assert security == [{"journalistToken": []}], (method, path)
        elif path == "/api/v1/files/{file_id}/{filename}":
            # Public files to anyone, an embargoed release's files to its journalists.
            assert security == [{}, {"journalistToken": []}]
        else:
            assert security is None, (method, path)


async def test_shared_query_parameters_say_what_press_accepts(document: Document) -> None:
    releases = document["paths"]["/api/v1/releases"]["get"]
    assert parameter(releases, "lang")["schema"]["enum"] == ["fi", "sv", "en"]
    limit = parameter(releases, "limit")["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, 100)
    for name in ("since", "until", "updated_since"):
        assert parameter(releases, name)["schema"]["format"] == "date-time", name
    events = document["paths"]["/api/v1/events"]["get"]
    formats = [arm["format"] for arm in parameter(events, "from")["schema"]["oneOf"]]
    assert formats == ["date", "date-time"]
    for method, path, operation in operations(document):
        for item in operation.get("parameters", []):
            if item["name"] == "lang" and item["in"] == "query":
                assert item["schema"]["enum"] == ["fi", "sv", "en"], (method, path)
            if item["name"] == "limit":
                assert item["schema"]["maximum"] == 100, (method, path)


async def test_write_bodies_are_closed_and_state_their_inner_rules(document: Document) -> None:
    release = body_schema(document, "ReleaseCreate")
    assert release["additionalProperties"] is False
    translations = release["properties"]["translations"]
    assert translations["minProperties"] == 1
    assert sorted(translations["propertyNames"]["enum"]) == ["en", "fi", "sv"]
    assert release["properties"]["topics"]["items"]["pattern"] == "^[a-z0-9-]+$"
    webhook = body_schema(document, "WebhookCreate")
    assert webhook["additionalProperties"] is False
    assert "pattern" in webhook["properties"]["event_types"]["items"]
    for name in ("StaffUserCreate", "PasswordChange"):
        assert body_schema(document, name)["properties"]["password"]["minLength"] == 12
    # What press answers is not closed: a client must not break on a new field.
    assert "additionalProperties" not in body_schema(document, "Release")


@pytest.mark.parametrize("path", ["/api/v1/manage/files", "/api/v1/manage/contacts/import"])
async def test_uploads_are_documented_as_multipart_with_a_file(
    document: Document, path: str
) -> None:
    body = document["paths"][path]["post"]["requestBody"]
    assert body["required"] is True
    upload = body["content"]["multipart/form-data"]["schema"]
    assert upload["required"] == ["file"]
    assert upload["properties"]["file"] == {"type": "string", "format": "binary"}


async def test_answers_in_other_media_types_are_documented(document: Document) -> None:
    export = document["paths"]["/api/v1/manage/contacts/export"]["get"]
    assert set(export["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert parameter(export, "format")["schema"]["enum"] == ["json", "csv"]
    privacy = document["paths"]["/api/v1/privacy/{token}"]["post"]
    assert set(privacy["responses"]["200"]["content"]) == {"application/json", "text/html"}


async def test_staff_writes_name_the_idempotency_key_header(document: Document) -> None:
    """Every write signed in with a staff token takes Idempotency-Key, except the upload, which
    writes in transactions of its own; nothing else names it."""
    for method, path, operation in operations(document):
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        staff_write = method != "GET" and operation.get("security") == [{"staffToken": []}]
        takes_key = staff_write and (method, path) != ("POST", "/api/v1/manage/files")
        assert ("Idempotency-Key" in headers) == takes_key, (method, path)
    create = document["paths"]["/api/v1/manage/releases"]["post"]
    key = parameter(create, "Idempotency-Key")
    assert key["required"] is False
    assert key["schema"] == {
        "type": "string",
        "pattern": "^[!-~]{1,255}$",
        "minLength": 1,
        "maxLength": 255,
    }
    imported = document["paths"]["/api/v1/manage/contacts/import"]["post"]
    assert "multipart/form-data" in imported["requestBody"]["content"]
    assert parameter(imported, "Idempotency-Key")


# The feed directory comes whole (`next` is always null): a few feeds per source and language.
WHOLE_LISTS = {"/feeds"}


def answers_a_list(document: Document, operation: Document) -> bool:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = body_schema(document, schema["$ref"].rsplit("/", 1)[-1])
    return {"items", "next"} <= set(schema.get("properties", {}))


async def test_every_list_takes_a_cursor_and_a_limit(document: Document) -> None:
    lists = [
        path
        for method, path, operation in operations(document)
        if method == "GET" and answers_a_list(document, operation)
    ]
    assert "/api/v1/manage/contacts/{contact_id}/consents" in lists
    for method, path, operation in operations(document):
        if method != "GET" or path in WHOLE_LISTS or not answers_a_list(document, operation):
            continue
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert {"cursor", "limit"} <= names, path
    assert set(lists) >= WHOLE_LISTS
