"""Sign-in and user administration forms; the rules themselves live in auth.operations."""

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from twinflow.auth.models import ROLES
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

ROLE_CHOICES = [
    ("coordinator", "Coordinator (EU Delegation, Commission, contracting authority)"),
    ("beneficiary", "Beneficiary administration"),
    ("member_state", "Member State institution"),
    ("admin", "Administrator"),
]
assert {r for r, _ in ROLE_CHOICES} == set(ROLES)


class LoginForm(SafeForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me signed in on this device (14 days)")


class ButtonForm(SafeForm):
    """A form that is only a button: it carries the CSRF token and nothing else."""


class UserCreateForm(SafeForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    name = StringField("Full name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=choices(ROLE_CHOICES))
    organisation = StringField(
        "Administration or institution",
        validators=[Optional(), Length(max=200)],
        description="Required for beneficiary and Member State users.",
    )
    country = StringField(
        "Country code",
        validators=[Optional(), Length(max=2)],
        description="Two letters, e.g. GE or FR. Required for beneficiary and Member State users.",
    )
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), Length(max=200)],
        description="At least 10 characters and hard to guess (a few uncommon words work "
        "well). Share it with the user through a separate channel.",
    )


class RoleForm(SafeForm):
    role = SelectField("Role", choices=choices(ROLE_CHOICES))
    organisation = StringField(
        "Administration or institution", validators=[Optional(), Length(max=200)]
    )
    country = StringField("Country code", validators=[Optional(), Length(max=2)])


class DetailsForm(SafeForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        "E-mail",
        validators=[DataRequired(), Length(max=254)],
        description="The user signs in with it; team members recorded with the old e-mail "
        "follow it.",
    )


class PasswordForm(SafeForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=200)],
        description="At least 10 characters and hard to guess. Resetting it signs the user "
        "out everywhere and ends their API tokens.",
    )


class ChangePasswordForm(SafeForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=200)]
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=200)],
        description="At least 10 characters and hard to guess: a few uncommon words work well.",
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", "must match the new password")],
    )
