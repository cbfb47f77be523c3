"""EX1: no existence oracle. Unknown, not-yet-public and withdrawn release ids answer alike.

Every public address that takes a release's id or slug (the JSON detail, the release page,
the release's file list and press kit) or a file's id (the download) must answer a release
the public may not see exactly as it answers an id nothing has: the same status, the same
bytes, and no difference in time that a client could measure. The status and the body are
tested (tests/releases/test_visibility.py); this measures the time.

The database is seeded small (bench/seed.py, 300 releases) and, with plain SQL, given
`--keys` releases in each hidden state, copied from the seeded ones with slugs of their own:
draft, in review, approved (not scheduled), scheduled and embargoed (lift a year ahead), and
withdrawn before its lift. Unknown ids and slugs are spelled like the real ones (the same
md5-derived UUIDs, the same slugs with another suffix) but name nothing. press has no
deletion of releases (a release is withdrawn, and stays a row): "deleted" exists only for
files, whose rows go (they are deleted after the seed's VACUUM, so their dead index entries
are still there, as between two autovacuums). A file is attached to each draft and each
embargoed release; other files are in no release and not in the media bank.

Three measures, each for every address and every class:

1. **Shape**: the status, headers and body of each class, the request id and Date taken
   out and the key itself replaced, must equal those for an unknown key.
2. **Wall clock**: `press serve --workers 1` started as a user starts it (bench/workers.py's
   `Served`: background work on, the JSON request log), asked over one kept-alive
   connection (bench/search.py's `KeepAlive`) one request at a time. Each key is asked once
   ("first") and again at once ("repeat": the public cache keeps no 404, so both should cost
   the same), and every class of every address takes its turn within each step of a round,
   in an order shuffled per step: drift over seconds falls on every class alike. p10, median
   and p90 per class, and the ratio of each hidden class's p10 and median to unknown's.
3. **Instructions**: a second `press serve --workers 1` (background work off, so nothing
   else runs between requests) under `valgrind --tool=callgrind`, counted as
   bench/callgrind.py counts them: every address and class asked thrice to warm up, then
   per class the counters zeroed, `--callgrind-requests` requests with distinct keys, the
   counters dumped, in `--callgrind-rounds` rounds (the classes' order reversed in every
   other). Repeatable on a shared machine, so the better evidence, but it counts the server
   process only, not PostgreSQL. For PostgreSQL's part the table shows, per class, the
   buffers the lookup touches and its execution time (`EXPLAIN (ANALYZE, BUFFERS)`).

The bounds, and why:
- instructions within 5 % of unknown's: every class takes the same Python path (no row,
  the same NotFound, the same 404 body), so the counts differ only by what a key spells and
  by where the garbage collector happens to run: one class's two rounds of 40 requests were
  seen up to 4.4 % apart (the spread column, their range over their median), and the
  classes' medians up to 2.4 % from unknown's, either way. Traced once (60 requests by slug
  of unknown and of draft keys): the collector's share differed by 19 thousand instructions
  a request between the two batches, most of their 2.3 % difference; the next pair of
  batches had the draft keys 0.2 % above unknown's, the first 2.3 % below. The bound
  catches a path that renders or reads much more for a row it finds (the 404 page costs
  1.5 M instructions more than the API's 404); a difference of a few tens of thousands of
  instructions (a few µs) it lets through, as the wall clock would;
- wall clock: the p10 within 10 % of unknown's. Contention on a shared machine only ever
  adds time, and adds it in bursts: in the first runs the p90 was four times the median and
  the medians of one class moved by up to 20 % either way between runs of the same code,
  while the p10s held within a few percent. A timing attacker compares the fastest answers
  for the same reason. 10 % of a 404's p10 (about 1 ms) is 0.1 ms: one more round trip to
  PostgreSQL, or the hash of every public release's files the download built for a hidden
  file before migration 0035 (0.13 ms). Medians are shown, not judged;
- PostgreSQL's page or two for a hidden row that the index finds and the visibility
  predicate drops (3 buffers against 2 by id, 25 against 21 by slug, 5-9 against 2 for a
  file) costs microseconds, below what a client can tell from the network's jitter; it is
  shown, not judged. An unknown key made to cost the same would need a fake second lookup.

    python bench/existence.py            # 8-16 minutes on a shared 2-core machine, most
                                         # of it callgrind (its server starts in 2-4)
    python bench/existence.py --smoke    # about 15 s: the shape and a few timed requests,
                                         # no callgrind, no thresholds

Needs valgrind for the full run (`apt-get install valgrind`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import seed  # noqa: E402
from callgrind import dump, zero  # noqa: E402
from load import percentile  # noqa: E402
from search import KeepAlive  # noqa: E402
from workers import Served  # noqa: E402

from press.archive.repository import Q as FILE_QUERIES  # noqa: E402
from press.db import connect  # noqa: E402
from press.embedded import EmbeddedServer  # noqa: E402
from press.migrations import migrate  # noqa: E402
from press.releases.repository import Q as RELEASE_QUERIES  # noqa: E402

RECENT = 300  # the seeded public releases the hidden ones copy
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Hidden:
    """A class of release the public may not see: how its rows are made."""

    name: str
    tag: str  # in its slugs: `<seeded slug>-x<tag><n>`
    state: str
    publish_at: str  # SQL, over statement_timestamp()
    embargo: bool = False
    withdrawn: bool = False

    @property
    def claimed(self) -> bool:
        """Whether its slugs are its own (docs/decisions.md, "Slugs")."""
        return self.publish_at != "NULL"


A_YEAR_AHEAD = "statement_timestamp() + interval '400 days'"
HIDDEN = (
    Hidden("draft", "d", "draft", "NULL"),
    Hidden("in_review", "v", "in_review", "NULL"),
    Hidden("approved", "p", "approved", "NULL"),
    Hidden("scheduled", "s", "scheduled", A_YEAR_AHEAD),
    Hidden("embargoed", "e", "scheduled", A_YEAR_AHEAD, embargo=True),
    Hidden("withdrawn", "w", "withdrawn", A_YEAR_AHEAD, withdrawn=True),
)
RELEASE_CLASSES = (UNKNOWN, *(h.name for h in HIDDEN))
# Files: one of a draft, of an embargoed release, in no release, deleted (the row gone).
FILE_CLASSES = (UNKNOWN, "of_draft", "of_embargoed", "unattached", "deleted")
FILENAME = "kuva.jpg"


@dataclass(frozen=True)
class Surface:
    name: str
    template: str  # the path, with {key}
    keys: str  # "id", "slug" or "file"

    @property
    def classes(self) -> tuple[str, ...]:
        return FILE_CLASSES if self.keys == "file" else RELEASE_CLASSES


SURFACES = (
    Surface("API by id", "/api/v1/releases/{key}", "id"),
    Surface("API by slug", "/api/v1/releases/{key}", "slug"),
    Surface("page by id", "/releases/{key}", "id"),
    Surface("page by slug", "/releases/{key}", "slug"),
    Surface("release's files", "/api/v1/releases/{key}/files", "id"),
    Surface("press kit", "/api/v1/releases/{key}/press-kit.zip", "id"),
    Surface("file download", "/api/v1/files/{key}/" + FILENAME, "file"),
)
INSTRUCTIONS_BOUND = 0.05
TIME_BOUND = 0.10
TIME_PERCENTILE = 10


_HIDDEN_RELEASES = """
INSERT INTO releases (id, source, state, publish_at, embargo, embargo_promised_at,
                      created_at, updated_at, withdrawn_at, withdrawal_reason,
                      decision_id, decision_url)
SELECT md5('exist-' || $1::text || '-' || i)::uuid, r.source, $2::text, p.at, $3::boolean,
       CASE WHEN $3::boolean THEN p.at END, r.created_at, r.updated_at,
       CASE WHEN $4::boolean THEN statement_timestamp() END,
       CASE WHEN $4::boolean THEN 'Peruttu ennen julkaisua.' END,
       r.decision_id, r.decision_url
FROM generate_series(1, $5::int) AS i
JOIN releases r ON r.id = md5('recent-' || (1 + i % $6::int))::uuid,
LATERAL (SELECT ({publish_at})::timestamptz AS at) AS p
"""

_HIDDEN_TRANSLATIONS = """
INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug,
                                  slug_claimed)
SELECT md5('exist-' || $1::text || '-' || i)::uuid, t.lang, t.title, t.lead, t.body,
       t.body_html, t.slug || '-x' || $2::text || i, $3::boolean
FROM generate_series(1, $4::int) AS i
JOIN release_translations t ON t.release_id = md5('recent-' || (1 + i % $5::int))::uuid
"""

# $1: the class, $2: how many, $3: how many seeded releases to copy from.
_HIDDEN_PARTS = (
    """INSERT INTO release_topics (release_id, topic)
       SELECT md5('exist-' || $1::text || '-' || i)::uuid, t.topic
       FROM generate_series(1, $2::int) AS i
       JOIN release_topics t ON t.release_id = md5('recent-' || (1 + i % $3::int))::uuid""",
    """INSERT INTO release_media_contacts (release_id, media_contact_id, position)
       SELECT md5('exist-' || $1::text || '-' || i)::uuid, c.media_contact_id, c.position
       FROM generate_series(1, $2::int) AS i
       JOIN release_media_contacts c
         ON c.release_id = md5('recent-' || (1 + i % $3::int))::uuid""",
)

_FILES = """
INSERT INTO files (id, sha256, size, public_sha256, public_size, content_type, filename,
                   width, height, title, alt, credit)
SELECT md5('exist-file-' || $1::text || '-' || i)::uuid,
       encode(sha256(convert_to($1 || i, 'UTF8')), 'hex'), 245000,
       encode(sha256(convert_to($1 || i || 'public', 'UTF8')), 'hex'), 244000,
       'image/jpeg', $3::text, 1600, 1067, '{"fi": "Kaupungintalo"}',
       '{"fi": "Kaupungintalo keväällä"}', 'Kaupungin kuvapankki'
FROM generate_series(1, $2::int) AS i
"""

_ATTACH = """
INSERT INTO release_files (release_id, file_id, position)
SELECT md5('exist-' || $1::text || '-' || i)::uuid, md5('exist-file-of_' || $1 || '-' || i)::uuid, 0
FROM generate_series(1, $2::int) AS i
"""


async def hide_releases(conn: asyncpg.Connection, keys: int) -> None:
    """`keys` releases in each hidden state, and the files of the file classes."""
    for hidden in HIDDEN:
        await conn.execute(
            _HIDDEN_RELEASES.format(publish_at=hidden.publish_at),
            hidden.name,
            hidden.state,
            hidden.embargo,
            hidden.withdrawn,
            keys,
            RECENT,
        )
        await conn.execute(
            _HIDDEN_TRANSLATIONS, hidden.name, hidden.tag, hidden.claimed, keys, RECENT
        )
        for statement in _HIDDEN_PARTS:
            await conn.execute(statement, hidden.name, keys, RECENT)
    for cls in FILE_CLASSES[1:]:
        await conn.execute(_FILES, cls, keys, FILENAME)
    for cls in ("draft", "embargoed"):
        await conn.execute(_ATTACH, cls, keys)
    await conn.execute("VACUUM ANALYZE")
    # Deleted as press deletes a file (its row), after the VACUUM: the dead entries stay.
    await conn.execute(
        "DELETE FROM files WHERE id IN (SELECT md5('exist-file-deleted-' || i)::uuid"
        " FROM generate_series(1, $1::int) AS i)",
        keys,
    )


async def key_lists(conn: asyncpg.Connection, keys: int) -> dict[tuple[str, str], list[str]]:
    """Per (kind of key, class), the keys in order: ids, slugs (Finnish) and file ids."""
    found: dict[tuple[str, str], list[str]] = {}
    for cls in RELEASE_CLASSES:
        ids = await conn.fetch(
            "SELECT md5('exist-' || $1::text || '-' || i)::uuid::text AS id"
            " FROM generate_series(1, $2::int) AS i ORDER BY i",
            cls,
            keys,
        )
        found["id", cls] = [r["id"] for r in ids]
        tag = next((h.tag for h in HIDDEN if h.name == cls), "u")
        slugs = await conn.fetch(
            """SELECT t.slug || '-x' || $2::text || i AS slug
               FROM generate_series(1, $1::int) AS i
               JOIN release_translations t
                 ON t.release_id = md5('recent-' || (1 + i % $3::int))::uuid AND t.lang = 'fi'
               ORDER BY i""",
            keys,
            tag,
            RECENT,
        )
        found["slug", cls] = [r["slug"] for r in slugs]
    for cls in FILE_CLASSES:
        ids = await conn.fetch(
            "SELECT md5('exist-file-' || $1::text || '-' || i)::uuid::text AS id"
            " FROM generate_series(1, $2::int) AS i ORDER BY i",
            cls,
            keys,
        )
        found["file", cls] = [r["id"] for r in ids]
    await check_keys(conn, found)
    return found


async def check_keys(conn: asyncpg.Connection, found: dict[tuple[str, str], list[str]]) -> None:
    """Unknown keys name nothing; hidden ones name their rows (else the bench measures
    nothing but unknown keys)."""
    for (kind, cls), keys in found.items():
        if kind == "id":
            n = await conn.fetchval(
                "SELECT count(*) FROM releases WHERE id = ANY($1::uuid[])", keys
            )
        elif kind == "slug":
            n = await conn.fetchval(
                "SELECT count(DISTINCT slug) FROM release_translations WHERE slug = ANY($1)", keys
            )
        else:
            n = await conn.fetchval("SELECT count(*) FROM files WHERE id = ANY($1::uuid[])", keys)
        expected = 0 if cls in (UNKNOWN, "deleted") else len(keys)
        if n != expected or len(set(keys)) != len(keys):
            raise SystemExit(f"{kind} keys of {cls}: {n} found, {expected} expected")


def path_of(surface: Surface, key: str) -> str:
    return surface.template.format(key=key)


# What differs between two answers of one class for reasons that are not the class.
_VOLATILE_HEADERS = frozenset(("date", "x-request-id", "content-length"))


def normalised(
    response: httpx.Response, key: str
) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
    headers = tuple(
        sorted(
            (name, value.replace(key, "{key}"))
            for name, value in response.headers.items()
            if name not in _VOLATILE_HEADERS
        )
    )
    body = response.content.replace(key.encode(), b"{key}")
    return response.status_code, headers, body


@dataclass
class Shape:
    """The answers of each class next to unknown's: (surface, class) -> difference, if any."""

    statuses: dict[tuple[str, str], int] = field(default_factory=dict)
    differences: dict[tuple[str, str], str] = field(default_factory=dict)


async def compare_shapes(
    base_url: str, keys: dict[tuple[str, str], list[str]], count: int
) -> Shape:
    """For each surface, `count` keys of each class: every answer equals unknown's, once the
    volatile headers are out and the key itself is replaced."""
    shape = Shape()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for surface in SURFACES:
            answers: dict[str, set[tuple[int, tuple[tuple[str, str], ...], bytes]]] = {}
            for cls in surface.classes:
                answers[cls] = set()
                for key in keys[surface.keys, cls][-count:]:
                    response = await client.get(path_of(surface, key))
                    answers[cls].add(normalised(response, key))
                    shape.statuses[surface.name, cls] = response.status_code
            reference = answers[UNKNOWN]
            for cls, got in answers.items():
                if got != reference or len(got) != 1:
                    shape.differences[surface.name, cls] = describe(reference, got)
    return shape


def describe(
    reference: set[tuple[int, tuple[tuple[str, str], ...], bytes]],
    got: set[tuple[int, tuple[tuple[str, str], ...], bytes]],
) -> str:
    if len(got) != 1 or len(reference) != 1:
        return f"{len(got)} different answers among one class's keys"
    (status, headers, body), (status0, headers0, body0) = next(iter(got)), next(iter(reference))
    if status != status0:
        return f"status {status}, unknown {status0}"
    if headers != headers0:
        return f"headers {sorted(set(headers) ^ set(headers0))}"
    return f"body of {len(body)} bytes, unknown's {len(body0)}"


@dataclass
class Timings:
    """Seconds per request: (surface, class, "first" or "repeat") -> samples."""

    samples: dict[tuple[str, str, str], list[float]] = field(default_factory=dict)
    statuses: dict[tuple[str, str], set[int]] = field(default_factory=dict)

    def ms(self, surface: str, cls: str, kind: str, pct: float) -> float:
        return percentile(sorted(self.samples[surface, cls, kind]), pct) * 1000

    def ratio(self, surface: str, cls: str, kind: str, pct: float) -> float:
        return self.ms(surface, cls, kind, pct) / self.ms(surface, UNKNOWN, kind, pct)


async def time_requests(
    base_url: str,
    keys: dict[tuple[str, str], list[str]],
    rounds: int,
    per_round: int,
    progress: bool,
) -> Timings:
    """Each key once ("first") and at once again ("repeat"), every class of every surface in
    each step, in a shuffled order per step; a new key for every step."""
    timings = Timings()
    shuffle = random.Random(20261207)
    client = KeepAlive(base_url)
    try:
        turns = [(s, cls) for s in SURFACES for cls in s.classes]
        # Warm-up: the statements prepared on every pooled connection, the templates loaded.
        for surface, cls in turns * 3:
            await client.get(path_of(surface, keys[surface.keys, cls][-1]))
        for number in range(rounds):
            started = time.monotonic()
            for step in range(number * per_round, (number + 1) * per_round):
                shuffle.shuffle(turns)
                for surface, cls in turns:
                    path = path_of(surface, keys[surface.keys, cls][step])
                    for kind in ("first", "repeat"):
                        begin = time.perf_counter()
                        status, _ = await client.get(path)
                        elapsed = time.perf_counter() - begin
                        timings.samples.setdefault((surface.name, cls, kind), []).append(elapsed)
                        timings.statuses.setdefault((surface.name, cls), set()).add(status)
            if progress:
                print(
                    f"  round {number + 1}/{rounds}: {len(turns) * per_round * 2} requests"
                    f" in {time.monotonic() - started:.1f} s",
                    flush=True,
                )
    finally:
        await client.close()
    return timings


def serve_under_callgrind(database_url: str, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`press serve --workers 1` under callgrind, background work off (nothing but the
    requests runs between zeroing and dumping the counters)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "PRESS_DATA_DIR": str(workdir / "data-callgrind"),
        "PRESS_SECRET_KEY": "bench-secret-key-not-for-production",
        "PRESS_NO_WORKERS": "1",
    }
    command = [
        "valgrind",
        "--tool=callgrind",
        "--dump-line=no",  # totals are all this reads; a smaller dump is a faster one
        f"--callgrind-out-file={workdir}/callgrind.out.%p",
        *(sys.executable, "-m", "press", "serve", "--port", str(port), "--workers", "1"),
    ]
    with (workdir / "serve-callgrind.log").open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=ROOT)
    return process, f"http://127.0.0.1:{port}"


async def count_instructions(
    database_url: str,
    workdir: Path,
    keys: dict[tuple[str, str], list[str]],
    requests: int,
    rounds: int,
) -> dict[tuple[str, str], list[float]]:
    """Instructions per request, per (surface, class), once per round (the order of the
    classes reversed in every other round); keys not used by the timed run."""
    process, base_url = serve_under_callgrind(database_url, workdir)
    counts: dict[tuple[str, str], list[float]] = {}
    client = KeepAlive(base_url)
    try:
        deadline = time.monotonic() + 600
        while True:  # valgrind starts Python some fifty times slower
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit((workdir / "serve-callgrind.log").read_text()[-3000:])
            try:
                if (await client.get("/readyz"))[0] == 200:
                    break
            except OSError:
                await client.close()
            await asyncio.sleep(1)
        # Warm-up: every address and class thrice (first uses, statements prepared on the
        # pool's connections), so that no class is counted with the first-use costs.
        turns = [(s, cls) for s in SURFACES for cls in s.classes]
        for surface, cls in turns * 3:
            await client.get(path_of(surface, keys[surface.keys, cls][-1]))
        for number in range(rounds):
            for surface in SURFACES:
                classes = surface.classes if number % 2 == 0 else surface.classes[::-1]
                for cls in classes:
                    # From the end of the keys, after the warm-up's: none the timed run uses.
                    pool = keys[surface.keys, cls]
                    start = len(pool) - 1 - (number + 1) * requests
                    await asyncio.to_thread(zero, process.pid)
                    for key in pool[start : start + requests]:
                        await client.get(path_of(surface, key))
                    total = await asyncio.to_thread(dump, process.pid, workdir)
                    counts.setdefault((surface.name, cls), []).append(total / requests)
            print(f"  callgrind round {number + 1}/{rounds} done", flush=True)
    finally:
        await client.close()
        process.terminate()
        process.wait(120)
    return counts


# The statement each surface runs to find its key, and how it is called.
LOOKUPS = {
    "API by id": (RELEASE_QUERIES["fetch_public_release"], "uuid"),
    "API by slug": (RELEASE_QUERIES["fetch_public_release_by_slug"], "slug"),
    "press kit": (FILE_QUERIES["fetch_press_kit_release"], "uuid"),
    "file download": (FILE_QUERIES["fetch_public_file"], "uuid"),
}


@dataclass
class Lookups:
    """PostgreSQL's part: per (surface, class), the median over the keys of the buffers the
    lookup touches and of its execution time (ms), as EXPLAIN ANALYZE reports them."""

    buffers: dict[tuple[str, str], float] = field(default_factory=dict)
    ms: dict[tuple[str, str], float] = field(default_factory=dict)


async def explain_lookups(
    conn: asyncpg.Connection, keys: dict[tuple[str, str], list[str]], count: int
) -> Lookups:
    """The page by id and the file list run the lookups of the API by id and the press kit."""
    found = Lookups()
    for surface in SURFACES:
        if surface.name not in LOOKUPS:
            continue
        sql, kind = LOOKUPS[surface.name]
        for cls in surface.classes:
            blocks, ms = [], []
            for key in keys[surface.keys, cls][:count]:
                args: list[object] = [key] if kind == "uuid" else [key, None]
                # Decoded already: press's connections decode JSON.
                plan = await conn.fetchval(
                    "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql.rstrip().rstrip(";"), *args
                )
                top = plan[0]["Plan"]  # a node's buffers count its children's
                blocks.append(top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0))
                ms.append(plan[0]["Execution Time"])
            found.buffers[surface.name, cls] = statistics.median(blocks)
            found.ms[surface.name, cls] = statistics.median(ms)
    return found


def print_table(
    timings: Timings,
    counts: dict[tuple[str, str], list[float]] | None,
    lookups: Lookups,
    shape: Shape,
) -> None:
    print(
        f"{'':<30} {'first request (ms, ratio)':^37} {'repeat (ratio)':^13}"
        + (f" {'M instructions':^23}" if counts else "")
        + f" {'PostgreSQL':^13}"
    )
    print(
        f"{'address':<16} {'class':<9} {'status':>3} {'p10':>6} {'p50':>6} {'p90':>6}"
        f" {'p10':>5} {'p50':>5} {'p10':>5} {'p50':>5}"
        + (f" {'per req':>7} {'ratio':>6} {'spread':>6}" if counts else "")
        + f" {'bufs':>4} {'ms':>6}"
    )
    for surface in SURFACES:
        for cls in surface.classes:
            at = (surface.name, cls)
            line = f"{surface.name:<16} {cls[:9]:<9} {shape.statuses.get(at, 0):>3}"
            line += "".join(f" {timings.ms(*at, 'first', p):6.2f}" for p in (10, 50, 90))
            line += "".join(
                f" {timings.ratio(*at, kind, p):5.2f}"
                for kind in ("first", "repeat")
                for p in (10, 50)
            )
            if counts:
                mine = statistics.median(counts[at])
                unknown = statistics.median(counts[surface.name, UNKNOWN])
                spread = (max(counts[at]) - min(counts[at])) / mine
                line += f" {mine / 1e6:7.3f} {mine / unknown:6.3f} {spread:6.1%}"
            if at in lookups.buffers:
                line += f" {lookups.buffers[at]:4.0f} {lookups.ms[at]:6.3f}"
            print(line)


def verdict(
    timings: Timings,
    counts: dict[tuple[str, str], list[float]],
    shape: Shape,
) -> tuple[bool, str]:
    failures = [f"{s}/{c}: {why}" for (s, c), why in shape.differences.items()]
    worst_time, worst_count = (1.0, ""), (1.0, "")
    for surface in SURFACES:
        for cls in surface.classes[1:]:
            for kind in ("first", "repeat"):
                r = timings.ratio(surface.name, cls, kind, TIME_PERCENTILE)
                if abs(r - 1) > abs(worst_time[0] - 1):
                    worst_time = (r, f"{surface.name}/{cls}/{kind}")
                if abs(r - 1) > TIME_BOUND:
                    failures.append(
                        f"{surface.name}/{cls} {kind} p{TIME_PERCENTILE} {r:.2f}x unknown's"
                    )
            mine = statistics.median(counts[surface.name, cls])
            r = mine / statistics.median(counts[surface.name, UNKNOWN])
            if abs(r - 1) > abs(worst_count[0] - 1):
                worst_count = (r, f"{surface.name}/{cls}")
            if abs(r - 1) > INSTRUCTIONS_BOUND:
                failures.append(f"{surface.name}/{cls} {r:.3f}x unknown's instructions")
    note = (
        f"{len(SURFACES)} addresses, {len(RELEASE_CLASSES) - 1} hidden release classes"
        f" ({len(FILE_CLASSES) - 1} of files): status, headers and body as unknown's;"
        f" worst p{TIME_PERCENTILE} {worst_time[0]:.3f}x unknown's ({worst_time[1]}, bound"
        f" ±{TIME_BOUND:.0%}), worst instructions {worst_count[0]:.3f}x ({worst_count[1]},"
        f" bound ±{INSTRUCTIONS_BOUND:.0%})"
    )
    if failures:
        note += "; " + "; ".join(failures)
    return not failures, note


async def bench(args: argparse.Namespace, workdir: Path) -> int:
    server = EmbeddedServer(workdir / "pg", fast_unsafe=True)
    served = None
    try:
        database_url = server.start()
        conn = await connect(database_url)
        try:
            await migrate(conn)
            await seed.seed(database_url, recent=RECENT, archive=0)
            await hide_releases(conn, args.keys)
            keys = await key_lists(conn, args.keys)
            lookups = await explain_lookups(conn, keys, 20)
        finally:
            await conn.close()
        served = Served(1, database_url, workdir)
        await served.ready()
        shape = await compare_shapes(served.url, keys, 3)
        rounds, per_round = (1, 3) if args.smoke else (args.rounds, args.per_round)
        needed = rounds * per_round + (
            0 if args.smoke else 1 + args.callgrind_rounds * args.callgrind_requests
        )
        if needed > args.keys:
            raise SystemExit(f"--keys {args.keys} is too few: this run needs {needed}")
        timings = await time_requests(served.url, keys, rounds, per_round, not args.smoke)
        served.stop()
        served = None
        counts = None
        if not args.smoke:
            counts = await count_instructions(
                database_url, workdir, keys, args.callgrind_requests, args.callgrind_rounds
            )
        print_table(timings, counts, lookups, shape)
    finally:
        if served is not None:
            served.stop()
        server.shutdown()
    if args.smoke:
        failed = sorted(shape.differences) or [
            k for k, v in timings.statuses.items() if any(s >= 500 for s in v)
        ]
        print("smoke:", f"FAIL: {failed}" if failed else "OK (no threshold)")
        return 1 if failed else 0
    assert counts is not None
    ok, note = verdict(timings, counts, shape)
    print(f"EX1 {'PASS' if ok else 'FAIL'}  {note}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=400, help="releases per hidden class")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--per-round", type=int, default=60, help="keys per class per round")
    parser.add_argument("--callgrind-requests", type=int, default=40)
    parser.add_argument("--callgrind-rounds", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help="no callgrind, no thresholds")
    args = parser.parse_args()
    if not args.smoke and shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: `apt-get install valgrind`")
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="press-bench-existence-"))
    try:
        code = asyncio.run(bench(args, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"total {time.monotonic() - started:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main())
