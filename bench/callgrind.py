"""Instructions per request of public URLs, counted by callgrind: `python bench/callgrind.py`.

Wall-clock figures on a shared two-core machine move with whatever else runs; the number of
instructions the server executes per request does not. This seeds a small database on the
embedded PostgreSQL, serves bench/reference.py's app (press and the references) from one
uvicorn process under `valgrind --tool=callgrind`, and for each URL: 20 requests to warm up,
the counters zeroed, N requests one after another, the counters dumped. Only the server
process is counted (PostgreSQL runs outside valgrind): what press adds in Python and in its
libraries, not what its SQL costs in the database. Under valgrind SHA-256 runs without the
CPU's SHA instructions, so an ETag counts for more than it costs natively.

    python bench/callgrind.py                        # the list, the RSS feed, the reference
    python bench/callgrind.py --cache-mb 64 --bust   # cache on, each request a new URL
    python bench/callgrind.py /api/v1/releases?lang=sv -n 200

Needs valgrind (`apt-get install valgrind`). About 5 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import httpx  # noqa: E402
import seed  # noqa: E402

from press.db import connect  # noqa: E402
from press.embedded import EmbeddedServer  # noqa: E402
from press.migrations import migrate  # noqa: E402

DEFAULT_PATHS = ("/api/v1/releases", "/feeds/releases.rss", "/__ref/litestar/one-query")


def serve(
    database_url: str, workdir: Path, cache_mb: str, request_log: bool
) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "PRESS_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PRESS_DATA_DIR": str(workdir / "data"),
        "PRESS_SECRET_KEY": "bench-secret-key-not-for-production",
        "PRESS_PUBLIC_CACHE_MB": cache_mb,
        "PRESS_NO_WORKERS": "1",
        "PRESS_REQUEST_LOG": "on" if request_log else "off",
    }
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={workdir}/callgrind.out.%p",
        # uvicorn with press's own HTTP protocol, as `press serve` runs it.
        *(sys.executable, str(BENCH / "reference.py"), "--port", str(port)),
    ]
    with (workdir / "server.log").open("w") as log:
        # From this checkout's root: `python -m` puts the working directory first on the path.
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log, cwd=ROOT)
    return process, f"http://127.0.0.1:{port}"


def zero(pid: int) -> None:
    subprocess.run(["callgrind_control", "--zero", str(pid)], capture_output=True, check=True)


def dump(pid: int, workdir: Path) -> int:
    """Dump the counters; the instructions counted since they were last zeroed."""
    subprocess.run(["callgrind_control", "--dump", str(pid)], capture_output=True, check=True)
    time.sleep(1)
    newest = max(workdir.glob("callgrind.out.*"), key=lambda p: p.stat().st_mtime)
    found = re.search(r"^(?:summary|totals):\s*(\d+)", newest.read_text(errors="replace"), re.M)
    if found is None:
        raise SystemExit(f"no totals in {newest}")
    return int(found.group(1))


async def measure(args: argparse.Namespace, database_url: str, workdir: Path) -> None:
    conn = await connect(database_url)
    try:
        await migrate(conn)
    finally:
        await conn.close()
    await seed.seed(database_url, recent=300, archive=2000)
    process, base_url = serve(database_url, workdir, args.cache_mb, not args.no_request_log)
    try:
        # As wrk asks: no compression (a feed compresses itself for whoever accepts it).
        identity = {"Accept-Encoding": "identity"}
        async with httpx.AsyncClient(base_url=base_url, timeout=120, headers=identity) as client:
            while True:  # valgrind starts Python some fifty times slower
                if process.poll() is not None:
                    raise SystemExit((workdir / "server.log").read_text()[-3000:])
                try:
                    await client.get("/__ref/stats")
                    break
                except httpx.HTTPError:
                    await asyncio.sleep(1)
            for path in args.paths or DEFAULT_PATHS:
                for _ in range(20):
                    response = await client.get(path)
                    response.raise_for_status()
                headers = {}
                if args.revalidate:  # the representation's own ETag: 304s
                    plain = await client.get(path)
                    headers = {"If-None-Match": plain.headers["etag"]}
                await asyncio.to_thread(zero, process.pid)
                for i in range(args.n):
                    sep = "&" if "?" in path else "?"
                    await client.get(f"{path}{sep}_={i}" if args.bust else path, headers=headers)
                per_request = await asyncio.to_thread(dump, process.pid, workdir) / args.n
                print(f"{path:<40} {per_request / 1e6:8.3f} M instructions/request", flush=True)
    finally:
        process.terminate()
        process.wait(120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="URLs to count (default: list, RSS, reference)")
    parser.add_argument("-n", type=int, default=100, help="requests counted per URL")
    parser.add_argument("--cache-mb", default="0", help="PRESS_PUBLIC_CACHE_MB (default 0)")
    parser.add_argument("--bust", action="store_true", help="add a distinct `_=i` to each")
    parser.add_argument(
        "--revalidate", action="store_true", help="send the ETag back: count the 304s"
    )
    parser.add_argument(
        "--no-request-log", action="store_true", help="PRESS_REQUEST_LOG=off (default on)"
    )
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: `apt-get install valgrind`")
    workdir = Path(tempfile.mkdtemp(prefix="press-callgrind-"))
    server = EmbeddedServer(workdir / "pg", fast_unsafe=True)
    try:
        asyncio.run(measure(args, server.start(), workdir))
    finally:
        server.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
