"""Importing a contact spreadsheet of 10,000 rows: rows per second, first time and again.

The CSV is made here: mostly valid rows (a tenth with an outlet shared by a hundred rows,
some with other addresses, phones, languages and topics), one row in fifty bad. It goes
through `import_contacts`, the function the API and `press contacts import` call, on one
connection in one transaction, as a request does. The second import of the same file finds
every address in the registry already. PostgreSQL is the embedded server in a temporary
directory, or BENCH_DATABASE_URL (a server URL; a scratch database is created there and
dropped).

    python bench/import.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch import postgres_server, scratch_database  # noqa: E402

from press.contacts.csvfile import write_csv  # noqa: E402
from press.contacts.importer import import_contacts  # noqa: E402
from press.contacts.schemas import ImportReport  # noqa: E402
from press.db import connect  # noqa: E402
from press.migrations import migrate  # noqa: E402

HEADER = ["Nimi", "Sähköposti", "Muut sähköpostit", "Puhelin", "Tiedotusväline", "Titteli",
          "Maa", "Kielet", "Aiheet", "Muistiinpanot"]  # fmt: skip


def spreadsheet(rows: int) -> bytes:
    def row(i: int) -> list[str]:
        if i % 50 == 49:
            return [f"Broken {i}", f"broken-{i}-at-nowhere", "", "", "", "", "", "", "", ""]
        return [
            f"Toimittaja Äijälä {i}",
            f"reporter{i}@news{i % 7}.example",
            f"r{i}@home.example" if i % 5 == 0 else "",
            f"+358 40 {i:07d}" if i % 3 == 0 else "",
            f"Lehti {i % 100}" if i % 10 == 0 else "",
            "toimittaja" if i % 10 == 0 else "",
            "FI",
            "fi|sv" if i % 2 else "fi",
            "economy|transport" if i % 4 == 0 else "",
            "tuotu taulukosta",
        ]

    return write_csv(HEADER, (row(i) for i in range(rows)))


async def timed_import(url: str, raw: bytes) -> tuple[float, ImportReport]:
    conn = await connect(url)
    try:
        started = time.perf_counter()
        async with conn.transaction():
            report = await import_contacts(conn, raw, "bench", dry_run=False, user=None)
        return time.perf_counter() - started, report
    finally:
        await conn.close()


async def run(server_url: str, rows: int) -> None:
    async with scratch_database(server_url) as url:
        conn = await connect(url)
        try:
            await migrate(conn)
        finally:
            await conn.close()
        raw = spreadsheet(rows)
        print(f"rows               {rows} ({len(raw) / 2**20:.1f} MiB of CSV)")
        for label in ("first import", "same file again"):
            elapsed, report = await timed_import(url, raw)
            print(
                f"{label:<18} {elapsed:6.2f} s  {rows / elapsed:8.0f} rows/s  "
                f"(created {report.created}, unchanged {report.unchanged}, "
                f"rejected {len(report.rejected)})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with postgres_server() as server_url:
        asyncio.run(run(server_url, args.rows))


if __name__ == "__main__":
    main()
