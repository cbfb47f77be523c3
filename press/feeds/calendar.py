"""The press events calendar as iCalendar (RFC 5545), through icalendar. Pure.

Nothing in a calendar depends on "now": DTSTAMP is the event's last change, so the same
events render to the same bytes and a calendar client's conditional GET gets 304.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from icalendar import Calendar, Component, Event, Timezone

from press.events.schemas import PublicEvent

PRODID = "-//City Communications//press//EN"
REFRESH = timedelta(hours=1)
CALENDAR_NAME = {
    "fi": "Kaupungin mediatilaisuudet",
    "sv": "Stadens pressevenemang",
    "en": "City press events",
}
ONLINE = {"fi": "Verkossa", "sv": "Online", "en": "Online"}
ACCREDITATION = {
    "fi": "Vaatii akkreditoinnin.",
    "sv": "Kräver ackreditering.",
    "en": "Accreditation required.",
}
LIFT_SUMMARY = {"fi": "Embargo päättyy", "sv": "Embargot upphör", "en": "Embargo lifts"}


class EmbargoLift(msgspec.Struct, frozen=True):
    """The moment an embargoed release becomes public, for a journalist's calendar."""

    release_id: UUID
    lang: str
    title: str
    url: str
    at: datetime
    changed_at: datetime
    version: int
    notice: str


def render_calendar(
    events: list[PublicEvent],
    *,
    host: str,
    lang: str,
    timezone: str,
    lifts: list[EmbargoLift] | None = None,
) -> bytes:
    """A VCALENDAR of the events (and embargo lifts), with a VTIMEZONE for every zone used."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME[lang])
    calendar.add("name", CALENDAR_NAME[lang])
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # An X- property has no known type: give icalendar the DURATION text itself.
    calendar.add("x-published-ttl", "PT1H")  # an X- property: icalendar would not type it
    for event in events:
        calendar.add_component(_vevent(event, host))
    for lift in lifts or []:
        calendar.add_component(_lift_vevent(lift, host, ZoneInfo(timezone)))
    first, last = _zone_range(events, lifts or [])
    # The office's zone always: X-WR-TIMEZONE names it, and a client may show times in it.
    calendar.subcomponents.insert(0, Timezone.from_tzid(timezone, first_date=first, last_date=last))
    calendar.add_missing_timezones(first_date=first, last_date=last)
    for vtimezone in calendar.walk("VTIMEZONE"):
        _correct_onsets(vtimezone)
    ical: bytes = calendar.to_ical()
    return ical


def _correct_onsets(vtimezone: Component) -> None:
    """Write every onset of a zone's rules as RFC 5545 means it: the local time of the
    change in the offset before it.

    icalendar (7.3) writes the onset of summer time in the offset after it ("04:00" for
    Helsinki, where clocks go from 03:00 EET to 04:00 EEST), which puts the change an hour
    late for every client that reads the rules instead of its own zone database."""
    zone = ZoneInfo(str(vtimezone["TZID"]))
    for rule in vtimezone.walk():
        if rule.name not in ("STANDARD", "DAYLIGHT"):
            continue
        before, after = rule.decoded("TZOFFSETFROM"), rule.decoded("TZOFFSETTO")
        if before == after:
            continue
        onsets = [rule.decoded("DTSTART")]
        rdates = rule.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            onsets += [value.dt for value in rdate.dts]
        fixed = [_onset(onset, zone, before, after) for onset in onsets]
        rule.pop("DTSTART")
        rule.add("DTSTART", fixed[0])
        if len(fixed) > 1:
            rule.pop("RDATE")
            rule.add("RDATE", fixed[1:])


def _onset(local: datetime, zone: ZoneInfo, before: timedelta, after: timedelta) -> datetime:
    """The wall time, in the `before` offset, of the change near `local` (read either way)."""
    for offset in (before, after):
        instant = (local - offset).replace(tzinfo=UTC)
        earlier = (instant - timedelta(seconds=1)).astimezone(zone).utcoffset()
        if earlier == before and instant.astimezone(zone).utcoffset() == after:
            return local - offset + before
    return local


def _zone_range(events: list[PublicEvent], lifts: list[EmbargoLift]) -> tuple[date, date]:
    # VTIMEZONE rules cover the calendar's own span (with a year's margin), not 1970-2038:
    # shorter files, and still derived from the events only, so the bytes stay stable.
    instants = [e.starts_at for e in events] + [e.ends_at for e in events]
    instants += [lift.at for lift in lifts]
    if not instants:
        return date(2026, 1, 1), date(2027, 1, 1)
    return date(min(instants).year - 1, 1, 1), date(max(instants).year + 2, 1, 1)


def _vevent(event: PublicEvent, host: str) -> Event:
    zone = ZoneInfo(event.timezone)
    vevent = Event()
    vevent.add("uid", f"{event.id}@{host}")
    vevent.add("dtstamp", event.updated_at.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", calendar_time(event.starts_at, zone))
    vevent.add("dtend", calendar_time(event.ends_at, zone))
    vevent.add("summary", event.title, parameters={"LANGUAGE": event.lang})
    description = _description(event)
    if description:
        vevent.add("description", description, parameters={"LANGUAGE": event.lang})
    location = ", ".join(p for p in (event.location.name, event.location.address) if p)
    if location:
        vevent.add("location", location)
    if event.location.latitude is not None and event.location.longitude is not None:
        vevent.add("geo", (event.location.latitude, event.location.longitude))
    vevent.add("url", event.url)
    vevent.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    vevent.add("categories", [event.source.name])
    if event.contact:
        contact = event.contact
        parts = (contact.name, contact.phone, contact.email)
        vevent.add("contact", ", ".join(p for p in parts if p))
    return vevent


def calendar_time(instant: datetime, zone: ZoneInfo) -> datetime:
    """The instant in the event's zone, or in UTC when its local time is ambiguous.

    A TZID local time in the autumn's repeated hour (03:30 happens twice in Helsinki) means
    its first occurrence (RFC 5545 3.3.5), and readers differ on it: an instant in either
    occurrence is written in UTC, which needs no zone rules at all.
    """
    local = instant.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def _description(event: PublicEvent) -> str:
    parts = [event.description] if event.description else []
    if event.online_url:
        parts.append(f"{ONLINE[event.lang]}: {event.online_url}")
    if event.accreditation_required:
        parts.append(ACCREDITATION[event.lang])
    return "\n\n".join(parts)


def _lift_vevent(lift: EmbargoLift, host: str, zone: ZoneInfo) -> Event:
    vevent = Event()
    vevent.add("uid", f"embargo-{lift.release_id}@{host}")
    vevent.add("dtstamp", lift.changed_at.astimezone(UTC))
    vevent.add("sequence", lift.version)
    # An instant, not a span: a DATE-TIME DTSTART without DTEND lasts zero time.
    vevent.add("dtstart", calendar_time(lift.at, zone))
    vevent.add("summary", f"{LIFT_SUMMARY[lift.lang]}: {lift.title}")
    vevent.add("description", lift.notice, parameters={"LANGUAGE": lift.lang})
    vevent.add("url", lift.url)
    vevent.add("transp", "TRANSPARENT")
    vevent.add("class", "CONFIDENTIAL")
    return vevent
