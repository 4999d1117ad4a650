"""Sign-in and user administration forms; the rules themselves live in auth.operations."""

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from twinflow.auth.models import ROLES
from twinflow.i18n import lazy_gettext
from twinflow.web.forms import SafeForm
from twinflow.web.helpers import choices

ROLE_CHOICES = [
    ("coordinator", lazy_gettext("Coordinator (EU Delegation, Commission, contracting authority)")),
    ("beneficiary", lazy_gettext("Beneficiary administration")),
    ("member_state", lazy_gettext("Member State institution")),
    ("admin", lazy_gettext("Administrator")),
]
assert {r for r, _ in ROLE_CHOICES} == set(ROLES)
# A role in a sentence or a table (English: the code in words, as the pages always read).
ROLE_NAMES = {
    "admin": lazy_gettext("admin"),
    "coordinator": lazy_gettext("coordinator"),
    "beneficiary": lazy_gettext("beneficiary"),
    "member_state": lazy_gettext("member state"),
}
assert set(ROLE_NAMES) == set(ROLES)


class LoginForm(SafeForm):
    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(lazy_gettext("Keep me signed in on this device (14 days)"))


class ButtonForm(SafeForm):
    """A form that is only a button: it carries the CSRF token and nothing else."""


class UserCreateForm(SafeForm):
    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(lazy_gettext("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(lazy_gettext("Role"), choices=choices(ROLE_CHOICES))
    organisation = StringField(
        lazy_gettext("Administration or institution"),
        validators=[Optional(), Length(max=200)],
        description=lazy_gettext("Required for beneficiary and Member State users."),
    )
    country = StringField(
        lazy_gettext("Country code"),
        validators=[Optional(), Length(max=2)],
        description=lazy_gettext(
            "Two letters, e.g. GE or FR. Required for beneficiary and Member State users."
        ),
    )
    password = PasswordField(
        lazy_gettext("Initial password"),
        validators=[DataRequired(), Length(max=200)],
        description=lazy_gettext(
            "At least 10 characters and hard to guess (a few uncommon words work "
            "well). Share it with the user through a separate channel."
        ),
    )


class RoleForm(SafeForm):
    role = SelectField(lazy_gettext("Role"), choices=choices(ROLE_CHOICES))
    organisation = StringField(
        lazy_gettext("Administration or institution"), validators=[Optional(), Length(max=200)]
    )
    country = StringField(lazy_gettext("Country code"), validators=[Optional(), Length(max=2)])


class DetailsForm(SafeForm):
    name = StringField(lazy_gettext("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        lazy_gettext("E-mail"),
        validators=[DataRequired(), Length(max=254)],
        description=lazy_gettext(
            "The user signs in with it; team members recorded with the old e-mail follow it."
        ),
    )


class PasswordForm(SafeForm):
    password = PasswordField(
        lazy_gettext("New password"),
        validators=[DataRequired(), Length(max=200)],
        description=lazy_gettext(
            "At least 10 characters and hard to guess. Resetting it signs the user "
            "out everywhere and ends their API tokens."
        ),
    )


class ChangePasswordForm(SafeForm):
    current_password = PasswordField(
        lazy_gettext("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    new_password = PasswordField(
        lazy_gettext("New password"),
        validators=[DataRequired(), Length(max=200)],
        description=lazy_gettext(
            "At least 10 characters and hard to guess: a few uncommon words work well."
        ),
    )
    confirm = PasswordField(
        lazy_gettext("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", lazy_gettext("must match the new password")),
        ],
    )
