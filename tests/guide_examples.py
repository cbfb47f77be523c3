"""The examples in the guides (docs/*.md) as data: which fenced blocks are examples, the
request a `curl` line makes, and how an excerpt differs from a real answer. No I/O but
reading the guides; tests/test_docs_examples.py runs them against a live press.

An example is a fenced block right after an HTML comment `<!-- example: NAME -->`:

- a `sh` block with one `curl` command, then its answer as comments: `# STATUS REASON`, and
  the JSON excerpt on the comment lines after it. `$PRESS`, `$TOKEN`, `$ID` … stand for the
  live app's address and what the test made for it; a string `"…"` in the body is a value
  the guide does not print (the password).
- a JSON block is an excerpt of the answer its comment names (`<!-- example: NAME, GET /path
  STATUS -->`), or of something press sends on its own (a webhook delivery).

Every key an excerpt shows must be in the real answer with the same JSON type (lists: each
item shown against the real one at its place); `type`, `status`, `state` and `token_type`
must also have the value shown, unless it holds "…".
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest

ROOT = Path(__file__).resolve().parents[1]  # the repository, also when the wheel is tested
DOCS = ROOT / "docs"
GUIDES = (
    "api.md",
    "feeds.md",
    "contacts-and-mail.md",
    "embargo.md",
    "archive.md",
    "operations.md",
)

PLACEHOLDER = "…"
VERBATIM = frozenset(("type", "status", "state", "token_type"))
MARKER = re.compile(r"<!--\s*example:\s*([\w-]+)\s*(?:,\s*(\w+)\s+(\S+)\s+(\d{3})\s*)?-->")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Example:
    name: str
    guide: str
    line: int
    language: str
    text: str
    request: tuple[str, str, int] | None  # the marker's method, path and status, if any

    def __str__(self) -> str:
        return f"docs/{self.guide}:{self.line} ({self.name})"


@dataclass(frozen=True)
class Block:
    guide: str
    line: int
    language: str
    text: str
    marker: re.Match[str] | None


def fenced_blocks(guide: str) -> list[Block]:
    """Every fenced block of a guide, with the example marker right above it, if any."""
    text = (DOCS / guide).read_text(encoding="utf-8")
    blocks = []
    for fence in FENCE.finditer(text):
        before = text[: fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        line = text.count("\n", 0, fence.start()) + 1
        marker = MARKER.fullmatch(before.strip())
        blocks.append(Block(guide, line, fence.group(1), fence.group(2), marker))
    return blocks


def read_examples() -> list[Example]:
    examples = []
    for guide in GUIDES:
        for block in fenced_blocks(guide):
            if block.marker is None:
                continue
            name, method, path, status = block.marker.groups()
            request = (method, path, int(status)) if method else None
            examples.append(
                Example(name, block.guide, block.line, block.language, block.text, request)
            )
    return examples


def collected() -> list[Any]:
    # Read at collection so that each example is a test of its own. Without the guides there
    # is nothing to collect, and an empty parameter list would skip: fail instead.
    if not all((DOCS / guide).is_file() for guide in GUIDES):
        return [pytest.param(None, id="guides-missing")]
    return [pytest.param(e, id=e.name) for e in read_examples()] or [
        pytest.param(None, id="no-examples")
    ]


def require_guides() -> None:
    missing = [guide for guide in GUIDES if not (DOCS / guide).is_file()]
    assert not missing, f"the guides {missing} are not in {DOCS}: the examples cannot be checked"


# --- what an example says ---


@dataclass
class Curl:
    method: str
    url: str
    headers: dict[str, str]
    body: str | None


@dataclass
class Answer:
    status: int
    excerpt: Any = None  # the JSON shown, or None when the guide shows only the status


def parse_curl(command: str, variables: dict[str, str]) -> Curl:
    def expand(word: str) -> str:
        def value(match: re.Match[str]) -> str:
            assert match.group(1) in variables, f"the example uses ${match.group(1)}"
            return variables[match.group(1)]

        return re.sub(r"\$([A-Z_]+)", value, word)

    words = [expand(w) for w in shlex.split(command.replace("\\\n", " "))]
    assert words[0] == "curl", command
    method, url, headers, body = "GET", "", {}, None
    rest = iter(words[1:])
    for word in rest:
        if word in ("-X", "--request"):
            method = next(rest)
        elif word in ("-H", "--header"):
            name, _, header_value = next(rest).partition(":")
            headers[name.strip().lower()] = header_value.strip()
        elif word in ("-d", "--data", "--data-raw"):
            body = next(rest)
            method = "POST" if method == "GET" else method
        elif re.fullmatch(r"-[sSfi]+|--(silent|show-error|fail|include)", word):
            continue  # how curl shows the answer, not what it asks
        else:
            assert not word.startswith("-"), f"curl option {word} is not understood here"
            url = word
    return Curl(method, url, headers, body)


def split_curl_example(text: str) -> tuple[str, Answer]:
    """The command (the lines that are not comments) and the answer in the comments."""
    lines = text.splitlines()
    commands = [line for line in lines if not line.startswith("#")]
    comments = [line[1:].strip() for line in lines if line.startswith("#")]
    assert sum(line.startswith("curl ") for line in commands) == 1, "one curl per example"
    assert comments, "the example does not say what press answers (`# STATUS …`)"
    status = re.match(r"(\d{3})\b", comments[0])
    assert status, f"the answer's first line is the status, not {comments[0]!r}"
    shown = " ".join(comments[1:])
    return "\n".join(commands), Answer(int(status.group(1)), json_of(shown) if shown else None)


def json_of(text: str) -> Any:
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError as exc:
        raise AssertionError(f"the excerpt is not JSON ({exc}): {text}") from None


def with_values(body: Any, values: dict[str, str], key: str = "") -> Any:
    """A request body with every "…" the guide leaves out replaced by the live value."""
    if isinstance(body, dict):
        return {k: with_values(v, values, k) for k, v in body.items()}
    if isinstance(body, list):
        return [with_values(v, values, key) for v in body]
    if body == PLACEHOLDER:
        assert key in values, f'the example leaves "{key}" out and the test has no value for it'
        return values[key]
    return body


# --- comparing an excerpt with the real answer ---


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def differences(shown: Any, real: Any, where: str = "$") -> list[str]:
    if json_type(shown) != json_type(real):
        return [f"{where}: the guide shows a {json_type(shown)}, press answers {real!r}"]
    found = []
    if isinstance(shown, dict):
        for key, value in shown.items():
            if key not in real:
                found.append(f"{where}.{key}: not in press's answer (it has {sorted(real)})")
                continue
            found += differences(value, real[key], f"{where}.{key}")
            verbatim = key in VERBATIM and PLACEHOLDER not in str(value)
            if verbatim and json_type(value) == json_type(real[key]) and value != real[key]:
                found.append(f"{where}.{key}: the guide shows {value!r}, press {real[key]!r}")
    elif isinstance(shown, list):
        if len(real) < len(shown):
            return [f"{where}: press answers {len(real)} items, fewer than the guide shows"]
        for index, item in enumerate(shown):
            found += differences(item, real[index], f"{where}[{index}]")
    return found


def assert_matches(example: Example, shown: Any, real: Any) -> None:
    found = differences(shown, real)
    assert not found, f"{example} differs from press:\n" + "\n".join(found)
