"""Archive benchmark: server memory during a 1 GB upload, and search latency on 100,000 releases.

    python bench/archive.py [--releases 100000] [--upload-mb 1024] [--rounds 40]

Starts the embedded PostgreSQL in a temporary directory (or uses PRESS_BENCH_DATABASE_URL, a
server URL where it may create the database `press_bench`), generates the releases with SQL
(generate_series over a fi/sv/en vocabulary), starts `uvicorn` on the app as a real process,
and prints the figures. Targets: peak RSS under 100 MB above idle; search p95 in tens of ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from press.db import connect  # noqa: E402
from press.embedded import EmbeddedServer  # noqa: E402
from press.migrations import migrate  # noqa: E402
from press.staff import repository as staff_repository  # noqa: E402
from press.staff.auth import STAFF_TOKEN_PREFIX, hash_password  # noqa: E402

# Common words first: words are drawn with a skew towards the start of each list, so the last
# ones are rare. Finnish includes inflected forms as real text has them.
VOCABULARY: dict[str, str] = {
    "fi": (
        "kaupunki kaupungin kaupunginhallitus kaupunginvaltuusto päätöksen päätökset "
        "talousarvio talousarvion asukkaat palvelut koulu koulujen liikenne asuminen "
        "ympäristö kokouksessa esitys hyväksyi päätti vuoden uusi hanke hankkeen kaava "
        "kaavan rakentaminen investoinnit henkilöstö terveys sosiaalipalvelut kirjasto "
        "kulttuuri liikunta pyöräily raitiotie satama kunnallisvero sopimuksen valtuusto "
        "lautakunta tarjous urakka katu kadun puisto puiston energia ilmasto päästöt "
        "sopimukset kokous tiedote avustus avustukset nuoret vanhukset päiväkoti "
        "päätöksestä"
    ),
    "sv": (
        "staden stadens stadsstyrelsen stadsfullmäktige beslut beslutet besluten budget "
        "budgeten invånare tjänster skola skolor trafik boende miljö sammanträdet förslag "
        "godkände beslöt året nytt projekt projektet plan planen byggande investeringar "
        "personal hälsa socialtjänst bibliotek kultur idrott cykling spårväg hamn "
        "kommunalskatt avtal fullmäktige nämnd anbud entreprenad gata park energi klimat "
        "utsläpp ungdomar äldre daghem"
    ),
    "en": (
        "city council board decision decisions budget residents services school schools "
        "traffic housing environment meeting proposal approved decided year new project "
        "plan zoning construction investments staff health social library culture sports "
        "cycling tramway harbour tax agreement committee tender contract street park energy "
        "climate emissions youth elderly daycare"
    ),
}
# Rare words, each put into about one release in 2,000 of its language.
RARE = {"fi": "ratikkavarikko", "sv": "spårvagnsdepå", "en": "tram depot"}
QUERIES = [
    ("rare word (fi)", {"q": "ratikkavarikko"}),
    ("rare word (sv)", {"q": "spårvagnsdepå"}),
    ("common word (fi)", {"q": "kaupunki"}),
    ("inflected Finnish", {"q": "päätös"}),
    ("Swedish", {"q": "stadsstyrelsen budget", "lang": "sv"}),
    ("English", {"q": "council decision", "lang": "en"}),
    ("phrase", {"q": '"city council"'}),
    ("prefix (typing)", {"q": "talousar"}),
    ("two words + source", {"q": "raitiotie kaava", "source": "city-board"}),
]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def prepare_database(server_url: str, releases: int) -> str:
    admin = await asyncpg.connect(server_url)
    await admin.execute("DROP DATABASE IF EXISTS press_bench WITH (FORCE)")
    await admin.execute("CREATE DATABASE press_bench")
    await admin.close()
    url = with_database(server_url, "press_bench")
    conn = await connect(url)
    try:
        await migrate(conn)
        started = time.perf_counter()
        await generate_releases(conn, releases)
        await conn.execute("VACUUM ANALYZE")
        print(f"generated {releases} releases in {time.perf_counter() - started:.1f} s")
    finally:
        await conn.close()
    return url


async def generate_releases(conn: asyncpg.Connection, count: int) -> None:
    # 1 in 50 is scheduled under embargo (future), 1 in 100 a draft: they must never show.
    await conn.execute(
        """
        INSERT INTO releases (source, state, publish_at, embargo)
        SELECT (ARRAY['city-council', 'city-board', 'city-executive-office'])[1 + g % 3],
               CASE WHEN g % 50 = 0 THEN 'scheduled' WHEN g % 100 = 1 THEN 'draft'
                    ELSE 'published' END,
               CASE WHEN g % 50 = 0 THEN now() + interval '30 days'
                    WHEN g % 100 = 1 THEN NULL
                    ELSE now() - g * interval '47 minutes' END,
               g % 50 = 0
        FROM generate_series(1, $1) AS g
        """,
        count,
    )
    for lang, text in VOCABULARY.items():
        words = text.split()
        # power(random(), 2.5) skews towards the start of the list: early words are common.
        await conn.execute(
            """
            INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug)
            SELECT r.id, $1, x.title, x.lead, x.body, '<p>' || x.body || '</p>',
                   'r-' || r.id::text
            FROM releases r, LATERAL (
                SELECT initcap(string_agg(w, ' ') FILTER (WHERE n <= 6)) AS title,
                       string_agg(w, ' ') FILTER (WHERE n > 6 AND n <= 20) AS lead,
                       string_agg(w, ' ') FILTER (WHERE n > 20) AS body
                FROM (SELECT n, ($2::text[])[1 + floor(power(random(), 2.5)
                                 * array_length($2::text[], 1))::int] AS w
                      FROM generate_series(1, 60 + (r.created_at IS NULL)::int) AS n) AS words
            ) AS x
            """,
            lang,
            words,
        )
        await conn.execute(
            "UPDATE release_translations SET body = body || ' ' || $2"
            " WHERE lang = $1 AND random() < 0.0005",
            lang,
            RARE[lang],
        )


async def editor_token(url: str) -> str:
    conn = await connect(url)
    try:
        user = await staff_repository.create_staff_user(
            conn, f"bench-{secrets.token_hex(3)}@city.example", "Bench", "editor",
            await hash_password("bench-password"),
        )  # fmt: skip
        token = STAFF_TOKEN_PREFIX + secrets.token_urlsafe(16)
        await staff_repository.create_staff_token(conn, user.id, token, 2)
        return token
    finally:
        await conn.close()


def start_server(url: str, data_dir: Path, upload_mb: int) -> tuple[subprocess.Popen[bytes], int]:
    listener = socket.socket()
    # Accepted sockets inherit this on Linux; without it every response waits ~40 ms for a
    # delayed ACK (Nagle), which would swamp the figures.
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PRESS_DATA_DIR": str(data_dir),
        "PRESS_SECRET_KEY": "bench",
        "PRESS_NO_WORKERS": "1",
        "PRESS_MAX_UPLOAD_MB": str(upload_mb + 1),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "tests.archive.server_app:app",
        "--fd", str(listener.fileno()), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, pass_fds=(listener.fileno(),), cwd=ROOT)
    port = listener.getsockname()[1]
    listener.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server, port
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def big_pdf(size: int) -> tuple[int, Iterator[bytes]]:
    """A valid PDF of about `size` bytes whose bulk is one stream, generated on the fly."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    head = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(head))
        head += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets.append(len(head))
    padding = max(0, size - len(head) - 400)
    head += b"4 0 obj\n<< /Length %d >>\nstream\n" % padding
    stream_end = len(head) + padding
    tail = bytearray(b"\nendstream\nendobj\n")
    xref_at = stream_end + len(tail)
    tail += b"xref\n0 5\n0000000000 65535 f \n"
    for offset in offsets:
        tail += b"%010d 00000 n \n" % offset
    tail += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at

    def chunks() -> Iterator[bytes]:
        yield bytes(head)
        block = b"0" * (1024 * 1024)
        left = padding
        while left > 0:
            piece = block[: min(len(block), left)]
            left -= len(piece)
            yield piece
        yield bytes(tail)

    return len(head) + padding + len(tail), chunks()


def measure_upload(port: int, pid: int, token: str, size_mb: int) -> None:
    process = psutil.Process(pid)
    httpx.get(f"http://127.0.0.1:{port}/api/v1/releases?q=kaupunki")  # warm up
    idle = process.memory_info().rss
    size, body = big_pdf(size_mb * 2**20)
    boundary = "bench-boundary-" + secrets.token_hex(8)
    preamble = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    closing = f"\r\n--{boundary}--\r\n".encode()

    def multipart() -> Iterator[bytes]:
        yield preamble
        yield from body
        yield closing

    peak = idle
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, process.memory_info().rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    response = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/manage/files/",
        content=multipart(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(preamble) + size + len(closing)),
        },
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    assert response.status_code == 201, response.text
    mb = 2**20
    print(
        f"upload {size / mb:.0f} MB: {response.status_code} in {elapsed:.1f} s "
        f"({size / mb / elapsed:.0f} MB/s); server RSS idle {idle / mb:.1f} MB, "
        f"peak {peak / mb:.1f} MB, peak above idle {(peak - idle) / mb:.1f} MB"
    )


def measure_search(port: int, rounds: int) -> None:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        print(f"search latency over HTTP, {rounds} rounds each (ms):")
        print(f"  {'query':<24} {'hits(page)':>10} {'p50':>8} {'p95':>8}")
        for label, params in QUERIES:
            first = client.get("/api/v1/releases", params=params)
            assert first.status_code == 200, first.text
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                client.get("/api/v1/releases", params=params)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            hits = len(first.json()["items"])
            print(f"  {label:<24} {hits:>10} {statistics.median(times):>8.1f} {p95:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--upload-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="press-bench-"))
    embedded = None
    server_url = os.environ.get("PRESS_BENCH_DATABASE_URL")
    if not server_url:
        embedded = EmbeddedServer(work / "pg", fast_unsafe=True)
        embedded.start()
        server_url = embedded.url("postgres")
    server = None
    try:
        url = asyncio.run(prepare_database(server_url, args.releases))
        token = asyncio.run(editor_token(url))
        server, port = start_server(url, work / "data", args.upload_mb)
        measure_search(port, args.rounds)
        measure_upload(port, server.pid, token, args.upload_mb)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if embedded is not None:
            embedded.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
