"""What the OpenAPI document says of a msgspec Struct beyond what Litestar derives from it.

msgspec refuses input that Litestar's schema of a Struct would let through: a field a
`forbid_unknown_fields` Struct does not have (422, no mass assignment), an item of a list that
misses its own constraints (`list[Slug]`, `list[EventPattern]`), a dict that is too small or has
a key outside a `Literal` (`translations` needs at least one of fi, sv, en). Litestar keeps
only the outer type of a list or a dict, so a client generated from the document, or a fuzzer,
would build bodies press must refuse. `StructSchemas` adds what msgspec checks to the schema;
it describes, it validates nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

# Litestar exports no public base for it; tests/test_openapi.py notices if this one changes.
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.spec import OpenAPIType, Schema

if TYPE_CHECKING:
    from litestar._openapi.schema_generation import SchemaCreator
    from litestar.typing import FieldDefinition


class StructSchemas(StructSchemaPlugin):
    """Litestar's schema of a Struct, with unknown fields closed and inner constraints said."""

    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        info = msgspec.inspect.type_info(field_definition.type_)
        assert isinstance(info, msgspec.inspect.StructType)
        if info.forbid_unknown_fields:
            schema.additional_properties = False
        for field in info.fields:
            prop = (schema.properties or {}).get(field.encode_name)
            if isinstance(prop, Schema):
                _add_inner_constraints(prop, _present(field.type))
        return schema


def _present(kind: msgspec.inspect.Type) -> msgspec.inspect.Type:
    """The type of a field when it is given: without None and Meta wrappers (msgspec.inspect
    leaves UNSET out of a union already)."""
    if isinstance(kind, msgspec.inspect.UnionType):
        given = [t for t in kind.types if not isinstance(t, msgspec.inspect.NoneType)]
        if len(given) == 1:
            kind = given[0]
    while isinstance(kind, msgspec.inspect.Metadata):
        kind = kind.type
    return kind


def _add_inner_constraints(prop: Schema, kind: msgspec.inspect.Type) -> None:
    # A union with null keeps its arms under oneOf; what is set here sits beside them and
    # applies to the array or object arm alone, as JSON Schema reads it.
    if isinstance(kind, msgspec.inspect.ListType):
        item = _present(kind.item_type)
        if isinstance(item, msgspec.inspect.StrType) and _constrained(item):
            prop.items = Schema(
                type=OpenAPIType.STRING,
                min_length=item.min_length,
                max_length=item.max_length,
                pattern=item.pattern,
            )
    elif isinstance(kind, msgspec.inspect.DictType):
        prop.min_properties = kind.min_length
        prop.max_properties = kind.max_length
        key = _present(kind.key_type)
        if isinstance(key, msgspec.inspect.LiteralType):
            prop.property_names = Schema(type=OpenAPIType.STRING, enum=list(key.values))


def _constrained(item: Any) -> bool:
    return any(v is not None for v in (item.min_length, item.max_length, item.pattern))
