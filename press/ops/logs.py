"""How press's log lines look: one JSON object a line for machines, plain text for a person.

PRESS_LOG_FORMAT is `json`, `text` or `auto` (the default): JSON unless standard error is a
terminal. The request log (press.ops.request_log) writes its own lines through `LineWriter`;
everything else (background work, start-up, uvicorn's own messages) goes through logging
with `LineFormatter`. Either way each line passes press.log_redaction first: no token, in a
URL or anywhere else, reaches the stream.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
import time
from collections.abc import Callable
from typing import IO, Any

import msgspec

from press.log_redaction import redact

# Attributes every LogRecord has; the others came in `extra=` and are the line's fields,
# bar uvicorn's `color_message` (its message again, with terminal colour codes).
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",
}
_encode = msgspec.json.Encoder().encode


def action_id(kind: str) -> str:
    """The request id of a background action (a lift, a webhook attempt, a send-out), so
    that its lines can be found together as a request's can."""
    return f"{kind}-{secrets.token_hex(6)}"


def wants_json(log_format: str, stream: IO[Any] | None = None) -> bool:
    if log_format != "auto":
        return log_format == "json"
    stream = stream or sys.stderr
    return not (hasattr(stream, "isatty") and stream.isatty())


_MILLIS = [f".{n:03d}Z" for n in range(1000)]


class Clock:
    """ISO 8601 UTC time with milliseconds, its seconds formatted once a second and its
    milliseconds looked up: the request log stamps thousands of lines a second, and
    formatting each stamp whole cost more than encoding the rest of the line."""

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def __call__(self, now: float) -> str:
        second, millis = divmod(int(now * 1000), 1000)
        if second != self._second:
            self._second = second
            self._prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return self._prefix + _MILLIS[millis]


class LineFormatter(logging.Formatter):
    """A record as one line: JSON with its `extra=` fields, or text ending in key=value."""

    def __init__(self, json: bool = True) -> None:
        super().__init__()
        self.json = json
        self.clock = Clock()

    def format(self, record: logging.LogRecord) -> str:
        fields = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        message = redact(record.getMessage())
        if record.exc_info:
            message += "\n" + redact(self.formatException(record.exc_info))
        at = self.clock(record.created)
        if self.json:
            line = {"time": at, "level": record.levelname.lower(), "logger": record.name}
            line["message"] = message
            line.update((k, _plain(v)) for k, v in fields.items())
            return _encode(line).decode()
        extras = "".join(f" {k}={_plain(v)}" for k, v in fields.items())
        return f"{at} {record.levelname:<7} {record.name}: {message}{extras}"


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    return redact(str(value))


class LineWriter:
    """Items gathered and written together: at most `batch` of them or `delay` seconds
    after the first one waits, made into lines by `render` and written in one call. A line
    per request formatted and written at once (uvicorn's access log) cost a system call, a
    flush and a pass of every redaction pattern each."""

    def __init__(
        self,
        stream: IO[bytes] | None = None,
        batch: int = 256,
        delay: float = 0.2,
        render: Callable[[list[Any]], bytes] = b"".join,
    ):
        self.stream = stream or sys.stderr.buffer
        self.batch = batch
        self.delay = delay
        self.render = render
        self._items: list[Any] = []
        self._timer: asyncio.TimerHandle | None = None

    def write(self, item: Any) -> None:
        self._items.append(item)
        if len(self._items) >= self.batch:
            self.flush()
        elif self._timer is None:
            try:
                self._timer = asyncio.get_running_loop().call_later(self.delay, self.flush)
            except RuntimeError:  # no loop: write now
                self.flush()

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._items:
            return
        items, self._items = self._items, []
        try:
            self.stream.write(self.render(items))
            self.stream.flush()
        except (OSError, ValueError):
            pass  # the stream is gone (closed at exit): nothing else to tell it to


def log_config(json: bool) -> dict[str, Any]:
    """uvicorn's `log_config` for `press serve`: every logger through LineFormatter on
    standard error. uvicorn's access log is off (press.ops.request_log replaces it)."""
    handler = {"class": "logging.StreamHandler", "formatter": "line", "stream": "ext://sys.stderr"}
    quiet = {"handlers": ["stderr"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": "press.ops.logs.LineFormatter", "json": json}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": quiet,
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "press": quiet,
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
