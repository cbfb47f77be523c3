"""A published release as a small HTML page of its own. Pure.

Feed readers, e-mail and calendar links and search engines need a page a person can read;
the city website is that page where it exists (PRESS_RELEASE_URL_TEMPLATE), and this one is
the default. Every text is escaped; the body is the release's sanitised HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from press.archive.schemas import PublicFile
from press.delivery.message import MONTHS_EN
from press.releases.schemas import PublicRelease

LABELS = {
    "fi": {
        "published": "Julkaistu",
        "correction": "Korjaus",
        "contacts": "Lisätietoja",
        "decision": "Päätös",
        "languages": "Kielet",
        "feed": "Tiedotteet (RSS)",
        "gone": "Tiedote on poistettu",
        "missing": "Tiedotetta ei löydy",
        "missing_text": "Osoitteessa ei ole julkaistua tiedotetta.",
        "attachments": "Liitteet",
        "press_kit": "Kaikki aineistot yhtenä ZIP-tiedostona",
        "photo": "Kuva",
    },
    "sv": {
        "published": "Publicerad",
        "correction": "Rättelse",
        "contacts": "Mer information",
        "decision": "Beslut",
        "languages": "Språk",
        "feed": "Pressmeddelanden (RSS)",
        "gone": "Pressmeddelandet har tagits bort",
        "missing": "Pressmeddelandet hittades inte",
        "missing_text": "Det finns inget publicerat pressmeddelande på adressen.",
        "attachments": "Bilagor",
        "press_kit": "Allt material som en ZIP-fil",
        "photo": "Foto",
    },
    "en": {
        "published": "Published",
        "correction": "Correction",
        "contacts": "More information",
        "decision": "Decision",
        "languages": "Languages",
        "feed": "Press releases (RSS)",
        "gone": "This release has been withdrawn",
        "missing": "Release not found",
        "missing_text": "Nothing is published at this address.",
        "attachments": "Attachments",
        "press_kit": "All material as one ZIP file",
        "photo": "Photo",
    },
}
LANGUAGE_NAMES = {"fi": "suomeksi", "sv": "på svenska", "en": "in English"}
# Only what the page itself needs: inline styles and images (the release's own, or https).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self' https:; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
_STYLE = (
    "body{font:1.05rem/1.6 system-ui,sans-serif;max-width:42rem;margin:2rem auto;"
    "padding:0 1rem;color:#1a1a1a}h1{line-height:1.25}.meta,.langs{color:#555;"
    "font-size:.95rem}.lead{font-size:1.15rem;font-weight:600}aside{border-left:4px solid "
    "#c60;padding-left:1rem}img{max-width:100%;height:auto}"
)


def local_time(moment: datetime, lang: str, zone: ZoneInfo) -> str:
    """A moment as a reader in the city writes it, in the city's time."""
    local = moment.astimezone(zone)
    if lang == "en":
        month = MONTHS_EN[local.month - 1]
        return f"{local.day} {month} {local.year}, {local.hour:02d}:{local.minute:02d}"
    word = "klo" if lang == "fi" else "kl."
    return f"{local.day}.{local.month}.{local.year} {word} {local.hour:02d}.{local.minute:02d}"


def _document(lang: str, title: str, head: str, body: str) -> bytes:
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{head}<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}</body>\n</html>\n"
    ).encode()


def render_release(
    item: PublicRelease,
    files: list[PublicFile],
    page_url: Callable[[str], str],
    urls: dict[str, str],
    zone: ZoneInfo,
) -> bytes:
    """The page of `item` in its language, with its photos and documents; `page_url(lang)`
    addresses its other languages, `urls` its JSON (`api`), feed and press kit."""
    lang, words = item.lang, LABELS[item.lang]
    api_url, feed_url = urls["api"], urls["feed"]
    images = [f for f in files if f.renditions]
    main = images[0] if images else None
    published = local_time(item.published_at, lang, zone)
    head = [
        # The release's address (PRESS_RELEASE_URL_TEMPLATE): this page, or the website's.
        f'<link rel="canonical" href="{escape(item.url)}">',
        *(
            f'<link rel="alternate" hreflang="{code}" href="{escape(page_url(code))}">'
            for code in item.languages
        ),
        f'<link rel="alternate" type="application/json" href="{escape(api_url)}">',
        f'<link rel="alternate" type="application/rss+xml" title="{escape(words["feed"])}" '
        f'href="{escape(feed_url)}">',
        f'<meta name="description" content="{escape(item.lead)}">',
        f'<meta property="og:title" content="{escape(item.title)}">',
        f'<meta property="og:description" content="{escape(item.lead)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="article:published_time" content="{item.published_at.isoformat()}">',
    ]
    if main is not None:
        head.append(f'<meta property="og:image" content="{escape(main.renditions["web"])}">')
    body = [f"<header><p>{escape(item.source.name)}</p>"]
    others = [code for code in item.languages if code != lang]
    if others:
        links = " · ".join(
            f'<a href="{escape(page_url(code))}" hreflang="{code}" lang="{code}">'
            f"{LANGUAGE_NAMES[code]}</a>"
            for code in others
        )
        body.append(f'<p class="langs">{words["languages"]}: {links}</p>')
    body += [
        "</header>\n<main>\n<article>",
        f"<h1>{escape(item.title)}</h1>",
        f'<p class="meta">{words["published"]} <time datetime="'
        f'{item.published_at.isoformat()}">{published}</time></p>',
    ]
    for correction in item.corrections:
        when = local_time(correction.at, lang, zone)
        body.append(
            f'<aside><p><strong>{words["correction"]}</strong> <time datetime="'
            f'{correction.at.isoformat()}">{when}</time>: {escape(correction.note)}</p></aside>'
        )
    if item.lead:
        body.append(f'<p class="lead">{escape(item.lead)}</p>')
    if main is not None:
        body.append(_figure(main, words["photo"]))
    body.append(item.body_html)
    if item.decision is not None and item.decision.url:
        body.append(
            f'<p>{words["decision"]}: <a href="{escape(item.decision.url)}">'
            f"{escape(item.decision.id)}</a></p>"
        )
    if item.contacts:
        body.append(f"<h2>{words['contacts']}</h2>\n<ul>")
        for contact in item.contacts:
            parts = [escape(p) for p in (contact.name, contact.title) if p]
            if contact.phone:
                phone = escape(contact.phone)
                parts.append(f'<a href="tel:{phone.replace(" ", "")}">{phone}</a>')
            if contact.email:
                email = escape(contact.email)
                parts.append(f'<a href="mailto:{email}">{email}</a>')
            body.append(f"<li>{', '.join(parts)}</li>")
        body.append("</ul>")
    attachments = [f for f in files if f is not main]
    if attachments:
        body.append(f"<h2>{words['attachments']}</h2>\n<ul>")
        body += [f"<li>{_download(f)}</li>" for f in attachments]
        body.append("</ul>")
    if files:
        body.append(f'<p><a href="{escape(urls["press_kit"])}">{words["press_kit"]}</a></p>')
    body.append("</article>\n</main>\n")
    title = f"{item.title} | {item.source.name}"
    return _document(lang, title, "\n".join(head) + "\n", "\n".join(body))


def _figure(image: PublicFile, photo: str) -> str:
    credit = f" {photo}: {escape(image.credit)}" if image.credit else ""
    caption = escape(image.caption or image.title)
    return (
        f'<figure><a href="{escape(image.url)}"><img src="{escape(image.renditions["web"])}" '
        f'alt="{escape(image.alt)}"></a><figcaption>{caption}{credit}</figcaption></figure>'
    )


def _download(file: PublicFile) -> str:
    size = f"{file.size / 1_000_000:.1f} MB" if file.size >= 100_000 else f"{file.size // 1000} kB"
    name = escape(file.title or file.filename)
    return f'<a href="{escape(file.url)}" download>{name}</a> ({size})'


def render_missing(lang: str, gone: bool, note: str | None = None) -> bytes:
    """The page for an address with nothing published (404) or a withdrawn release (410),
    with the public note of its withdrawal when staff gave one."""
    words = LABELS[lang]
    title = words["gone"] if gone else words["missing"]
    text = f"<p>{words['missing_text']}</p>\n" if not gone else ""
    if gone and note:
        text = f"<p>{escape(note)}</p>\n"
    noindex = '<meta name="robots" content="noindex">\n'
    return _document(lang, title, noindex, f"<main>\n<h1>{title}</h1>\n{text}</main>\n")
