"""Feed and calendar rendering as pure functions: no database, no clock."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import feedparser
import pytest

from press.feeds.calendar import calendar_time
from press.feeds.render import (
    FeedEntry,
    FeedInfo,
    embargo_label,
    entry_from_release,
    entry_id,
    render_atom,
    render_rss,
)
from press.releases.schemas import Correction, Named, PublicRelease

HELSINKI = ZoneInfo("Europe/Helsinki")
SWEDISH_FEED = FeedInfo(
    id="https://press.example/feeds/releases.atom?lang=sv",
    self_url="https://press.example/feeds/releases.atom?lang=sv",
    alternate_url="https://press.example/",
    lang="sv",
    title="Stadens pressmeddelanden",
    description="…",
    updated=datetime(2026, 5, 5, tzinfo=UTC),
)


def release(**overrides: object) -> PublicRelease:
    fields: dict[str, object] = {
        "id": UUID("6f1c1a52-3c0e-4e57-9f7e-2f3b8f1d2a10"),
        "url": "https://city.example/news/1",
        "lang": "sv",
        "languages": ["fi", "sv"],
        "title": "Budgeten",
        "lead": "Kort.",
        "body_html": "<p>Text.</p>",
        "slug": "budgeten",
        "source": Named(slug="city-board", name="Stadsstyrelsen"),
        "topics": [Named(slug="economy", name="Ekonomi")],
        "published_at": datetime(2026, 5, 4, 6, tzinfo=UTC),
        "updated_at": datetime(2026, 5, 4, 6, tzinfo=UTC),
        "contacts": [],
        "decision": None,
        "corrections": [],
    }
    fields.update(overrides)
    return PublicRelease(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("instant", "label"),
    [
        (datetime(2026, 12, 1, 7, tzinfo=UTC), "2026-12-01 09:00 EET (UTC+02:00)"),
        (datetime(2026, 6, 1, 6, tzinfo=UTC), "2026-06-01 09:00 EEST (UTC+03:00)"),
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "2026-03-29 02:59 EET (UTC+02:00)"),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "2026-03-29 04:00 EEST (UTC+03:00)"),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "2026-10-25 03:30 EEST (UTC+03:00)"),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "2026-10-25 03:30 EET (UTC+02:00)"),
    ],
)
def test_embargo_label_names_local_time_zone_and_offset(instant: datetime, label: str) -> None:
    assert embargo_label(HELSINKI, instant) == label


def test_calendar_time_is_local_except_in_the_repeated_hour() -> None:
    plain = calendar_time(datetime(2026, 10, 24, 20, tzinfo=UTC), HELSINKI)
    assert plain.tzinfo is HELSINKI
    assert plain.hour == 23
    for hour in (0, 1):  # 03:30 EEST and 03:30 EET
        instant = datetime(2026, 10, 25, hour, 30, tzinfo=UTC)
        assert calendar_time(instant, HELSINKI).tzinfo is UTC


def test_same_entries_render_to_the_same_bytes_with_corrections_and_embargo() -> None:
    corrected = release(
        corrections=[Correction(note="Siffran rättad", at=datetime(2026, 5, 5, tzinfo=UTC))]
    )
    info = SWEDISH_FEED
    embargoed = entry_from_release(
        release(id=UUID(int=1)),
        "https://press.example",
        embargo_label(HELSINKI, datetime(2026, 6, 1, 6, tzinfo=UTC)),
    )
    entries = [embargoed, entry_from_release(corrected, "https://press.example")]
    assert render_atom(info, entries) == render_atom(info, entries)
    assert render_rss(info, entries) == render_rss(info, entries)
    feed = feedparser.parse(render_atom(info, entries))
    assert feed.bozo == 0
    first, second = feed.entries
    assert first.title == "[EMBARGO until 2026-06-01 09:00 EEST (UTC+03:00)] Budgeten"
    assert "får inte publiceras före 2026-06-01 09:00 EEST" in first.content[0].value
    assert "Rättelse 2026-05-05: Siffran rättad" in second.content[0].value
    assert second.link == "https://city.example/news/1"
    assert [link.hreflang for link in second.links] == ["sv"]


MARKUP_LEAD = '<b>Bold</b> claim & <script>alert("lead")</script>'


def _feeds(entries: list[FeedEntry]) -> tuple[feedparser.FeedParserDict, ...]:
    renders = (render_rss, render_atom)
    return tuple(feedparser.parse(render(SWEDISH_FEED, entries)) for render in renders)


def test_markup_typed_in_a_lead_arrives_in_rss_and_atom_as_text() -> None:
    entry = entry_from_release(release(lead=MARKUP_LEAD), "https://press.example")
    rss, atom = _feeds([entry])
    assert rss.bozo == atom.bozo == 0
    # RSS: <description> is HTML to readers, so it carries the lead escaped as HTML.
    [item] = rss.entries
    assert item.summary_detail.type == "text/html"
    assert "<b>" not in item.summary
    assert "<script>" not in item.summary
    assert html.unescape(item.summary) == MARKUP_LEAD
    # Atom: a text summary, which readers show as the characters typed.
    [atom_entry] = atom.entries
    assert (atom_entry.summary_detail.type, atom_entry.summary) == ("text/plain", MARKUP_LEAD)


def test_each_translation_is_an_entry_of_its_own_whose_id_survives_edits() -> None:
    sv = entry_from_release(release(), "https://press.example")
    fi = entry_from_release(release(lang="fi", title="Talousarvio"), "https://press.example")
    edited = entry_from_release(
        release(title="Budgeten, rättad", updated_at=datetime(2026, 5, 6, tzinfo=UTC)),
        "https://press.example",
    )
    assert len({sv.id, fi.id}) == 2
    assert edited.id == sv.id == entry_id(UUID("6f1c1a52-3c0e-4e57-9f7e-2f3b8f1d2a10"), "sv")
    # A fixed value, not just a stable function: re-deploys must keep every id ever sent.
    assert sv.id == "urn:uuid:f722ef87-e56a-53c6-bc3e-308df5b80849"
    for feed in _feeds([fi, sv]):
        assert [e.id for e in feed.entries] == [fi.id, sv.id]
        assert {e.dc_identifier for e in feed.entries} == {
            "urn:uuid:6f1c1a52-3c0e-4e57-9f7e-2f3b8f1d2a10"
        }
