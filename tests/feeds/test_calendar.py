"""The press events calendar, read with icalendar, vobject and recurring-ical-events."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import icalendar
import recurring_ical_events
import vobject

from tests.conftest import StaffFactory
from tests.events.helpers import create_event, update_event

ICS = "/feeds/events.ics"
HELSINKI = ZoneInfo("Europe/Helsinki")


def parse(response: httpx.Response) -> icalendar.Calendar:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    # Own checks: icalendar does not flag a missing PRODID, VERSION, UID or DTSTAMP.
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    for event in calendar.walk("VEVENT"):
        assert event["UID"]
        assert event["DTSTAMP"]
    used = {
        str(prop.params["TZID"])
        for component in calendar.walk("VEVENT")
        for prop in (component.get("DTSTART"), component.get("DTEND"))
        if prop is not None and "TZID" in prop.params
    }
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert used <= defined
    assert "Europe/Helsinki" in defined
    return calendar


def vevents(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


async def test_calendar_parses_with_three_independent_readers(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    event = await create_event(client, editor)
    response = await client.get(ICS)
    calendar = parse(response)
    assert calendar["X-WR-CALNAME"] == "Kaupungin mediatilaisuudet"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Helsinki"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in response.text
    assert "X-PUBLISHED-TTL:PT1H" in response.text
    vevent = vevents(calendar)[event["id"]]
    assert str(vevent["UID"]) == f"{event['id']}@press.test"
    assert vevent["SUMMARY"] == "Tiedotustilaisuus talousarviosta"
    assert vevent["LOCATION"] == "Kaupungintalo, Pohjoisesplanadi 11-13, Helsinki"
    assert vevent["GEO"].latitude == 60.1676
    assert vevent["URL"] == f"http://press.test/api/v1/events/{event['id']}"
    assert vevent["STATUS"] == "CONFIRMED"
    assert "https://stream.example/live" in vevent["DESCRIPTION"]
    assert vevent.decoded("DTSTART") == datetime(2026, 12, 3, 10, tzinfo=HELSINKI)
    assert vevent.decoded("DTSTAMP") == datetime.fromisoformat(event["updated_at"]).replace(
        microsecond=0
    )

    parsed = vobject.readOne(response.text)
    [other] = [e for e in parsed.vevent_list if e.uid.value.startswith(event["id"])]
    assert other.dtstart.value.astimezone(UTC) == datetime(2026, 12, 3, 8, tzinfo=UTC)
    assert other.summary.value == "Tiedotustilaisuus talousarviosta"

    expanded = recurring_ical_events.of(calendar).between(date(2026, 12, 1), date(2026, 12, 4))
    assert [str(e["UID"]) for e in expanded] == [f"{event['id']}@press.test"]


async def test_helsinki_offsets_are_right_on_both_sides_of_dst_and_across_it(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    winter = await create_event(
        client, editor, starts_at="2026-03-28T08:00:00Z", ends_at="2026-03-28T09:00:00Z"
    )
    summer = await create_event(
        client, editor, starts_at="2026-03-30T08:00:00Z", ends_at="2026-03-30T09:00:00Z"
    )
    # Starts in summer time (UTC+3), ends in winter time (UTC+2): the October night.
    crossing = await create_event(
        client, editor, starts_at="2026-10-24T20:00:00Z", ends_at="2026-10-25T03:00:00Z"
    )
    response = await client.get(ICS)
    found = vevents(parse(response))
    assert "DTSTART;TZID=Europe/Helsinki:20260328T100000" in response.text
    assert "DTSTART;TZID=Europe/Helsinki:20260330T110000" in response.text
    assert "DTSTART;TZID=Europe/Helsinki:20261024T230000" in response.text
    assert "DTEND;TZID=Europe/Helsinki:20261025T050000" in response.text
    assert found[winter["id"]].decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert found[summer["id"]].decoded("DTSTART").utcoffset() == timedelta(hours=3)
    other = {e.uid.value.split("@")[0]: e for e in vobject.readOne(response.text).vevent_list}
    for event in (winter, summer, crossing):
        parsed = other[event["id"]]
        assert parsed.dtstart.value.astimezone(UTC) == datetime.fromisoformat(event["starts_at"])
        assert parsed.dtend.value.astimezone(UTC) == datetime.fromisoformat(event["ends_at"])
    [night] = recurring_ical_events.of(parse(response)).between(
        date(2026, 10, 24), date(2026, 10, 26)
    )
    # Python subtracts aware times of one zone as wall clock times: compare in UTC.
    span = night.decoded("DTEND").astimezone(UTC) - night.decoded("DTSTART").astimezone(UTC)
    assert span == timedelta(hours=7)


async def test_lines_are_crlf_and_folded_at_75_octets_between_characters(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    title = "Äänestys öisestä åsikten 🎉" * 8
    await create_event(
        client,
        editor,
        translations={"fi": {"title": title[:300], "description": "ä" * 100 + "😀" * 50}},
    )
    body = (await client.get(ICS)).content
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold inside a character would not decode
    calendar = icalendar.Calendar.from_ical(body)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [title[:300]]


async def test_calendar_bytes_are_identical_until_something_changes(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    event = await create_event(client, editor)
    first = await client.get(ICS)
    await asyncio.sleep(1.1)  # a DTSTAMP of "now" would differ by now
    second = await client.get(ICS)
    assert second.content == first.content
    cached = await client.get(ICS, headers={"If-None-Match": first.headers["etag"]})
    assert cached.status_code == 304
    assert cached.content == b""
    # A calendar app or a proxy that keeps the 304's headers must keep the 200's.
    for header in ("etag", "cache-control", "vary", "last-modified"):
        assert cached.headers.get(header) == first.headers.get(header), header
    assert "vary" in first.headers
    await update_event(client, editor, event["id"], {"location": {"name": "Online"}})
    changed = await client.get(ICS, headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200


async def test_uid_stays_sequence_rises_and_cancelled_event_stays_in_the_calendar(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    event = await create_event(client, editor)
    before = vevents(parse(await client.get(ICS)))[event["id"]]
    assert before["SEQUENCE"] == 0
    later = {"starts_at": "2026-12-03T12:00:00+02:00", "ends_at": "2026-12-03T13:00:00+02:00"}
    await update_event(client, editor, event["id"], later)
    moved = vevents(parse(await client.get(ICS)))[event["id"]]
    assert moved["UID"] == before["UID"]
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTAMP") >= before.decoded("DTSTAMP")
    await update_event(client, editor, event["id"], {"status": "cancelled"})
    cancelled = vevents(parse(await client.get(ICS)))[event["id"]]
    assert cancelled["UID"] == before["UID"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SEQUENCE"] == 2


async def test_hidden_event_is_absent_from_the_calendar_until_its_time(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    visible_from = datetime.now(UTC) + timedelta(seconds=1.5)
    hidden = await create_event(
        client,
        editor,
        visible_from=visible_from.isoformat(),
        location={"name": "Salainen paikka", "address": "Piilotie 1"},
    )
    early = await client.get(ICS)
    assert hidden["id"] not in early.text
    assert "Salainen" not in early.text
    assert "20261203T100000" not in early.text
    assert int(early.headers["cache-control"].split("max-age=")[1]) <= 2
    await asyncio.sleep(max(0.0, (visible_from - datetime.now(UTC)).total_seconds()) + 0.2)
    late = await client.get(ICS, headers={"If-None-Match": early.headers["etag"]})
    assert late.status_code == 200
    assert hidden["id"] in vevents(parse(late))


async def test_event_in_another_zone_has_its_own_vtimezone(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    await create_event(
        client,
        editor,
        timezone="Europe/Stockholm",
        starts_at="2026-06-10T09:00:00+02:00",
        ends_at="2026-06-10T12:00:00+02:00",
    )
    response = await client.get(ICS)
    calendar = parse(response)
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {
        "Europe/Helsinki",
        "Europe/Stockholm",
    }
    assert "DTSTART;TZID=Europe/Stockholm:20260610T090000" in response.text
    assert (await client.get(ICS, params={"lang": "en"})).status_code == 200


async def test_times_in_the_repeated_autumn_hour_are_written_without_ambiguity(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    # 03:30 happens twice in Helsinki on 25 October 2026: 00:30Z (EEST) and 01:30Z (EET).
    first = await create_event(
        client, editor, starts_at="2026-10-25T00:30:00Z", ends_at="2026-10-25T00:45:00Z"
    )
    second = await create_event(
        client, editor, starts_at="2026-10-25T01:30:00Z", ends_at="2026-10-25T05:00:00Z"
    )
    response = await client.get(ICS)
    assert "DTSTART:20261025T013000Z" in response.text
    assert "DTEND;TZID=Europe/Helsinki:20261025T070000" in response.text
    other = {e.uid.value.split("@")[0]: e for e in vobject.readOne(response.text).vevent_list}
    found = vevents(parse(response))
    for event in (first, second):
        expected = datetime.fromisoformat(event["starts_at"])
        assert other[event["id"]].dtstart.value.astimezone(UTC) == expected
        assert found[event["id"]].decoded("DTSTART").astimezone(UTC) == expected


async def test_calendar_takes_the_filters_of_the_event_list(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    editor = await staff("editor")
    board = await create_event(client, editor)
    council = await create_event(
        client,
        editor,
        source="city-council",
        translations={"fi": {"title": "Valtuuston kokous"}},
        starts_at="2026-01-10T17:00:00+02:00",
        ends_at="2026-01-10T20:00:00+02:00",
    )
    cases = [
        ({"source": "city-council"}, [council["id"]]),
        ({"lang": "en"}, [board["id"]]),
        ({"from": "2026-06-01"}, [board["id"]]),
        ({"to": "2026-06-01"}, [council["id"]]),
    ]
    for params, expected in cases:
        calendar = parse(await client.get(ICS, params=params))
        assert list(vevents(calendar)) == expected, params
    english = parse(await client.get(ICS, params={"lang": "en"}))
    assert english["X-WR-CALNAME"] == "City press events"
    assert vevents(english)[board["id"]]["SUMMARY"] == "Press conference on the budget"


async def test_vtimezone_changes_offset_at_the_real_instant(
    client: httpx.AsyncClient, staff: StaffFactory
) -> None:
    # Clients without a zone database of their own (Outlook among them) go by the VTIMEZONE
    # rules. Helsinki moves to summer time at 01:00Z (03:00 EET -> 04:00 EEST) and back at
    # 01:00Z (04:00 EEST -> 03:00 EET); vobject builds its zone from the rules alone.
    editor = await staff("editor")
    await create_event(
        client, editor, starts_at="2026-03-29T01:30:00Z", ends_at="2026-03-29T02:30:00Z"
    )
    response = await client.get(ICS)
    parse(response)
    [helsinki] = [
        tz
        for tz in vobject.readOne(response.text).vtimezone_list
        if tz.tzid.value == "Europe/Helsinki"
    ]
    rules = helsinki.gettzinfo()
    for instant, offset in (
        ("2026-03-29T00:59:00Z", 2),
        ("2026-03-29T01:00:00Z", 3),
        ("2026-10-25T00:59:00Z", 3),
        ("2026-10-25T01:00:00Z", 2),
    ):
        moment = datetime.fromisoformat(instant)
        assert moment.astimezone(rules).utcoffset() == timedelta(hours=offset), instant
