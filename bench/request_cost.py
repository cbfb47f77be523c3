"""What the request log and the request metrics cost per request, in instructions.

`python bench/request_cost.py` runs, under callgrind, an ASGI app answering a 2 KB constant
(as press.edge answers from the public cache): bare; inside press.ops.request_log.RequestLog
(the wrapper around the framework: metrics only, metrics and the JSON line); and with the
accounting press.edge does for the answers it sends itself. Each runs N and 3N requests
(N is 1000 unless `--requests` says otherwise); the difference over 2N is the instructions
per request, start-up and first-use costs cancelled. Callgrind counts the same whatever
else the machine does, so changes of a few percent show where wrk's figures on a shared
machine are noise.

Needs valgrind. A minute or two per run on a quiet machine; `--variants` picks some.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

BODY = b"x" * 2048
HEADERS = [
    (b"host", b"127.0.0.1:8000"),
    (b"user-agent", b"wrk"),
    (b"accept", b"*/*"),
    (b"accept-encoding", b"gzip"),
]
# Around the app: the wrapper press puts around the framework. At the edge: the accounting
# press.edge does for the answers it sends itself (the public cache's).
VARIANTS = ("bare", "app: metrics", "app: metrics+json", "edge: metrics", "edge: metrics+json")


async def constant(scope: Any, receive: Any, send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"2048")],
        }
    )
    await send({"type": "http.response.body", "body": BODY, "more_body": False})


async def drive(variant: str, requests: int) -> None:
    # Imported for every variant, so that the run with no requests is the same for all.
    from press.ops.metrics import Metrics
    from press.ops.request_log import RequestLog, request_lines

    app: Any = constant
    if variant != "bare":
        writer = request_lines(variant.endswith("json"), io.BytesIO()) if "+" in variant else None
        app = log = RequestLog(constant, Metrics(), writer)
    if variant.startswith("edge"):

        async def app(scope: Any, receive: Any, send: Any) -> None:
            started = perf_counter()
            request_id = log.request_id(None)
            await constant(scope, receive, send)
            route = log.route_of(scope["path"])
            log.answered(scope, "GET", route, 200, 2048, perf_counter() - started, request_id)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        pass

    for _ in range(requests):
        scope = {
            "type": "http",
            "method": "GET",
            "path": "/api/v1/releases",
            "query_string": b"",
            "headers": HEADERS,
            "path_template": "/api/v1/releases",
        }
        await app(scope, receive, send)


def instructions(variant: str, requests: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(
            [
                *("valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"),
                *(sys.executable, __file__, "--run", variant, "--requests", str(requests)),
            ],
            check=True,
            capture_output=True,
        )
        summary = re.search(r"^summary: (\d+)", out.read_text(), re.M)
        assert summary is not None
        return int(summary[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--run", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated")
    args = parser.parse_args()
    if args.run:
        asyncio.run(drive(args.run, args.requests))
        return
    print(f"{'variant':<20} {'instructions/request':>21} {'added to bare':>14}")
    bare = None
    for variant in args.variants.split(","):
        # The difference between N and 3N requests: start-up and first-use costs cancel.
        more = instructions(variant, 3 * args.requests) - instructions(variant, args.requests)
        per = more / (2 * args.requests)
        bare = per if bare is None else bare
        print(f"{variant:<20} {per:21,.0f} {per - bare:14,.0f}")


if __name__ == "__main__":
    main()
