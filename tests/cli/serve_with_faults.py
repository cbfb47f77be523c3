"""`press serve`, run as a script, with faults the real app does not have: a handler whose
error names the URL it was asked for (press's error handler logs it), the same error raised
outside the app (uvicorn logs it), and in a loop callback (asyncio logs it). The tests of
the log (test_serve_logs.py) start it to see what reaches the log when code fails."""

from __future__ import annotations

import asyncio
import functools
import sys
from typing import Any

import press.workers
from press.cli import main

RAISES = "/feeds/private/{token:str}/raises"  # through press's error handler
ESCAPES = "/escapes"  # out of the app, to uvicorn
IN_CALLBACK = "/in-callback"  # in a callback, to asyncio's logger

_serve = press.workers.serve


def serve_this_app(app: str, **options: Any) -> None:
    # The script runs as __main__: uvicorn finds create_app below there (one worker).
    _serve("__main__:create_app", **options)


def fail(url: str) -> None:
    raise RuntimeError(f"cannot read {url}")


class FailingOutsideTheApp:
    def __init__(self, app: Any) -> None:
        self.app = app  # press.protocol finds the edge through it

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] in (ESCAPES, IN_CALLBACK):
            url = scope["path"] + "?" + scope["query_string"].decode()
            if scope["path"] == ESCAPES:
                fail(url)
            asyncio.get_running_loop().call_soon(functools.partial(fail, url))
        await self.app(scope, receive, send)


def create_app() -> Any:
    from litestar import Request, get

    from press.app import create_app as press_app

    @get(RAISES, sync_to_thread=False)
    def raises(request: Request[Any, Any, Any], token: str) -> None:
        fail(str(request.url))

    app = press_app()
    app.register(raises)
    return FailingOutsideTheApp(app)


if __name__ == "__main__":
    press.workers.serve = serve_this_app
    main(sys.argv[1:])
