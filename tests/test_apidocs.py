"""The API reference at /schema works with no internet: every file it loads is press's own."""

from __future__ import annotations

import re

import httpx
import pytest

ATTRIBUTE_URLS = re.compile(r"""(?:src|href)\s*=\s*["']([^"']*)["']""")


@pytest.mark.parametrize("path", ["/schema", "/schema/swagger"])
async def test_api_reference_loads_only_files_press_serves(
    client: httpx.AsyncClient, path: str
) -> None:
    page = await client.get(path)
    assert page.status_code == 200
    assert "SwaggerUIBundle" in page.text
    urls = ATTRIBUTE_URLS.findall(page.text)
    assert urls, "the page loads its script and styles"
    for url in urls:
        assert url.startswith("/"), f"{url} is on another host"
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 10_000, url
    assert "cdn." not in page.text
    assert "unpkg" not in page.text


async def test_only_the_reference_files_are_served_from_its_folder(
    client: httpx.AsyncClient,
) -> None:
    css = await client.get("/schema/assets/swagger-ui.css")
    assert css.headers["content-type"].startswith("text/css")
    for name in ("index.html", "..%2F__init__.py", "swagger-initializer.js"):
        assert (await client.get(f"/schema/assets/{name}")).status_code == 404
