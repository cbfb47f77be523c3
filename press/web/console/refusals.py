"""The domain's refusals in the user's language.

The domains (press.releases.actions and .workflow, press.staff.auth) explain a refusal in
English, and the staff API sends that English detail unchanged. The console shows the same
refusal translated: each known detail is recognised by its error type and wording (the
variable parts taken from it), and said again from the console's catalog. A detail not known
here is shown as the domain wrote it, so a new refusal is never hidden, only untranslated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from press.errors import PressError
from press.web import i18n
from press.web.console.layout import CONSOLE, ROLE_NAMES
from press.web.console.views import STATE_NAMES

_ = i18n.gettext_noop
# The workflow's moves as its refusal names them (workflow._past), said in each language.
MOVES = {
    "submitted": _("submitted for approval"),
    "returned to draft": _("returned to draft"),
    "approved": _("approved"),
    "published": _("published"),
    "unscheduled": _("unscheduled"),
    "corrected": _("corrected"),
    "withdrawn": _("withdrawn"),
}
Words = Callable[[re.Match[str], ZoneInfo, str], dict[str, str]]


def _none(_match: re.Match[str], _zone: ZoneInfo, _lang: str) -> dict[str, str]:
    return {}


def _transition(match: re.Match[str], _zone: ZoneInfo, _lang: str) -> dict[str, str]:
    state = match["state"].replace(" ", "_")
    return {
        "state": i18n.gettext(STATE_NAMES.get(state, state)),
        "move": i18n.gettext(MOVES.get(match["move"], match["move"])),
    }


def _role(match: re.Match[str], _zone: ZoneInfo, _lang: str) -> dict[str, str]:
    return {
        "role": i18n.gettext(ROLE_NAMES.get(match["role"], match["role"])),
        "needed": i18n.gettext(ROLE_NAMES.get(match["needed"], match["needed"])),
    }


def _embargo(match: re.Match[str], zone: ZoneInfo, lang: str) -> dict[str, str]:
    return {"time": i18n.local_datetime(datetime.fromisoformat(match["at"]), lang, zone)}


# (error type, the English detail, the message shown, its variable parts)
KNOWN: list[tuple[str, re.Pattern[str], str, Words]] = [
    (
        "invalid-transition",
        re.compile(r"A release that is (?P<state>[a-z ]+) cannot be (?P<move>[a-z ]+); "),
        _("A release that is “%(state)s” cannot be %(move)s."),
        _transition,
    ),
    (
        "invalid-transition",
        re.compile(r"A withdrawn release cannot be edited\.$"),
        _("A withdrawn release cannot be edited."),
        _none,
    ),
    (
        "forbidden",
        re.compile(r"Your role \((?P<role>\w+)\) may not .+; it needs (?P<needed>\w+) or higher"),
        _("Your role (%(role)s) may not do this; it needs %(needed)s or higher."),
        _role,
    ),
    (
        "forbidden",
        re.compile(r"You cannot approve .+ you wrote, submitted or changed since its last"),
        _(
            "You cannot approve what you wrote, submitted or changed since its last "
            "approval; another approver must."
        ),
        _none,
    ),
    (
        "forbidden",
        re.compile(r"This release was promised under embargo until (?P<at>\S+); making it"),
        _(
            "This release was promised under embargo until %(time)s; making it public earlier "
            "needs an approver."
        ),
        _embargo,
    ),
    (
        "invalid-input",
        re.compile(r"Making a release public before its embargo lifts needs a `reason`"),
        _(
            "Making a release public before its embargo lifts needs a reason: write it in the "
            "reason field."
        ),
        _none,
    ),
    (
        "invalid-input",
        re.compile(r"`at` is in the past; leave it out to publish now\.$"),
        _("The time given is in the past; to publish now, choose “Publish now”."),
        _none,
    ),
    (
        "invalid-input",
        re.compile(r"A release needs at least one language\.$"),
        _("A release needs at least one language: write its title and text in one."),
        _none,
    ),
    (
        "conflict",
        re.compile(r"A change of this release is waiting for approval already"),
        _(
            "A change of this release is waiting for approval already: an approver approves or "
            "rejects it first."
        ),
        _none,
    ),
    (
        "invalid-input",
        re.compile(r"The code is not right: use the newest one your app shows\.$"),
        _("The code is not right: use the newest one your app shows."),
        _none,
    ),
    (
        "conflict",
        re.compile(r"No second factor is being set up; open the set-up page again\.$"),
        _("No second factor is being set up (it may be on already); open its page again."),
        _none,
    ),
    (
        "conflict",
        re.compile(r"This form was sent by another staff member;"),
        _(
            "This form was sent by another staff member, so nothing was made; the form below "
            "is your own, to send if you still need the webhook."
        ),
        _none,
    ),
    (
        "conflict",
        re.compile(r"This form was sent already;"),
        _(
            "This form was sent already and its webhook deleted since, so nothing was made; "
            "send the form below to make a new one."
        ),
        _none,
    ),
    ("not-found", re.compile(r"No release has this id\.$"), _("There is no such release."), _none),
    (
        "precondition-failed",
        re.compile(r"The resource changed since you read it"),
        _("Someone changed this release since you opened it; reload the page and try again."),
        _none,
    ),
]


def refusal_text(error: PressError, lang: str, zone: ZoneInfo) -> str:
    """What the console says for `error`: a known refusal in `lang`; else the detail as the
    catalog has it word for word (the registry's refusals, `contact_forms.REFUSALS`); else the
    domain's own (English) detail."""
    with i18n.speaking(lang, CONSOLE):
        for kind, pattern, message, words in KNOWN:
            match = pattern.search(error.detail) if error.type == kind else None
            if match:
                return i18n.gettext(message) % words(match, zone, lang)
        # An empty msgid would look up the catalog's header.
        return i18n.gettext(error.detail) if error.detail else error.detail
