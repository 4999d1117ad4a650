"""Forms of the progress page: components, mandatory results, indicators, values reached."""

from wtforms import DecimalField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from twinflow.web.forms import SafeForm


class ComponentForm(SafeForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(
        "Description", validators=[Optional(), Length(max=5000)], render_kw={"rows": 2}
    )


class ResultForm(ComponentForm):
    pass


class IndicatorForm(SafeForm):
    name = StringField("Indicator", validators=[DataRequired(), Length(max=300)])
    unit = StringField("Unit", validators=[Optional(), Length(max=60)])
    baseline = DecimalField("Baseline", validators=[InputRequired(message="is required")])
    target = DecimalField("Target", validators=[InputRequired(message="is required")])


class IndicatorValueForm(SafeForm):
    reached = DecimalField("Value reached", validators=[InputRequired(message="is required")])
