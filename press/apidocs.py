"""The API reference at /schema, served whole by press: no page of it names another host.

Swagger UI's files come from the `swagger-ui-bundle-v2` wheel, installed with press, and are
served from /schema/assets/; an intranet with no internet still gets a working reference.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath

ASSETS_PATH = "/schema/assets"
# Only these files are served: the bundle's folder also holds examples and maps.
_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}


def _bundle_folder() -> Traversable:
    from swagger_ui_bundle import swagger_ui_path

    folder: Traversable = swagger_ui_path
    return folder


def api_reference_plugin() -> SwaggerRenderPlugin:
    """Swagger UI at /schema (and /schema/swagger), its scripts and styles from press."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon="",
        path="/swagger",
    )


@get(f"{ASSETS_PATH}/{{name:str}}", include_in_schema=False, sync_to_thread=False)
def get_api_reference_asset(name: FromPath[str]) -> Response[bytes]:
    media_type = _ASSETS.get(name)
    if media_type is None:
        raise NotFoundException()
    return Response(
        (_bundle_folder() / name).read_bytes(),
        media_type=media_type,
        # The files change only with the installed bundle, i.e. with a new release of press.
        headers={"Cache-Control": "public, max-age=86400"},
    )
