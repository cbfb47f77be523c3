"""The key of a dict in a validation error's path: `translations.fi.title`, not
`translations[...].title`.

msgspec names a dict's value `[...]` in an error's path, whichever key it was under, so a
release with three languages and one empty title was refused without saying which language.
The body and the type it was decoded into are both at hand when the error is rendered: each
entry of that dict is converted alone, and the first that fails (msgspec stops at the first
error, in the body's order) is the one the error is about.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec

_SEGMENT = re.compile(r"\.?([A-Za-z_]\w*)|\[(\d+|\.\.\.)\]")


def name_dict_keys(path: str, body: bytes | None, data_type: Any) -> str:
    """`path` with each `[...]` replaced by `.key` of the entry that fails; `path` as it is
    when the body or the type does not say (an error message must never fail itself)."""
    if "[...]" not in path or not body:
        return path
    try:
        value = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return path
    try:
        return _named(path, value, data_type)
    except TypeError:  # a type msgspec cannot convert to: leave the path as msgspec wrote it
        return path


def _named(path: str, value: Any, data_type: Any) -> str:
    named = []
    for segment in _SEGMENT.finditer(path):
        field, index = segment.groups()
        kind = _unwrap(data_type, value)
        if field is not None and isinstance(value, dict) and _is_struct(kind):
            data_type, value = _field_type(kind, field), value.get(field)
            named.append(f".{field}")
        elif index == "..." and isinstance(value, dict) and get_origin(kind) is dict:
            data_type = get_args(kind)[1]
            key = _first_failing(value, data_type)
            if key is None:
                return path
            value = value[key]
            named.append(f".{key}")
        elif index is not None and index.isdigit() and isinstance(value, list):
            args = get_args(kind)
            if not args or int(index) >= len(value):
                return path
            data_type, value = args[0], value[int(index)]
            named.append(f"[{index}]")
        else:
            return path
    return "".join(named).removeprefix(".")


def _first_failing(entries: dict[str, Any], value_type: Any) -> str | None:
    for key, entry in entries.items():
        try:
            msgspec.convert(entry, value_type)
        except msgspec.ValidationError:
            return key
    return None


def _unwrap(data_type: Any, value: Any) -> Any:
    """The type a JSON value was decoded as: Annotated stripped, a union's member for it."""
    while get_origin(data_type) is Annotated:
        data_type = get_args(data_type)[0]
    if get_origin(data_type) in (Union, types.UnionType):
        for member in get_args(data_type):
            member = _unwrap(member, value)
            if isinstance(value, dict) and (_is_struct(member) or get_origin(member) is dict):
                return member
            if isinstance(value, list) and get_origin(member) is list:
                return member
    return data_type


def _is_struct(data_type: Any) -> bool:
    return isinstance(data_type, type) and issubclass(data_type, msgspec.Struct)


def _field_type(struct: type[msgspec.Struct], name: str) -> Any:
    for field in msgspec.structs.fields(struct):
        if field.encode_name == name:
            return field.type
    return Any
