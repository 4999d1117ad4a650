"""The fiche's forms, built from the section template: one text area per section, the
components written as an outline; the particulars; the coordinator's return with comments."""

from babel.support import LazyProxy
from wtforms import (
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from twinflow.fiche.sections import template
from twinflow.i18n import gettext as _
from twinflow.i18n import lazy_gettext
from twinflow.reference import default_reference
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

OUTLINE_HELP = lazy_gettext(
    "One component per line; under it “- ” starts a mandatory result and “* ” an indicator "
    "of that result."
)


def _lazy(labels) -> LazyProxy:
    """A file's label (title: {en: ..., fr: ...}) as a text read in the current language."""
    return LazyProxy(labels.text, enable_cache=False)


def _text_form():
    # Built once, at import: a section's title and help are read when shown, in the language
    # of the request that shows the form (reading them here would fix them in English).
    fields = {}
    for s in template().sections:
        description = OUTLINE_HELP if s.kind == "components" else (_lazy(s.helps) if s.help else "")
        limit = 100_000 if s.kind == "components" else s.max_length
        fields[s.key] = TextAreaField(
            _lazy(s.titles),
            validators=[Optional(), Length(max=limit)],
            description=description,
            render_kw={"rows": 8 if s.kind == "components" or limit > 5000 else 4},
        )
    # The version the text was loaded at: a save over someone else's newer text is refused.
    fields["version"] = HiddenField()
    return type("FicheTextForm", (SafeForm,), fields)


def _return_form():
    fields = {
        f"comment_{s.key}": TextAreaField(
            lazy_gettext("Comment on %(section)s", section=_lazy(s.titles)),
            validators=[Optional(), Length(max=5000)],
        )
        for s in template().sections
    }
    fields["comment"] = TextAreaField(
        lazy_gettext("Why the fiche goes back"), validators=[DataRequired(), Length(max=5000)]
    )
    return type("FicheReturnForm", (SafeForm,), fields)


FicheTextForm = _text_form()
FicheReturnForm = _return_form()


class ParticularsForm(SafeForm):
    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=300)])
    beneficiary_institution = StringField(
        lazy_gettext("Beneficiary institution"), validators=[DataRequired(), Length(max=200)]
    )
    sector = SelectField(
        lazy_gettext("Sector"), choices=choices(default_reference().new_project_sectors().items())
    )
    instrument = SelectField(
        lazy_gettext("Instrument"),
        choices=choices(default_reference().new_project_instruments().items()),
    )
    budget_eur = DecimalField(
        lazy_gettext("Budget (EUR)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0, max=1e12)],
    )
    implementation_months = IntegerField(
        lazy_gettext("Implementation (months)"),
        validators=[InputRequired(), NumberRange(min=1, max=600)],
    )


# -- the components as an outline ---------------------------------------------------------


def outline(components: list) -> str:
    lines = []
    for component in components or []:
        lines.append(component.get("title", ""))
        for result in component.get("results", []):
            lines.append(f"- {result.get('title', '')}")
            lines += [f"  * {i}" for i in result.get("indicators", [])]
    return "\n".join(lines)


def parse_outline(text: str) -> tuple[list, str | None]:
    """(components, None) or ([], why the outline cannot be read, naming the line)."""
    components: list = []
    for number, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            if not components:
                return [], _("line %(number)s: a result must follow a component", number=number)
            components[-1]["results"].append({"title": line[2:].strip(), "indicators": []})
        elif line.startswith("* "):
            if not components or not components[-1]["results"]:
                return [], _("line %(number)s: an indicator must follow a result", number=number)
            components[-1]["results"][-1]["indicators"].append(line[2:].strip())
        else:
            components.append({"title": line, "results": []})
    return components, None
