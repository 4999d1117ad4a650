"""Who may learn who someone is: people's names and e-mail addresses.

- The directory of users (names, e-mail addresses, roles) is for administrators.
- Anyone who may read an event, a decision or a document may learn who acted on it, except
  that a Member State user never learns which users of another Member State acted: Member
  States compete for the same calls. `person_withheld` is the rule in Python,
  `withheld_people_clause` its twin over the users table; tests/security checks both.
- Signed-out and deactivated users learn nobody.
"""

from sqlalchemy import and_, true

from twinflow.auth.models import User
from twinflow.i18n import gettext as _

# What a page or an API says instead of a withheld person.
WITHHELD = "a user of another Member State"


def can_read_directory(viewer) -> bool:
    """The users' list and each user's page: administrators only."""
    return viewer is not None and getattr(viewer, "is_active", False) and viewer.role == "admin"


def person_withheld(viewer, role: str | None, country: str | None) -> bool:
    """Must the user with this role and country stay unnamed to `viewer`?"""
    if viewer is None or not getattr(viewer, "is_active", False):
        return True
    return viewer.role == "member_state" and role == "member_state" and country != viewer.country


def can_know_person(viewer, person) -> bool:
    return person is not None and not person_withheld(viewer, person.role, person.country)


def nobody_withheld_from(viewer) -> bool:
    """Whether `person_withheld` spares everyone for this viewer (an active user who is not a
    Member State's): then nothing needs asking the database."""
    return bool(viewer is not None and getattr(viewer, "is_active", False)) and (
        viewer.role != "member_state"
    )


def withheld_people_clause(viewer):
    """`person_withheld` as a WHERE over User."""
    if viewer is None or not getattr(viewer, "is_active", False):
        return true()
    if nobody_withheld_from(viewer):
        return User.id.is_(None)  # nobody (the primary key is never NULL)
    return and_(User.role == "member_state", User.country.is_distinct_from(viewer.country))


def name_for(viewer, person, fallback: str | None = None) -> str:
    """How `viewer` may call `person`: the name, WITHHELD, or `fallback` when unknown (in the
    current language)."""
    if person is None:
        return _("a user") if fallback is None else fallback
    if person_withheld(viewer, person.role, person.country):
        return _("a user of another Member State")
    return person.display_name


def named_in_notice(actor, parties) -> str:
    """How a notice to these parties names its actor: a Member State user is not named to a
    notice that every Member State receives (it would name them to their rivals)."""
    if getattr(actor, "role", None) == "member_state" and "member_state" in set(parties):
        return _("a Member State user")
    return actor.display_name
