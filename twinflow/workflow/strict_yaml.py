"""Strict YAML for the files the app loads (lifecycles, record workflows, reference data):
duplicate keys refused, a mapping required, and a schema's errors as (path, reason) pairs
under the file's name."""

import yaml
from marshmallow import ValidationError

from twinflow.workflow.errors import DefinitionError
from twinflow.workflow.schema import flatten_errors


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses duplicate keys instead of silently keeping the last."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml_mapping(text: str, source: str, expected: str) -> dict:
    """Strict YAML (no duplicate keys) that must hold a mapping; errors name line and column."""
    try:
        raw = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError(source, [(where, f"not valid YAML: {reason}")]) from None
    if not isinstance(raw, dict):
        raise DefinitionError(source, [("", f"must be a mapping with {expected}")])
    return raw


def load_with_schema(schema, raw: dict, source: str) -> dict:
    """The schema's load, its errors as (path, reason) pairs under the file's name."""
    try:
        return schema.load(raw)
    except ValidationError as exc:
        raise DefinitionError(source, flatten_errors(exc.messages)) from None
