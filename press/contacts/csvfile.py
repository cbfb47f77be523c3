"""Reading contact spreadsheets: encodings, delimiters and header names as offices have them.

Pure functions: bytes in, rows of validated fields (or reasons) out. Spreadsheets save
UTF-8 with a byte-order mark and, in Finnish and Swedish locales, `;` as the delimiter.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import msgspec

from press.contacts.schemas import ContactCreate, OutletCreate, OutletLink
from press.errors import InvalidInput, OverLimit
from press.text import SINGLE_LINE_RULE, is_single_line

# Header names (folded: lower case, no accents, no punctuation) → field.
HEADERS = {
    "name": "name", "nimi": "name", "namn": "name", "full name": "name", "koko nimi": "name",
    "email": "email", "e mail": "email", "mail": "email", "sahkoposti": "email",
    "e post": "email", "epost": "email", "email address": "email",
    "other emails": "other_emails", "muut sahkopostit": "other_emails",
    "phone": "phones", "phones": "phones", "puhelin": "phones", "telefon": "phones",
    "outlet": "outlet", "outlets": "outlet", "media": "outlet", "medium": "outlet",
    "tiedotusvaline": "outlet", "organisation": "outlet", "organization": "outlet",
    "role": "role", "title": "role", "titteli": "role", "tehtava": "role",
    "befattning": "role", "titel": "role",
    "country": "country", "maa": "country", "land": "country",
    "language": "languages", "languages": "languages", "kieli": "languages",
    "kielet": "languages", "sprak": "languages",
    "beats": "beats", "beat": "beats", "topics": "beats", "aiheet": "beats", "amnen": "beats",
    "sources": "sources", "source": "sources", "lahteet": "sources",
    "tags": "tags", "tagit": "tags", "taggar": "tags",
    "notes": "notes", "muistiinpanot": "notes", "anteckningar": "notes", "lisatiedot": "notes",
}  # fmt: skip
LIST_FIELDS = ("other_emails", "phones", "languages", "beats", "sources", "tags")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()-]{3,40}$")
LANG = re.compile(r"^[a-z]{2}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
SLUG = re.compile(r"^[a-z0-9-]{1,64}$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Row:
    number: int  # as a spreadsheet counts: the header is row 1
    values: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The file is not UTF-8 text; save it as CSV UTF-8.") from None


def _dialect(text: str) -> type[csv.Dialect]:
    """The delimiter is guessed; quotes are always double quotes, as spreadsheets write them
    (the sniffer would take the single quote `inert` puts before a formula for one)."""
    sample = text[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        delimiter = "," if header.count(",") >= header.count(";") else ";"
    return {";": _Semicolon, "\t": csv.excel_tab}.get(delimiter, csv.excel)


class _Semicolon(csv.excel):
    delimiter = ";"


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[|;,]", cell) if part.strip()]


def read_rows(raw: bytes) -> tuple[dict[str, str], list[Row]]:
    """The header mapping (header → field) and each data row, validated on its own."""
    text = decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    records = _records(reader)
    header = next(records, None)
    if header is None:
        raise InvalidInput("The file is empty.")
    columns = {h: HEADERS.get(fold(h), "") for h in header}
    fields = [HEADERS.get(fold(h)) for h in header]
    missing = {"name", "email"} - set(fields)
    if missing:
        raise InvalidInput(
            f"The header has no column for {', '.join(sorted(missing))}.", columns=columns
        )
    rows = [
        _validate(reader.line_num, fields, cells)
        for cells in records
        if any(c.strip() for c in cells)
    ]
    return columns, rows


def _records(reader: Any) -> Iterator[list[str]]:
    """The reader's records; one it cannot read refuses the file, naming its row (after a
    cell past the csv module's field limit, the rest of the file cannot be trusted)."""
    while True:
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = reader.line_num
            if "field larger than field limit" in str(exc):
                limit = csv.field_size_limit()
                raise OverLimit(
                    f"Row {row} has a cell of more than {limit:,} characters; no field of a "
                    "contact is that long.",
                    limit="cell-size",
                    maximum=limit,
                    row=row,
                    errors=[{"key": "file", "message": f"cell too long at line {row}"}],
                ) from None
            raise InvalidInput(
                f"The file cannot be read as CSV at line {row}: {exc}.",
                row=row,
                errors=[{"key": "file", "message": f"unreadable at line {row}"}],
            ) from None
        yield cells


def _validate(number: int, fields: list[str | None], cells: list[str]) -> Row:
    row = Row(number)
    if len(cells) > len(fields):
        row.reasons.append(f"{len(cells)} cells but the header has {len(fields)}")
    if any("\0" in cell for cell in cells):
        row.reasons.append("a cell contains a NUL character, which no text may hold")
    for name, cell in zip(fields, cells, strict=False):
        if name is not None:
            cell = _as_typed(cell)
            row.values[name] = _split(cell) if name in LIST_FIELDS else cell.strip()
    values = row.values
    values.setdefault("name", "")
    values["email"] = values.get("email", "").lower()
    values["country"] = values.get("country", "").upper()
    values["languages"] = [x.lower() for x in values.get("languages", [])]
    values["other_emails"] = [x.lower() for x in values.get("other_emails", [])]
    row.reasons.extend(_problems(values))
    if not row.reasons:
        row.reasons.extend(_over_limits(values))
    return row


def _over_limits(values: dict[str, Any]) -> Iterable[str]:
    """What the contact's own rules refuse besides the checks above, as the API would: a
    cell longer than its field may be (notes 5,000 characters, outlet and role 200, a tag
    64, an address 254), or too many items in a list."""
    contact = {k: v for k, v in values.items() if k in ContactCreate.__struct_fields__}
    checks: list[tuple[dict[str, Any], type[msgspec.Struct], str]] = [
        (contact, ContactCreate, ""),
        ({"id": str(UUID(int=0)), "role": values.get("role", "")}, OutletLink, ""),
    ]
    if values.get("outlet"):
        checks.append(({"name": values["outlet"]}, OutletCreate, "outlet "))
    for fields, schema, label in checks:
        try:
            msgspec.convert(fields, schema)
        except msgspec.ValidationError as exc:
            message, _, path = str(exc).partition(" - at `$.")
            yield f"{label}{path.rstrip('`')}: {message}"


def _problems(values: dict[str, Any]) -> Iterable[str]:
    if not values["name"]:
        yield "name is empty"
    elif len(values["name"]) > 200:
        yield "name is longer than 200 characters"
    if not EMAIL.match(values["email"]):
        yield (
            f"e-mail address {values['email']!r} is not valid"
            if values["email"]
            else ("e-mail address is empty")
        )
    for address in values["other_emails"]:
        if not EMAIL.match(address):
            yield f"other e-mail address {address!r} is not valid"
    for phone in values.get("phones", []):
        if not PHONE.match(phone):
            yield f"phone {phone!r} is not a phone number"
    if values["country"] and not COUNTRY.match(values["country"]):
        yield f"country {values['country']!r} is not a two-letter code such as FI"
    for lang in values["languages"]:
        if not LANG.match(lang):
            yield f"language {lang!r} is not a two-letter code such as fi"
    for name in ("name", "outlet", "role"):
        if not is_single_line(values.get(name, "")):
            yield f"{name} {SINGLE_LINE_RULE}"
    for name in ("beats", "sources", "tags"):
        for item in values.get(name, []):
            if name != "tags" and not SLUG.match(item):
                yield f"{name[:-1]} {item!r} is not a slug such as city-board"
            elif not is_single_line(item):
                yield f"tag {item!r} {SINGLE_LINE_RULE}"


def write_csv(header: list[str], rows: Iterable[list[str]]) -> bytes:
    """CSV as Finnish and Swedish spreadsheets open it: UTF-8 with a BOM, `;` between cells,
    and no cell a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode()


def inert(cell: str) -> str:
    """A cell a spreadsheet shows as text. A value starting with = + - @ TAB or CR is run as
    a formula (`=HYPERLINK(…)` typed as a name by anyone who subscribes): OWASP's rule is a
    single quote in front, which spreadsheets hide and show the rest as typed."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _as_typed(cell: str) -> str:
    """The value `inert` was given: an exported file imports to what it was made from."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell
