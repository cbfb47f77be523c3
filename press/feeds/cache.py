"""A small in-process cache of rendered public feeds.

A feed is rendered again only when its fingerprint (what its page shows: each entry as of
its last change, their images, whether a next page follows; read from the database on every
build) moved. Each app instance keeps its own: no shared state is needed because the
fingerprint is read from the database every time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

# One entry of a feed's page as its fingerprint has it: the release, its last change, and its
# main image (id, filename, content type, size) or None.
ShownEntry = tuple[UUID, datetime, tuple[Any, ...] | None]


class RenderedFeed(msgspec.Struct, frozen=True):
    """A feed's bytes in each encoding, each with its ETag (the hash of those bytes), kept
    with them so that a feed served again from its render is not hashed again."""

    body: bytes
    gzipped: bytes
    last_modified: datetime | None
    etag: str
    gzipped_etag: str


def feed_fingerprint(shown: Sequence[ShownEntry], *, has_next: bool) -> Hashable:
    """What a feed's page shows, as a key: the cheap glance (press.feeds.repository) and the
    full build make it alike, so a render is found by either."""
    return (tuple(shown), has_next)


class FeedCache:
    """Least-recently-used rendered feeds by (request, fingerprint); counts its renders."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self.renders = 0
        self._feeds: OrderedDict[Hashable, RenderedFeed] = OrderedDict()

    def get(self, key: Hashable) -> RenderedFeed | None:
        found = self._feeds.get(key)
        if found is not None:
            self._feeds.move_to_end(key)
        return found

    def store(self, key: Hashable, feed: RenderedFeed) -> None:
        """Keep a feed just rendered (and count the render)."""
        self.renders += 1
        self._feeds[key] = feed
        while len(self._feeds) > self.size:
            self._feeds.popitem(last=False)
