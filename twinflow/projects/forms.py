"""Project forms: a form per trigger built from what the definition says it needs, and the
new-project form. Validation of meaning stays in the engine and the operations."""

from datetime import UTC

from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from twinflow.i18n import gettext, lazy_gettext
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

DATA_PREFIX = "data_"


class TriggerFormBase(SafeForm):
    version = HiddenField()
    seen_seq = HiddenField()

    def trigger_data(self) -> dict:
        """The declared data as the engine reads it (ISO strings, UTC for date-times)."""
        out = {}
        for field in self:
            if not field.short_name.startswith(DATA_PREFIX) or field.data is None:
                continue
            key = field.short_name[len(DATA_PREFIX) :]
            value = field.data
            if field.type == "DateTimeLocalField":
                value = value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
            elif field.type == "DateField":
                value = value.isoformat()
            elif field.type == "DecimalField":
                value = str(value)
            out[key] = value
        return out

    def int_or_none(self, field) -> int | None:
        try:
            return int(field.data)
        except (TypeError, ValueError):
            return None


def trigger_form_class(spec, rules=None):
    """A FlaskForm class with a comment box and one field per declared data field. rules: the
    definition's rules, so an optional field's hint says what its default is."""
    fields = {
        "comment": TextAreaField(
            gettext("Comment") if spec.comment_required else gettext("Comment (optional)"),
            validators=[DataRequired() if spec.comment_required else Optional(), Length(max=4000)],
            render_kw={"rows": 2},
        )
    }
    for item in spec.data:
        needed = InputRequired() if item.required else Optional()
        hint = _default_hint(item, rules) if not item.required else None
        if item.type == "datetime":
            # A datetime-local picker has no time zone: the value is read as UTC, say so.
            utc = gettext("Date and time in UTC, not your local time.")
            hint = " ".join(filter(None, [utc, hint]))
            field = DateTimeLocalField(
                item.label, format="%Y-%m-%dT%H:%M", validators=[needed], description=hint
            )
        elif item.type == "date":
            field = DateField(item.label, validators=[needed], description=hint)
        elif item.type == "integer":
            field = IntegerField(item.label, validators=[needed], description=hint)
        elif item.type == "decimal":
            field = DecimalField(item.label, validators=[needed], description=hint)
        else:
            field = StringField(item.label, validators=[needed, Length(max=1000)], description=hint)
        fields[DATA_PREFIX + item.name] = field
    return type(f"TriggerForm_{spec.trigger}", (TriggerFormBase,), fields)


def _default_hint(item, rules) -> str:
    if item.name == "proposal_deadline" and rules is not None:
        period = rules.proposal_period.words()
        return gettext(
            "Leave empty for the default: %(period)s from the day the call opens.", period=period
        )
    return gettext("Leave empty for the default.")


def engine_error_map(form) -> dict:
    """Engine error keys ("comment", "data.x" or "x") -> this form's field attribute names."""
    out = {"comment": "comment"}
    for field in form:
        short = field.short_name
        if short.startswith(DATA_PREFIX):
            name = short[len(DATA_PREFIX) :]
            out[f"data.{name}"] = short
            out[name] = short
    return out


def optional_id(value):
    """A select of rows with an empty first choice: "" is None, anything else its id."""
    if value in (None, "", "None"):
        return None
    return int(value)


class ProjectForm(SafeForm):
    title = StringField(lazy_gettext("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(
        lazy_gettext("Description"),
        validators=[Optional(), Length(max=10000)],
        render_kw={"rows": 4},
    )
    workflow = SelectField(lazy_gettext("Type"), choices=[])
    # Choices from the reference data (workflows/reference/), set by the view.
    sector = SelectField(lazy_gettext("Sector"), choices=[])
    instrument = SelectField(lazy_gettext("Instrument"), choices=[])
    reference = StringField(
        lazy_gettext("Reference"),
        validators=[Optional(), Length(max=60)],
        description=lazy_gettext(
            "Leave empty to have one made (CC YY INSTR SS NN ZZ); a given one is kept as written."
        ),
    )
    budget_eur = DecimalField(
        lazy_gettext("EU budget (EUR)"), validators=[InputRequired(), NumberRange(min=0)], places=2
    )
    implementation_months = IntegerField(
        # InputRequired, not DataRequired: a typed 0 is an answer (and gets the range's
        # reason, "at least 1"), not a missing one ("This field is required.").
        lazy_gettext("Implementation period (months)"),
        validators=[
            InputRequired(),
            NumberRange(
                min=1,
                max=120,
                message=lazy_gettext("must be at least 1 month and at most 120"),
            ),
        ],
    )
    beneficiary_country = StringField(
        lazy_gettext("Beneficiary country code"),
        validators=[Optional(), Length(max=2)],
        description=lazy_gettext(
            "Coordinators only; a beneficiary creates for its own administration."
        ),
    )
    beneficiary_institution = StringField(
        lazy_gettext("Beneficiary institution"), validators=[Optional(), Length(max=200)]
    )
    management_mode = SelectField(
        lazy_gettext("Management mode"),
        choices=choices(
            [
                ("direct", lazy_gettext("Direct management (the EU Delegation contracts)")),
                (
                    "indirect",
                    lazy_gettext("Indirect management (the country's contracting authority)"),
                ),
            ]
        ),
        default="direct",
    )
    contracting_authority_id = SelectField(
        lazy_gettext("Contracting authority (indirect management)"),
        choices=[],
        coerce=optional_id,
        validate_choice=True,
        description=lazy_gettext("The CFCU or contracting agency of the beneficiary country."),
    )
