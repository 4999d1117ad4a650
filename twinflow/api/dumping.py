"""marshmallow's dump, planned once per schema instance: the same output, without the five
calls per field marshmallow makes to find each value (the project detail dumps ~460 values,
a tenth of its answer).

`PlannedSchema` keeps marshmallow's `dump` (its pre/post-dump hooks run as before) and
replaces only the loop over the fields. Each field is read and converted as marshmallow
reads and converts it: strings, integers, booleans, date-times, lists and nested schemas
directly, by the same rules; any other field type, a value read from an object that is
neither a dict nor a plain object (a Row, a sequence) and any field that customises how it
is read, through marshmallow's own `Field.serialize`. tests/api/test_answer_dump.py checks the
output equals marshmallow's, value for value.
"""

from marshmallow import Schema, fields, missing
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.utils import ensure_text_type

# Names a dict answers by attribute: marshmallow reads obj[key] first, then getattr(obj, key),
# so a key missing from a dict named like these would read the dict's method.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class PlannedSchema(Schema):
    """A Schema whose dump follows a plan made at its first dump (dump_fields are fixed by
    then: `only`, `exclude` and `data_key` included)."""

    _plan: tuple | None = None

    def _serialize(self, obj, *, many: bool = False):
        plan = self._plan
        if plan is None:
            plan = self._plan = _plan(self)
        if many and obj is not None:
            return [_dump_one(self, plan, item) for item in obj]
        return _dump_one(self, plan, obj)


def _dump_one(schema: Schema, plan: tuple, obj) -> dict:
    out = schema.dict_class()
    if type(obj) is dict:
        read = obj.get
    elif not hasattr(obj, "__getitem__"):
        read = None  # attributes, as marshmallow reads an object without items
    else:
        read = False  # a Row, a sequence...: marshmallow's own reading
    for name, attribute, key, field, convert in plan:
        if convert is None or read is False:
            value = field.serialize(name, obj, accessor=schema.get_attribute)
            if value is not missing:
                out[key] = value
            continue
        value = read(attribute, missing) if read is not None else getattr(obj, attribute, missing)
        if value is missing:
            default = field.dump_default
            value = default() if callable(default) else default
            if value is missing:
                continue
        out[key] = convert(value)
    return out


def _plan(schema: Schema) -> tuple:
    if type(schema).get_attribute is not Schema.get_attribute:
        # Reading values differently: every field through marshmallow.
        return tuple(
            (name, name, _key(name, field), field, None)
            for name, field in schema.dump_fields.items()
        )
    plan = []
    for name, field in schema.dump_fields.items():
        attribute = field.attribute if field.attribute is not None else name
        convert = _converter(field) if _plain_reading(field, attribute) else None
        plan.append((name, attribute, _key(name, field), field, convert))
    return tuple(plan)


def _key(name: str, field: fields.Field) -> str:
    return field.data_key if field.data_key is not None else name


def _plain_reading(field: fields.Field, attribute: str) -> bool:
    """The field reads obj[attribute] or obj.attribute the default way."""
    kind = type(field)
    return (
        kind._CHECK_ATTRIBUTE
        and kind.serialize is fields.Field.serialize
        and kind.get_value is fields.Field.get_value
        and "." not in attribute
        and attribute not in _DICT_ATTRIBUTES
    )


def _converter(field: fields.Field):
    """A function of the value giving what field._serialize gives, or None (not planned)."""
    serialize = type(field)._serialize
    if serialize is fields.Field._serialize:  # Raw, Boolean: the value as it is
        return _same
    if serialize is fields.String._serialize:
        return _text
    if (
        serialize is fields.Number._serialize
        and type(field)._format_num is fields.Number._format_num
        and field.num_type is int
        and not field.as_string
    ):
        return _integer
    if serialize is fields.DateTime._serialize:
        as_text = field.SERIALIZATION_FUNCS.get(field.format or field.DEFAULT_FORMAT)
        if as_text is not None:
            return lambda value: None if value is None else as_text(value)
        return None
    if serialize is fields.Dict._serialize and not field.key_field and not field.value_field:
        mapping = field.mapping_type
        return lambda value: None if value is None else mapping(value)
    if serialize is fields.List._serialize:
        inner = _converter(field.inner)
        if inner is None:
            return None
        return lambda value: None if value is None else [inner(each) for each in value]
    if serialize is fields.Nested._serialize:
        return _nested(field)
    return None


def _nested(field: fields.Nested):
    schema = field.schema
    many = bool(schema.many or field.many)
    if schema._hooks[PRE_DUMP] or schema._hooks[POST_DUMP] or _own_serialize(schema):
        return lambda value: None if value is None else schema.dump(value, many=many)
    plan = _plan(schema)
    if many:
        return lambda value: (
            None if value is None else [_dump_one(schema, plan, item) for item in value]
        )
    return lambda value: None if value is None else _dump_one(schema, plan, value)


def _own_serialize(schema: Schema) -> bool:
    kind = type(schema)._serialize
    return kind is not Schema._serialize and kind is not PlannedSchema._serialize


def _same(value):
    return value


def _text(value):
    if value is None or type(value) is str:
        return value
    return ensure_text_type(value)


def _integer(value):
    if value is None or type(value) is int:
        return value
    return int(value)
