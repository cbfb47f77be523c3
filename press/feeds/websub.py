"""WebSub (W3C Recommendation): tell a hub that the public release feeds changed.

With PRESS_WEBSUB_HUB set, the public RSS and Atom feeds name the hub and themselves in a
`Link` header (and Atom in the feed), and after each public change (a publication at its
lift, a correction, a withdrawal, an event) the hub gets a `hub.mode=publish` naming the
feeds, so aggregators that subscribed fetch them at once instead of at their next poll.

The pinger is an outbox announcer (press.embargo.announce, position `websub`): it hears of a
change only after it committed, never of an embargo, one instance at a time, and retries with
backoff while the hub is down.
"""

from __future__ import annotations

import asyncpg
import httpx

from press.embargo.announce import Announcer


def topic_urls(public_url: str) -> list[str]:
    """The feeds a hub is told about: RSS and Atom, in every language and in none."""
    return [
        f"{public_url}/feeds/releases.{kind}{query}"
        for kind in ("rss", "atom")
        for query in ("", "?lang=fi", "?lang=sv", "?lang=en")
    ]


class HubPinger(Announcer):
    """Its endpoint is the hub."""

    consumer = "websub"
    name = "WebSub pinger"

    async def announce(self, client: httpx.AsyncClient, events: list[asyncpg.Record]) -> bool:
        # Every public change touches the feeds. A list value is sent as the key repeated:
        # hub.url=…&hub.url=…
        topics = topic_urls(self.public_url)
        return await self.post(client, data={"hub.mode": "publish", "hub.url": topics})
