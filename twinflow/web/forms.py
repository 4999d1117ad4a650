"""The base of every web form: no control character gets past a field, whatever its type.

Every form of the web UI derives from SafeForm (posted, with CSRF) or SafeQueryForm (a GET
filter form); a test walks all their subclasses and fields, so a new form or field cannot be
forgotten. The rule itself is twinflow.text's, the same as the API's and the CLI's.
"""

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Form, TextAreaField
from wtforms.widgets import HiddenInput, Select

from twinflow.text import control_problem


def field_problem(field) -> str | None:
    """Why a value sent for this field is refused: a text area may hold line breaks, every
    other field (text, e-mail, password, hidden, select, date ...) is one line."""
    multiline = isinstance(field, TextAreaField)
    for value in field.raw_data or ():
        if isinstance(value, str):  # files are FileStorage objects, judged by the upload
            problem = control_problem(value, multiline=multiline)
            if problem:
                return problem
    return None


class RefusesControlCharacters:
    """After the fields' own validators, every value sent is held to the text rule; a refusal
    is an error on its field, so the page says which field and why (and answers 422)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            # Every plain select renders with QuickSelect (same HTML, less work per option).
            field = super().bind_field(form, unbound_field, options)
            if type(field.widget) is Select:
                field.widget = QUICK_SELECT
            elif type(field.widget) is HiddenInput:  # the CSRF token, versions, sequences
                field.widget = QUICK_HIDDEN
            return field

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            problem = field_problem(field)
            if problem:
                field.errors = [problem, *(e for e in field.errors if e != problem)]
                valid = False
        return valid


class SafeForm(RefusesControlCharacters, FlaskForm):
    """A posted form: CSRF-protected, control characters refused."""


class SafeQueryForm(RefusesControlCharacters, Form):
    """A GET form of filters (no state changes, no CSRF token): control characters refused."""


class QuickSelect(Select):
    """WTForms' select, its plain options written directly: the same HTML, without building
    each option's attributes through Markup.format (a filter form has a hundred options)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{escape(choice.value)}">{label}</option>')


QUICK_SELECT = QuickSelect()


class QuickHiddenInput(HiddenInput):
    """WTForms' hidden input written directly: the same HTML (attributes in its sorted order),
    without listing the field's flags with dir() each time (a project page has a dozen)."""

    def __call__(self, field, **kwargs):
        flags = vars(field.flags)
        if kwargs or getattr(field, "_datalist", None) is not None or "disabled" in flags:
            return super().__call__(field, **kwargs)
        id_, name, value = (_attr(v) for v in (field.id, field.name, field._value()))
        return Markup(f'<input id="{id_}" name="{name}" type="hidden" value="{value}">')


def _attr(value) -> Markup:
    """An attribute's value as wtforms.widgets.html_params writes it."""
    return escape(value).replace(Markup('"'), Markup("&quot;"))


QUICK_HIDDEN = QuickHiddenInput()
