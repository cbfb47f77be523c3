"""An unknown address outside the API is a page in the reader's language, not JSON."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import NotFoundException

from press.errors import http_exception_handler
from press.web import i18n
from press.web.caching import missing_page

# Machines read these: their unknown addresses keep the problem document.
MACHINE_PATHS = ("/api/", "/feeds/", "/schema")


def not_found_handler(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
    path: str = request.scope["path"]
    if path.startswith(MACHINE_PATHS) or path == "/api":
        return http_exception_handler(request, exc)
    first = path.strip("/").split("/", 1)[0]
    lang = (
        first
        if first in i18n.LANGS
        else i18n.reader_language(request.headers.get("accept-language"))
    )
    return missing_page(request, lang, gone=False)
