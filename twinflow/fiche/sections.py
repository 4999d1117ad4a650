"""The Standard Twinning Fiche's sections, read from workflows/fiche/sections.yaml and checked
with marshmallow; and the schema a fiche's text is held to, built from them.

The template is data so that a new edition of the Manual changes a file, not the code. A broken
file stops start-up naming the file, the place inside it and the reason, as a broken lifecycle
definition does.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from twinflow.api.errors import flatten
from twinflow.text import control_problem
from twinflow.workflow.errors import DefinitionError
from twinflow.workflow.labels import LabelField, Labels

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "workflows" / "fiche" / "sections.yaml"
KINDS = ("text", "components")
_KEY = validate.Regexp(r"^[a-z][a-z0-9_]{0,59}$", error="must be a lower-case identifier")


class _SectionSpecSchema(Schema):
    key = fields.String(required=True, validate=_KEY)
    # One text (English) or {en: ..., fr: ...}: read in the page's language (labels.py).
    title = LabelField(required=True, max_length=200, allow_empty=False)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    max_length = fields.Integer(required=True, strict=True, validate=validate.Range(1, 100_000))
    help = LabelField(load_default=Labels(), max_length=500)


class _TemplateSchema(Schema):
    editable_states = fields.List(fields.String(validate=_KEY), required=True)
    particulars_states = fields.List(fields.String(validate=_KEY), required=True)
    sections = fields.List(
        fields.Nested(_SectionSpecSchema), required=True, validate=validate.Length(min=1)
    )

    @validates_schema
    def _keys_unique(self, data, **_):
        keys = [s["key"] for s in data.get("sections", [])]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValidationError(f"section keys must be unique: {', '.join(twice)}", "sections")
        if sum(1 for s in data.get("sections", []) if s["kind"] == "components") > 1:
            raise ValidationError("at most one section may hold the components", "sections")


@dataclass(frozen=True)
class Section:
    key: str
    titles: Labels
    kind: str
    max_length: int
    helps: Labels = Labels()

    @property
    def title(self) -> str:
        return self.titles.text()

    @property
    def help(self) -> str:
        return self.helps.text()


@dataclass(frozen=True)
class Template:
    editable_states: tuple[str, ...]
    particulars_states: tuple[str, ...]
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.sections]

    def empty(self) -> dict:
        return {s.key: ([] if s.kind == "components" else "") for s in self.sections}


def load_template(path: str | Path = DEFAULT_FILE) -> Template:
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DefinitionError(str(path), [("", f"cannot be read: {exc}")]) from None
    try:
        data = _TemplateSchema().load(raw if isinstance(raw, dict) else {})
    except ValidationError as exc:
        problems = sorted(flatten(exc.messages).items())
        found = [(k, "; ".join(map(str, v))) for k, v in problems]
        raise DefinitionError(str(path), found) from None
    return Template(
        editable_states=tuple(data["editable_states"]),
        particulars_states=tuple(data["particulars_states"]),
        sections=tuple(
            Section(s["key"], s["title"], s["kind"], s["max_length"], s["help"])
            for s in data["sections"]
        ),
    )


@cache
def template() -> Template:
    """The template in use (read once per process; create_app reads it at start-up)."""
    return load_template()


# -- the text of a fiche ------------------------------------------------------------------


def _text_rule(multiline: bool):
    def check(value: str) -> None:
        problem = control_problem(value, multiline=multiline)
        if problem:
            raise ValidationError(problem)

    return check


def _line(max_length: int, **kwargs):
    rules = [validate.Length(max=max_length), _text_rule(False)]
    return fields.String(validate=rules, **kwargs)


class ResultSchema(Schema):
    title = _line(1000, required=True)
    indicators = fields.List(_line(1000), load_default=list, validate=validate.Length(max=30))


class ComponentSchema(Schema):
    title = _line(1000, required=True)
    results = fields.List(
        fields.Nested(ResultSchema), load_default=list, validate=validate.Length(max=30)
    )


@cache
def content_schema() -> Schema:
    """{section key: text or components} for the template in use: unknown keys refused, every
    field error named by its path (e.g. components.0.results.1.title)."""
    attrs = {}
    for s in template().sections:
        if s.kind == "components":
            attrs[s.key] = fields.List(
                fields.Nested(ComponentSchema), validate=validate.Length(max=20)
            )
        else:
            attrs[s.key] = fields.String(
                validate=[validate.Length(max=s.max_length), _text_rule(True)]
            )
    return Schema.from_dict(attrs, name="FicheContentSchema")()


def check_content(values) -> tuple[dict, dict]:
    """(clean sections, {field path: [reasons]}); sections not sent keep their empty value."""
    if not isinstance(values, dict):
        return {}, {"sections": ["must be an object of the fiche's sections"]}
    try:
        clean = content_schema().load(values)
    except ValidationError as exc:
        return {}, flatten(exc.messages)
    return clean, {}
