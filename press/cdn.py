"""CDN purging: a CDN in front of the public paths hears of each public change at once.

Shared caches may keep a public answer for its `max-age`: at most 60 s, and never past the
next lift, so a lift needs no purge to show on time (the reference lists and the feed
directory, which no lift changes, say 5 minutes; robots.txt an hour). A withdrawal, a
correction or an edit would still wait out that minute at the CDN. With PRESS_CDN_PURGE_URL
set, each public change (a publication at its lift, an update, a correction, a withdrawal,
a press event) is POSTed there as JSON, for an adapter to turn into the CDN's own purge call:

    {"surrogate_keys": ["releases"],
     "urls": ["https://press.example/api/v1/releases/<id>", ..., "https://press.example/sitemap.xml"]}

- Every public answer names what it shows in a `Surrogate-Key` header (`press`, `releases`,
  `events`; see press.conditional.surrogate_key). A CDN that purges by key (Fastly, Varnish
  with xkey, Akamai's cache tags) purges the keys, which covers every URL and query string.
- A CDN that purges by URL purges `urls`: the changed releases' and events' own addresses,
  and the unfiltered lists, feeds and sitemap. Filtered and paged variants then expire within
  their max-age.

The purger is an outbox announcer (press.embargo.announce, position `cdn`): it hears of a
change only after it committed, never of an embargo, one instance at a time, and retries with
backoff while the endpoint is down. With PRESS_CDN_PURGE_TOKEN set, it is sent as a bearer
token.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from press.embargo.announce import Announcer
from press.feeds.websub import topic_urls

LANG_VARIANTS = ("", "?lang=fi", "?lang=sv", "?lang=en")


def purge_request(public_url: str, events: list[asyncpg.Record]) -> dict[str, list[str]]:
    """What to purge after these public events (event_type, aggregate_id)."""
    keys: set[str] = set()
    urls: list[str] = []
    for event in events:
        family, _, _ = event["event_type"].partition(".")
        key = "events" if family == "event" else "releases"
        keys.add(key)
        if event["aggregate_id"] is not None:
            aggregate = event["aggregate_id"]
            if key == "releases":
                urls += [
                    f"{public_url}/api/v1/releases/{aggregate}",
                    f"{public_url}/releases/{aggregate}",
                ]
            else:
                urls.append(f"{public_url}/api/v1/events/{aggregate}")
    if "releases" in keys:
        urls += [f"{public_url}/api/v1/releases{q}" for q in LANG_VARIANTS]
        urls += topic_urls(public_url)  # the release feeds, as WebSub names them
        urls.append(f"{public_url}/sitemap.xml")
    if "events" in keys:
        urls += [f"{public_url}/api/v1/events{q}" for q in LANG_VARIANTS]
        urls += [f"{public_url}/feeds/events.ics{q}" for q in LANG_VARIANTS]
    return {"surrogate_keys": sorted(keys), "urls": list(dict.fromkeys(urls))}


class CdnPurger(Announcer):
    """Its endpoint is the purge adapter; `token`, when set, is sent as a bearer token."""

    consumer = "cdn"
    name = "CDN purger"

    def __init__(self, *args: Any, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def announce(self, client: httpx.AsyncClient, events: list[asyncpg.Record]) -> bool:
        purge = purge_request(self.public_url, events)
        return await self.post(client, json=purge, headers=self.headers)
