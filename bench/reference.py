"""The benchmark server: the real app, with reference apps under `/__ref/…` beside it.

One ASGI callable, served by one uvicorn process, so every figure shares the server, its
configuration and its event loop. `/__ref/…` never reaches press; everything else does.

References (the ceilings the public read path is compared with):
- `/__ref/asgi/constant`: a bare ASGI app answering a 2 KB constant;
- `/__ref/litestar/constant`: the same 2 KB constant from a Litestar handler;
- `/__ref/litestar/memory`: Litestar encoding 20 in-memory releases of the public shape;
- `/__ref/litestar/one-query`: Litestar running the naive public list's one asyncpg query
  (`list_public_releases`, first page; `source`, `topic` and `lang` passed through).
- `/__ref/search/sql?q=…&lang=…`: a bare ASGI answer after running the SQL of one page of
  the public search (as bench/search.py runs it) on press's own connection pool, so on the
  database sessions the API uses: what the API adds to its SQL is measured against this.
- `/__ref/asgi/same-bytes?path=…`: a bare ASGI app sending exactly what press sent for
  `path` (status, headers, body), asked of press once, in-process, on the first request.
`/__ref/stats` reports how many public responses press has rendered (its cache's `builds`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

import msgspec
from litestar import Litestar, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.types import ASGIApp, Receive, Scope, Send

from press.app import create_app
from press.db import PoolDatabase
from press.releases import repository
from press.releases.public import language_preference, to_public
from press.releases.schemas import PublicReleasePage

PAGE = 20
_ITEMS = [{"id": f"{n:032x}", "title": "Kaupunginhallitus päätti"} for n in range(20)]
CONSTANT = msgspec.json.encode({"items": _ITEMS, "next": None})
CONSTANT = CONSTANT[:-1] + b', "pad": "' + b"x" * (2048 - len(CONSTANT) - 11) + b'"}'
assert len(CONSTANT) == 2048, len(CONSTANT)
_CONSTANT_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(CONSTANT)).encode()),
]


async def asgi_constant(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": _CONSTANT_HEADERS})
    await send({"type": "http.response.body", "body": CONSTANT, "more_body": False})


@get("/__ref/litestar/constant")
async def litestar_constant() -> Response[bytes]:
    return Response(CONSTANT, media_type="application/json")


@get("/__ref/litestar/memory")
async def litestar_memory(state: State) -> PublicReleasePage:
    return PublicReleasePage(items=state.releases, next=None)


@get("/__ref/litestar/one-query")
async def litestar_one_query(
    request: Request[Any, Any, Any],
    state: State,
    source: FromQuery[str | None] = None,
    topic: FromQuery[str | None] = None,
    lang: FromQuery[str | None] = None,
) -> PublicReleasePage:
    async with state.db.acquire() as conn:
        rows = await repository.list_public_releases(
            conn,
            source=source,
            topic=topic,
            lang=lang,
            since=None,
            until=None,
            after=None,
            limit=PAGE + 1,
        )
    preference = language_preference(lang, request.headers.get("accept-language"))
    items = [
        to_public(r, preference, state.sources, state.topics, state.release_url)
        for r in rows[:PAGE]
    ]
    return PublicReleasePage(items=items, next=None)


def reference_app(database_url: str, release_url: Any) -> Litestar:
    @asynccontextmanager
    async def open_pool(app: Litestar) -> AsyncIterator[None]:
        # The same pool as press opens: same size, same codecs, same statement cache.
        db = await PoolDatabase.open(database_url, 1, 10)
        async with db.acquire() as conn:
            app.state.sources = {r["slug"]: r for r in await repository.list_sources(conn)}
            app.state.topics = {r["slug"]: r for r in await repository.list_topics(conn)}
            rows = await repository.list_public_releases(
                conn,
                source=None,
                topic=None,
                lang=None,
                since=None,
                until=None,
                after=None,
                limit=PAGE,
            )
        preference = language_preference(None, None)
        app.state.releases = [
            to_public(r, preference, app.state.sources, app.state.topics, release_url) for r in rows
        ]
        app.state.db = db
        app.state.release_url = release_url
        try:
            yield
        finally:
            await db.close()

    return Litestar(
        route_handlers=[litestar_constant, litestar_memory, litestar_one_query],
        lifespan=[open_pool],
        openapi_config=None,
    )


class _Lifespan:
    """Runs one sub-app's lifespan protocol for the combined app."""

    def __init__(self, app: ASGIApp, scope: Scope) -> None:
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        sub_scope = {**scope, "state": {}}
        self.task = asyncio.create_task(app(sub_scope, self.inbox.get, self.outbox.put))  # type: ignore[arg-type]

    async def step(self, kind: str) -> None:
        await self.inbox.put({"type": f"lifespan.{kind}"})
        reply = asyncio.create_task(self.outbox.get())
        await asyncio.wait({reply, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if not reply.done():
            reply.cancel()
            self.task.result()  # raises what the app raised
            raise RuntimeError(f"lifespan {kind}: the app ended without answering")
        message = reply.result()
        if message["type"].endswith(".failed"):
            raise RuntimeError(message.get("message", f"lifespan {kind} failed"))


class BenchServer:
    """Route `/__ref/…` to the references and everything else to press."""

    def __init__(self, press_app: Litestar, references: Litestar) -> None:
        self.press_app = press_app
        # The app inside, where press.protocol finds press's edge: what the public cache
        # holds is answered by the server as `press serve` answers it (no `/__ref/` path is
        # ever in that cache).
        self.app = press_app
        self.references = references
        self.same_bytes: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(scope, receive, send)
            return
        path = scope.get("path", "")
        if not path.startswith("/__ref/"):
            await self.press_app(scope, receive, send)
        elif path == "/__ref/asgi/constant":
            await asgi_constant(scope, receive, send)
        elif path == "/__ref/asgi/same-bytes":
            await self._same_bytes(scope, receive, send)
        elif path == "/__ref/stats":
            await self._stats(send)
        elif path == "/__ref/search/sql":
            await self._search_sql(scope, send)
        else:
            await self.references(scope, receive, send)

    async def _same_bytes(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = parse_qs(scope["query_string"].decode())["path"][0]
        answer = self.same_bytes.get(target)
        if answer is None:
            answer = self.same_bytes[target] = await self._ask_press(scope, target, receive)
        start, body = answer
        await send(start)
        await send(body)

    async def _ask_press(
        self, scope: Scope, target: str, receive: Receive
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """press's answer to a plain GET of `target`, kept as its two messages (less the
        request id, which is each request's own)."""
        path, _, query = target.partition("?")
        asked = {**scope, "path": path, "raw_path": path.encode(), "query_string": query.encode()}
        sent: list[dict[str, Any]] = []

        async def keep(message: Any) -> None:
            sent.append(dict(message))

        await self.press_app(asked, receive, keep)
        start, body = sent[0], {"type": "http.response.body", "more_body": False}
        start["headers"] = [(k, v) for k, v in start["headers"] if k != b"x-request-id"]
        body["body"] = b"".join(m.get("body", b"") for m in sent[1:])
        return start, body

    async def _stats(self, send: Send) -> None:
        cache = self.press_app.state.public_cache
        body = msgspec.json.encode(
            {"builds": cache.builds, "enabled": cache.enabled, "generation": cache.generation}
        )
        headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _search_sql(self, scope: Scope, send: Send) -> None:
        from search import search_sql  # bench/search.py, beside this module

        params = parse_qs(scope["query_string"].decode())
        q, lang = params["q"][0], params.get("lang", [None])[0]
        async with self.press_app.state.db.acquire() as conn:
            hits = await search_sql(conn, q, lang)
        body = msgspec.json.encode({"hits": hits})
        headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        running: list[_Lifespan] = []
        try:
            for app in (self.press_app, self.references):
                running.append(_Lifespan(app, scope))
                await running[-1].step("startup")
        except Exception as exc:
            await send({"type": "lifespan.startup.failed", "message": repr(exc)})
            return
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        for lifespan in reversed(running):
            await lifespan.step("shutdown")
        await send({"type": "lifespan.shutdown.complete"})


def create_bench_app() -> BenchServer:
    """The uvicorn factory: press configured from the environment, as `press serve` does."""
    press_app = create_app()
    settings = press_app.state.settings
    return BenchServer(press_app, reference_app(os.environ["DATABASE_URL"], settings.release_url))


def main() -> None:
    """`python bench/reference.py --port N`: serve the bench's app as `press serve` serves
    press (its HTTP protocol and limits), with no access log."""
    import argparse

    import uvicorn

    from press.protocol import server_options
    from press.settings import Settings

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        "reference:create_bench_app",
        factory=True,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        **server_options(Settings.from_env()),
    )


if __name__ == "__main__":
    main()
