"""Forms of the progress page: components, mandatory results, indicators, values reached."""

from wtforms import DecimalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm

REQUIRED = lazy_gettext("is required")


class ComponentForm(SafeForm):
    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(
        lazy_gettext("Description"),
        validators=[Optional(), Length(max=5000)],
        render_kw={"rows": 2},
    )


class ResultForm(ComponentForm):
    pass


class IndicatorForm(SafeForm):
    name = StringField(lazy_gettext("Indicator"), validators=[DataRequired(), Length(max=300)])
    unit = StringField(lazy_gettext("Unit"), validators=[Optional(), Length(max=60)])
    baseline = DecimalField(lazy_gettext("Baseline"), validators=[InputRequired(message=REQUIRED)])
    target = DecimalField(lazy_gettext("Target"), validators=[InputRequired(message=REQUIRED)])


class IndicatorValueForm(SafeForm):
    reached = DecimalField(
        lazy_gettext("Value reached"), validators=[InputRequired(message=REQUIRED)]
    )
