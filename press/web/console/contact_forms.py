"""What the registry's forms send, read into the contacts domain's own requests
(`ContactUpdate`, `OutletCreate`, `AccreditationGrant`…), and a refusal of that domain said in
the user's language where the console's catalog knows it."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import msgspec
from litestar.datastructures import FormMultiDict

from press.contacts.schemas import Contact, ContactUpdate, Outlet
from press.errors import Forbidden, InvalidInput, PreconditionFailed, PressError
from press.web.i18n import gettext, gettext_noop

# The fields of the contact form, each with the label the form shows (also used to say
# which field a refusal is about).
CONTACT_LABELS = {
    "name": gettext_noop("Name"),
    "email": gettext_noop("E-mail address"),
    "other_emails": gettext_noop("Other e-mail addresses"),
    "phones": gettext_noop("Phone numbers"),
    "country": gettext_noop("Country code"),
    "languages": gettext_noop("Languages"),
    "beats": gettext_noop("Beats"),
    "sources": gettext_noop("Sources followed"),
    "tags": gettext_noop("Tags"),
    "notes": gettext_noop("Notes"),
    "status": gettext_noop("Status"),
    "embargo_access": gettext_noop("Embargo access"),
}
OUTLET_LABELS = {
    "name": gettext_noop("Name"),
    "kind": gettext_noop("Kind"),
    "country": gettext_noop("Country code"),
    "languages": gettext_noop("Languages"),
    "website": gettext_noop("Website"),
}
OTHER_LABELS = {
    "evidence": gettext_noop("Evidence (press card, its number)"),
    "verified_on": gettext_noop("Verified on"),
    "valid_until": gettext_noop("Valid until"),
    "reason": gettext_noop("Reason"),
}
SUBSCRIPTION_LABELS = {
    "sources": gettext_noop("Sources followed"),
    "topics": gettext_noop("Topics"),
    "languages": gettext_noop("Languages"),
}
OUTLET_KINDS = {
    "newspaper": gettext_noop("Newspaper"),
    "tv": gettext_noop("Television"),
    "radio": gettext_noop("Radio"),
    "online": gettext_noop("Online"),
    "news_agency": gettext_noop("News agency"),
    "magazine": gettext_noop("Magazine"),
    "freelance": gettext_noop("Freelance"),
    "other": gettext_noop("Other"),
}
STATUS_NAMES = {
    "active": gettext_noop("Active"),
    "bounced": gettext_noop("Mail bounces"),
    "unsubscribed": gettext_noop("Unsubscribed"),
}
# The domain's refusals a registry page can meet, written as the domain writes them, so the
# catalog translates them (press.contacts says them in English to the API).
REFUSALS = (
    gettext_noop("Another contact has this e-mail address; merge the two instead."),
    gettext_noop(
        "This address belongs to a person whose data was erased at their request; "
        "it may not be added back."
    ),
    gettext_noop("The same e-mail address is given twice."),
    gettext_noop("The accreditation is suspended; reinstate it to give embargo access."),
    gettext_noop("The accreditation is suspended; an approver reinstates it first."),
    gettext_noop("The accreditation is suspended already."),
    gettext_noop("The accreditation is not suspended."),
    gettext_noop("valid_until is before verified_on."),
    gettext_noop("A contact cannot be merged into itself."),
    gettext_noop("An outlet with this name exists already."),
    gettext_noop("No contact has this id."),
    gettext_noop("No outlet has this id."),
    gettext_noop("The file is empty."),
    gettext_noop("The file is not UTF-8 text; save it as CSV UTF-8."),
    gettext_noop("Only accredited journalists may receive embargoed releases in advance."),
)


def refusal_text(error: PressError) -> str:
    """A refusal as the user reads it: the domain's sentence translated when the catalog has
    it; a role's refusal and a stale version said in general terms."""
    if isinstance(error, Forbidden):
        return gettext("Your role does not allow this.")
    if isinstance(error, PreconditionFailed):
        return gettext(
            "Someone else changed this while you were editing; nothing was saved. "
            "Here is what is saved now: make your change again."
        )
    return gettext(error.detail)


def _lines(text: str) -> list[str]:
    """A list typed one item a line (or separated by commas)."""
    return [part.strip() for part in re.split(r"[\r\n,]+", text) if part.strip()]


def _text(form: FormMultiDict, name: str) -> str:
    return str(form.get(name) or "").replace("\r\n", "\n").strip()


def contact_fields(form: FormMultiDict) -> dict[str, Any]:
    """The contact form's fields as typed, for the form to show again."""
    return {
        "name": _text(form, "name"),
        "email": _text(form, "email"),
        "other_emails": _text(form, "other_emails"),
        "phones": _text(form, "phones"),
        "country": _text(form, "country").upper(),
        "languages": _text(form, "languages").lower(),
        "beats": [str(v) for v in form.getall("beats", [])],
        "sources": [str(v) for v in form.getall("sources", [])],
        "tags": _text(form, "tags"),
        "notes": _text(form, "notes"),
        "status": _text(form, "status"),
        "etag": _text(form, "etag"),
        "outlets": outlet_rows(form),
    }


# Outlet rows the edit form offers beyond the contact's own: one blank row to add a link.
BLANK_OUTLET_ROWS = 1


def outlet_rows(form: FormMultiDict) -> list[dict[str, str]] | None:
    """The outlet rows as typed (name and role), blank rows left out; None when the form had
    no outlet rows at all (then the links stay as they are)."""
    if form.get("outlet_rows") is None:
        return None
    names, roles = form.getall("outlet_name", []), form.getall("outlet_role", [])
    rows = [
        {"name": str(name).strip(), "role": str(role).strip()}
        for name, role in zip(names, roles, strict=False)
    ]
    return [row for row in rows if row["name"]]


def fields_of_contact(contact: Contact, etag: str) -> dict[str, Any]:
    return {
        "name": contact.name,
        "email": contact.email,
        "other_emails": "\n".join(contact.other_emails),
        "phones": "\n".join(contact.phones),
        "country": contact.country,
        "languages": ", ".join(contact.languages),
        "beats": list(contact.beats),
        "sources": list(contact.sources),
        "tags": ", ".join(contact.tags),
        "notes": contact.notes,
        "status": contact.status,
        "etag": etag,
        "outlets": [{"name": o.name, "role": o.role} for o in contact.outlets],
    }


def convert(value: dict[str, Any], kind: type[Any], labels: dict[str, str]) -> Any:
    """`value` as the domain's `kind`, or a refusal naming the field in the user's words."""
    try:
        return msgspec.convert(value, kind)
    except msgspec.ValidationError as error:
        found = re.search(r"`\$\.(\w+)", str(error))
        field = found.group(1) if found else ""
        label = gettext(labels[field]) if field in labels else field
        raise InvalidInput(
            gettext("Check the field “%(field)s”: it is empty, too long or not in the form asked.")
            % {"field": label}
        ) from error


def contact_update(fields: dict[str, Any], outlet_ids: dict[str, UUID]) -> ContactUpdate:
    """The change the form asks for; outlets named by name are linked by `outlet_ids`."""
    body = {
        "name": fields["name"],
        "email": fields["email"],
        "other_emails": [e.lower() for e in _lines(fields["other_emails"])],
        "phones": _lines(fields["phones"]),
        "country": fields["country"],
        "languages": _lines(fields["languages"]),
        "beats": fields["beats"],
        "sources": fields["sources"],
        "tags": _lines(fields["tags"]),
        "notes": fields["notes"],
        "status": fields["status"],
    }
    if fields["outlets"] is not None:
        body["outlets"] = [
            {"id": str(outlet_ids[row["name"].lower()]), "role": row["role"]}
            for row in fields["outlets"]
        ]
    update: ContactUpdate = convert(body, ContactUpdate, CONTACT_LABELS)
    return update


def outlet_fields(form: FormMultiDict) -> dict[str, Any]:
    return {
        "name": _text(form, "name"),
        "kind": _text(form, "kind") or "other",
        "country": _text(form, "country").upper(),
        "languages": _text(form, "languages").lower(),
        "website": _text(form, "website"),
        "etag": _text(form, "etag"),
    }


def fields_of_outlet(outlet: Outlet, etag: str) -> dict[str, Any]:
    return {
        "name": outlet.name,
        "kind": outlet.kind,
        "country": outlet.country,
        "languages": ", ".join(outlet.languages),
        "website": outlet.website,
        "etag": etag,
    }


def outlet_body(fields: dict[str, Any]) -> dict[str, Any]:
    """The outlet form as OutletCreate and OutletUpdate both take it."""
    return {
        "name": fields["name"],
        "kind": fields["kind"],
        "country": fields["country"],
        "languages": _lines(fields["languages"]),
        "website": fields["website"],
    }
