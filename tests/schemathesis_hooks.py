"""Hooks for the suite's schemathesis runs (tests/test_schemathesis.py copies this file beside
the run and names it in SCHEMATHESIS_HOOKS).

An `Idempotency-Key` that a run already sent with another request is made unique before it
is sent again: press rightly refuses a key reused for a different request (422,
`idempotency-key-reused`), and that refusal is tests/staff/test_idempotency.py's subject,
not a finding about the generated input. Keys the document refuses (not 1-255 visible ASCII
characters) are left as generated: their 400 is what the negative checks look for.
"""

from __future__ import annotations

import itertools
import re
import threading
from typing import Any

import schemathesis

_VALID = re.compile(r"[\x21-\x7e]{1,255}")
_sent: dict[str, str] = {}
_fresh = itertools.count()
_lock = threading.Lock()  # --workers runs calls in threads


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    headers = case.headers
    key = headers.get("Idempotency-Key") if headers else None
    if key is None or not _VALID.fullmatch(key):
        return
    request = repr((case.method, case.formatted_path, case.query, case.body))
    with _lock:
        if _sent.setdefault(key, request) != request:
            key = f"{key[:240]}.{next(_fresh)}"
            _sent[key] = request
            headers["Idempotency-Key"] = key
