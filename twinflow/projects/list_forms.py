"""The filter form of the web's and the public project lists (a GET form: no CSRF token),
read into the one list query (projects/listing.py)."""

import threading

from flask import current_app, request
from markupsafe import Markup
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional

from twinflow.i18n import current_translations, lazy_gettext
from twinflow.partial_dates import YEARS
from twinflow.projects.listing import DEFAULT_SORT, SORT_LABELS, SORTS, ListQuery, country_names
from twinflow.web.forms import SafeQueryForm
from twinflow.web.helpers import choices

ANY = [("", lazy_gettext("Any"))]


class ProjectFilterForm(SafeQueryForm):
    q = StringField(
        lazy_gettext("Search"),
        validators=[Optional(), Length(max=200)],
        description=lazy_gettext("Reference, title, institution or country"),
    )
    type = SelectField(lazy_gettext("Type"), choices=choices(ANY), validators=[Optional()])
    instrument = SelectField(
        lazy_gettext("Instrument"), choices=choices(ANY), validators=[Optional()]
    )
    country = SelectField(
        lazy_gettext("Beneficiary country"), choices=choices(ANY), validators=[Optional()]
    )
    sector = SelectField(lazy_gettext("Sector"), choices=choices(ANY), validators=[Optional()])
    state = SelectField(lazy_gettext("State"), choices=choices(ANY), validators=[Optional()])
    member_state = SelectField(
        lazy_gettext("Member State (lead or junior)"), choices=choices(ANY), validators=[Optional()]
    )
    year_from = IntegerField(
        lazy_gettext("Started from (year)"),
        validators=[Optional(), NumberRange(YEARS[0], YEARS[1])],
    )
    year_to = IntegerField(
        lazy_gettext("to (year)"), validators=[Optional(), NumberRange(YEARS[0], YEARS[1])]
    )
    # An order the list cannot give falls back to the default (an old link, a typed address).
    sort = SelectField(
        lazy_gettext("Sort by"),
        choices=choices(SORT_LABELS.items()),
        default=DEFAULT_SORT.lstrip("-"),
        validate_choice=False,
    )
    dir = SelectField(
        lazy_gettext("Order"),
        choices=choices([("desc", lazy_gettext("Descending")), ("asc", lazy_gettext("Ascending"))]),
        default="desc",
        validate_choice=False,
    )

    def fill(self, reference, registry, states, countries, member_states) -> None:
        """The choices, from the lifecycles and the reference data of the running app."""
        self.type.choices = choices(
            ANY + [(n, registry.current(n).title) for n in registry.names()]
        )
        self.instrument.choices = choices(
            ANY + [(c, i.title) for c, i in reference.instruments.items()]
        )
        self.sector.choices = choices(ANY + [(c, s.label) for c, s in reference.sectors.items()])
        self.state.choices = choices(ANY + [(s.name, s.label) for s in states])
        self.country.choices = choices(ANY + [(c, reference.country_name(c)) for c in countries])
        self.member_state.choices = choices(
            ANY + [(c, reference.country_name(c)) for c in member_states]
        )

    def list_query(self, reference) -> ListQuery:
        """What the form asks, valid fields only (a refused field filters nothing)."""

        def value(field):
            return field.data if field.data not in ("", None) and not field.errors else None

        key = self.sort.data if self.sort.data in SORTS else DEFAULT_SORT.lstrip("-")
        return ListQuery(
            q=(value(self.q) or "").strip(),
            types=(value(self.type),) if value(self.type) else (),
            instrument=value(self.instrument),
            country=value(self.country),
            sector=value(self.sector),
            state=value(self.state),
            member_state=value(self.member_state),
            year_from=value(self.year_from),
            year_to=value(self.year_to),
            sort=key if self.dir.data == "asc" else f"-{key}",
            countries_named=country_names(reference),
        )


# The form as HTML, by what it is a function of: the catalogue (the language), the address's
# arguments (the values and their errors) and every select's choices (the countries and
# Member States differ by reader). About 1.5 ms a list to build with WTForms and the
# field macro; the same few forms come back all day. Bounded: cleared when full.
_RENDERED: dict = {}
_RENDERED_MAX = 512
_LOCK = threading.Lock()


def filters_html(form: ProjectFilterForm):
    """projects/_filters.html for this form, rendered once per distinct form."""
    key = (
        current_translations(),
        tuple(request.args.items(multi=True)),
        tuple(
            (f.name, tuple((c.value, str(c.label)) for c in f.choices))
            for f in form
            if isinstance(f, SelectField)
        ),
    )
    found = _RENDERED.get(key)
    if found is None:
        template = current_app.jinja_env.get_template("projects/_filters.html")
        found = Markup(template.render(form=form))
        with _LOCK:
            if len(_RENDERED) >= _RENDERED_MAX:
                _RENDERED.clear()
            _RENDERED[key] = found
    return found
