"""The app for tests that run a real server process (`uvicorn --factory`)."""

from __future__ import annotations

from litestar import Litestar

from press.app import create_app
from press.settings import Settings


def app() -> Litestar:
    return create_app(Settings.from_env())
