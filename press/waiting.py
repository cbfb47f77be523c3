"""Waiting for an event with a time limit, in the loops of the background workers."""

from __future__ import annotations

import asyncio


async def wait_at_most(event: asyncio.Event, seconds: float) -> bool:
    """Wait until `event` is set or `seconds` pass; True if it was set.

    Not `asyncio.wait_for`: before Python 3.12 it can lose a cancellation that arrives as the
    awaited event completes, and a worker loop that lost its cancellation never ends (a test
    waited ten minutes on a webhook sender told to stop). `asyncio.timeout` tells its own
    cancellation from anyone else's."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True
