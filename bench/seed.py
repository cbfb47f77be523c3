"""Deterministic benchmark data, made inside PostgreSQL in a few statements.

The text is the demo content cut into sentences and recombined: recent releases read like the
city's releases (about 1 KB per language), archive releases add a long tail of words drawn
with a Zipf-like law (rank r with probability ~1/r) from the demo vocabulary and Finnish and
Swedish compounds in many inflected forms. Rows are generated with `generate_series` and a
fixed `setseed`, parallel plans off, so every run makes the same data relative to its start.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections import Counter
from dataclasses import dataclass

import asyncpg

from press.db import connect
from press.demo.content import read_json, releases

SEED = 0.20261130
LANGS = ("fi", "sv", "en")
# Planted words for the search classes: each appears in about 1 archive release in 5,000.
RARE_WORDS = {"fi": "lauttasaarensilta", "sv": "drumsöbron", "en": "ferryboatman"}


def _words(text: str) -> list[str]:
    return text.split()


_NOT_WORDS = {"example", "www", "https", "http", "org", "com"}
_FI_STEMS = _words(
    "asunto kaupunki liikenne koulu päiväkoti katu puisto satama ranta kirjasto uimahalli "
    "raitiotie metro pyörätie tontti vesihuolto kaava kulttuuri nuoriso vanhus terveys "
    "sosiaali ympäristö ilmasto energia jäte työllisyys yritys matkailu tapahtuma vaali"
)
_FI_HEADS = _words(
    "hanke suunnitelma alue päätös rakentaminen palvelu ohjelma talous strategia selvitys "
    "verkko asema investointi avustus tuki kilpailu uudistus"
)
_FI_ENDINGS = ("", "n", "ssa", "sta", "lle", "ksi", "a", "en", "ja", "ineen", "lla", "ltä")
_SV_STEMS = _words(
    "bostads stads trafik skol daghems gatu park hamn strand biblioteks simhalls spårvägs "
    "cykel tomt vatten plan kultur ungdoms äldre hälso miljö klimat energi avfalls"
)
_SV_HEADS = _words("projekt plan område beslut bygge tjänst program ekonomi utredning stöd reform")
_SV_ENDINGS = ("", "et", "en", "er", "erna", "ets", "ens", "a", "s")


@dataclass(frozen=True)
class Pools:
    titles: list[str]
    slugs: list[str]
    leads: list[str]
    sentences: list[str]
    vocabulary: list[str]  # most frequent first: the Zipf ranks


def _plain(markdown: str) -> str:
    text = re.sub(r"[*_`#>]", "", markdown)
    return re.sub(r"^\s*-\s+", "", text, flags=re.MULTILINE)


def _slug(title: str) -> str:
    text = title.lower().translate(str.maketrans("äöåé", "aoae"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60]


def _compounds(stems: list[str], heads: list[str], endings: tuple[str, ...]) -> list[str]:
    return [s + h + e for s in stems for h in heads for e in endings]


def language_pools(lang: str) -> Pools:
    titles, leads, sentences = [], [], []
    words: Counter[str] = Counter()
    for release in releases():
        text = release["translations"].get(lang)
        if text is None:
            continue
        titles.append(text["title"])
        leads.append(text["lead"])
        body = _plain(text["body"])
        for paragraph in body.split("\n"):
            sentences += [s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if len(s) > 20]
        words.update(w.lower() for w in re.findall(r"[^\W\d_]{3,}", f"{text['lead']} {body}"))
    vocabulary = [w for w, _ in words.most_common() if w not in _NOT_WORDS]
    if lang == "fi":
        vocabulary += _compounds(_FI_STEMS, _FI_HEADS, _FI_ENDINGS)
    elif lang == "sv":
        vocabulary += _compounds(_SV_STEMS, _SV_HEADS, _SV_ENDINGS)
    return Pools(titles, [_slug(t) for t in titles], leads, sentences, vocabulary)


# One statement per language and kind. $1..$5: pools; $6: prefix of ids; $7: how many;
# $8: share of releases in this language (per mille); $9: Zipf words per body (0: none).
_TRANSLATIONS = """
WITH pool AS (SELECT $1::text[] AS titles, $2::text[] AS slugs, $3::text[] AS leads,
                     $4::text[] AS sentences, $5::text[] AS words,
                     cardinality($4::text[]) AS n_sentences,
                     ln(cardinality($5::text[])) AS ln_words)
INSERT INTO release_translations (release_id, lang, title, lead, body, body_html, slug)
SELECT md5($6::text || i)::uuid, $10::text, x.title, x.lead, x.body,
       '<p>' || replace(x.body, E'\\n\\n', '</p><p>') || '</p>',
       x.slug || '-' || left($6::text, 1) || i
FROM pool, generate_series($7::int, $11::int) AS i,
LATERAL (SELECT 1 + (i * 7919) % cardinality(pool.titles) AS t) AS pick,
LATERAL (SELECT
    pool.titles[pick.t] || CASE WHEN $9::int > 0
        THEN ' ' || pool.words[floor(exp(random() * pool.ln_words))::int] ELSE '' END AS title,
    pool.slugs[pick.t] AS slug,
    pool.leads[1 + (i::bigint * 104729) % cardinality(pool.leads)] AS lead,
    (SELECT string_agg(p, E'\\n\\n') FROM (
        SELECT (SELECT string_agg(pool.sentences[g + floor(random() * pool.n_sentences)::int
                                                   % pool.n_sentences], ' ')
                FROM generate_series(1, 2 + (i + k) % 2) AS g)
               || CASE WHEN $9::int > 0 AND k = 2 THEN ' ' || (
                   SELECT string_agg(pool.words[floor(exp(random() * pool.ln_words))::int
                                                + 0 * g], ' ')
                   FROM generate_series(1, $9::int + i % 3) AS g) ELSE '' END AS p
        FROM generate_series(1, 3) AS k WHERE i > 0) AS paragraphs) AS body
) AS x
WHERE (i * 37) % 1000 < $8::int
"""

_RELEASES = """
INSERT INTO releases (id, source, state, publish_at, created_at, updated_at,
                      decision_id, decision_url)
SELECT md5($1::text || i)::uuid,
       (ARRAY['city-council', 'city-board', 'city-executive-office'])[1 + i % 3],
       'published',
       statement_timestamp() - make_interval(mins => $3) - make_interval(mins => i * $4),
       statement_timestamp() - make_interval(mins => $3) - make_interval(mins => i * $4 + 600),
       statement_timestamp() - make_interval(mins => $3) - make_interval(mins => i * $4),
       CASE WHEN i % 3 <> 2 THEN 'HEL ' || (2000 + i % 27) || '-' || i END,
       CASE WHEN i % 3 <> 2 THEN 'https://paatokset.example.org/' || i END
FROM generate_series($2::int, $5::int) AS i
"""

_TOPICS = """
INSERT INTO release_topics (release_id, topic)
SELECT DISTINCT md5($1::text || i)::uuid, t.slug
FROM generate_series($2::int, $3::int) AS i
JOIN LATERAL (SELECT slug FROM topics
              WHERE position IN (1 + i % 13, CASE WHEN i % 3 = 0 THEN 1 + (i * 7) % 13 END)
             ) AS t ON true
"""

_CONTACTS = """
INSERT INTO release_media_contacts (release_id, media_contact_id, position)
SELECT md5($1::text || i)::uuid, (SELECT id FROM media_contacts ORDER BY position, name
                            OFFSET i % (SELECT count(*) FROM media_contacts) LIMIT 1), 0
FROM generate_series($2::int, $3::int) AS i
"""


async def _insert_kind(
    conn: asyncpg.Connection,
    prefix: str,
    numbers: range,
    age_minutes: int,
    spacing_minutes: int,
    zipf_words: int,
) -> None:
    """Releases numbered `numbers` (1-based) with translations, topics and a media contact."""
    lo, hi = numbers.start, numbers.stop - 1
    await conn.fetchval("SELECT setseed($1)", (SEED + lo / 1e7) % 1)
    await conn.execute(_RELEASES, prefix, lo, age_minutes, spacing_minutes, hi)
    shares = (
        {"fi": 1000, "sv": 800, "en": 600} if not zipf_words else {"fi": 1000, "sv": 500, "en": 150}
    )
    for lang in LANGS:
        p = language_pools(lang)
        await conn.execute(
            _TRANSLATIONS,
            p.titles,
            p.slugs,
            p.leads,
            p.sentences,
            p.vocabulary,
            prefix,
            lo,
            shares[lang],
            zipf_words,
            lang,
            hi,
        )
    await conn.execute(_TOPICS, prefix, lo, hi)
    await conn.execute(_CONTACTS, prefix, lo, hi)


async def _plant_rare_words(conn: asyncpg.Connection, count: int) -> None:
    for lang, word in RARE_WORDS.items():
        await conn.execute(
            """UPDATE release_translations SET body = body || ' ' || $2 || '.'
               WHERE lang = $1 AND release_id IN (
                   SELECT md5('archive-' || i)::uuid FROM generate_series(1, $3) AS i
                   WHERE i % 5003 = 17 OR i % 4999 = 3)""",
            lang,
            word,
            count,
        )


async def _media_contacts(conn: asyncpg.Connection) -> None:
    for position, contact in enumerate(read_json("media-contacts.json")):
        await conn.execute(
            """INSERT INTO media_contacts (name, title, phone, email, topics, languages, position)
               VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            contact["name"],
            contact.get("title", {}),
            contact.get("phone", ""),
            contact.get("email", ""),
            list(contact.get("topics", [])),
            list(contact.get("languages", [])),
            position,
        )


async def _extras(conn: asyncpg.Connection, recent: int) -> None:
    """Corrections, withdrawals and releases scheduled in the near future (some embargoed)."""
    await conn.execute(
        """INSERT INTO release_revisions (release_id, version, kind, note, snapshot)
           SELECT md5('recent-' || i)::uuid, 2, 'correction',
                  'Korjattu päivämäärä. Rättat datum. Corrected date.', '{}'
           FROM generate_series(1, $1) AS i WHERE i % 97 = 5""",
        recent,
    )
    await conn.execute(
        """UPDATE releases SET state = 'withdrawn', withdrawn_at = publish_at + interval '1 day',
                  withdrawal_reason = 'Julkaistu virheellisesti.'
           WHERE id IN (SELECT md5('recent-' || i)::uuid FROM generate_series(1, $1) AS i
                        WHERE i % 211 = 11)""",
        recent,
    )
    # Scheduled: the recent ones numbered 1..5 move to the future, two of them embargoed.
    await conn.execute(
        """UPDATE releases r SET state = 'scheduled', embargo = s.embargo,
                  publish_at = statement_timestamp() + s.ahead
           FROM (VALUES (1, interval '15 minutes', false), (2, interval '1 hour', true),
                        (3, interval '2 hours', true), (4, interval '1 day', false),
                        (5, interval '3 days', false)) AS s(i, ahead, embargo)
           WHERE r.id = md5('recent-' || s.i)::uuid"""
    )


async def _drop_search_indexes(conn: asyncpg.Connection) -> list[str]:
    """Drop the non-unique indexes of release_search (the full-text GIN indexes among them)
    and return how to recreate them: one build after the insert is several times faster
    than updating a GIN index row by row."""
    rows = await conn.fetch(
        """SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
           FROM pg_index WHERE indrelid = 'release_search'::regclass
             AND NOT indisunique AND NOT indisprimary"""
    )
    for row in rows:
        await conn.execute(f"DROP INDEX {row['name']}")
    return [row["definition"] for row in rows]


async def _session(url: str) -> asyncpg.Connection:
    conn = await connect(url)
    # Parallel plans would make random() depend on timing; one backend keeps it seeded.
    await conn.execute("SET max_parallel_workers_per_gather = 0")
    await conn.execute("SET synchronous_commit = off")
    await conn.execute("SET maintenance_work_mem = '256MB'")
    return conn


async def seed(url: str, *, recent: int, archive: int, workers: int = 2) -> dict[str, float]:
    """Fill a migrated, empty database; return how long each part took (seconds).

    The archive is made in `workers` slices on as many connections at once; each slice
    seeds its own random() from its first number, so the data does not depend on timing."""
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    sessions = [await _session(url) for _ in range(workers)]
    conn = sessions[0]
    try:
        indexes = await _drop_search_indexes(conn)
        await _media_contacts(conn)
        await _insert_kind(conn, "recent-", range(1, recent + 1), 10, 97, 0)
        timings["recent"] = time.perf_counter() - mark
        mark = time.perf_counter()
        step = math.ceil(archive / workers)
        await asyncio.gather(
            *(
                _insert_kind(
                    session,
                    "archive-",
                    range(1 + k * step, min(archive, (k + 1) * step) + 1),
                    2 * 365 * 24 * 60,
                    47,
                    40,
                )
                for k, session in enumerate(sessions)
            )
        )
        await _plant_rare_words(conn, archive)
        await _extras(conn, recent)
        await seed_events(conn, max(20, recent // 50))
        timings["archive"] = time.perf_counter() - mark
        mark = time.perf_counter()
        for definition in indexes:
            await conn.execute(definition)
        await conn.execute("VACUUM ANALYZE")
        timings["indexes"] = time.perf_counter() - mark
    finally:
        for session in sessions:
            await session.close()
    return timings


_EVENTS = """
WITH fi AS (SELECT $2::text[] AS t, $3::text[] AS d),
     sv AS (SELECT $4::text[] AS t, $5::text[] AS d),
     en AS (SELECT $6::text[] AS t, $7::text[] AS d)
INSERT INTO events (id, source, translations, starts_at, ends_at, location_name,
                    location_address, latitude, longitude, release_ids, contact_id,
                    visible_from, status)
SELECT md5('event-' || i)::uuid,
       (ARRAY['city-council', 'city-board', 'city-executive-office'])[1 + i % 3],
       jsonb_build_object(
           'fi', jsonb_build_object('title', fi.t[1 + i % cardinality(fi.t)],
                                    'description', fi.d[1 + i % cardinality(fi.d)]),
           'sv', jsonb_build_object('title', sv.t[1 + i % cardinality(sv.t)],
                                    'description', sv.d[1 + i % cardinality(sv.d)]),
           'en', jsonb_build_object('title', en.t[1 + i % cardinality(en.t)],
                                    'description', en.d[1 + i % cardinality(en.d)])),
       date_trunc('day', statement_timestamp()) + make_interval(days => i - $1 * 3 / 4,
                                                                hours => 7 + i % 8),
       date_trunc('day', statement_timestamp()) + make_interval(days => i - $1 * 3 / 4,
                                                                hours => 8 + i % 8),
       'Kaupungintalo, juhlasali', 'Pohjoisesplanadi 11-13, 00170 Helsinki', 60.1679, 24.9524,
       ARRAY[md5('recent-' || (100 + i))::uuid],
       (SELECT id FROM media_contacts ORDER BY position OFFSET i % 3 LIMIT 1),
       CASE WHEN i % 50 = 7 THEN statement_timestamp() + make_interval(days => 1 + i % 5) END,
       CASE WHEN i % 40 = 9 THEN 'cancelled' ELSE 'confirmed' END
FROM fi, sv, en, generate_series(1, $1::int) AS i
"""


async def seed_events(conn: asyncpg.Connection, count: int) -> None:
    """Press events around today, a few hidden until later and a few cancelled; only when
    the events table exists."""
    if await conn.fetchval("SELECT to_regclass('events')") is None:
        return
    pools = [language_pools(lang) for lang in LANGS]
    await conn.execute(_EVENTS, count, *(x for p in pools for x in (p.titles, p.leads)))
