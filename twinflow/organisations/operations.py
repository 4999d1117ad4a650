"""Creating organisations and managing who belongs to which: the rules the API, the admin
pages and the CLI share. Operations flush; the caller commits (one commit per request)."""

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.auth.models import ROLES, User
from twinflow.auth.operations import (
    create_user,
    end_sessions,
    identity_problems,
    validate_user,
)
from twinflow.i18n import gettext as _
from twinflow.organisations.models import COVERING_KINDS, KINDS, CoveredCountry, Organisation
from twinflow.organisations.permissions import can_manage_organisations
from twinflow.reference import default_reference
from twinflow.team.people import follow_email
from twinflow.workflow.errors import Conflict, InvalidData, NotFound, NotPermitted

COUNTRY = re.compile(r"[A-Z]{2}")
# The kinds of organisation a user of each role may belong to.
ROLE_KINDS = {
    "admin": tuple(KINDS),
    "coordinator": COVERING_KINDS,
    "beneficiary": ("beneficiary_institution",),
    "member_state": ("member_state_institution", "ncp"),
}
assert set(ROLE_KINDS) == set(ROLES)


class _Console:
    """The operator at the server's console (the `twinflow` CLI), trusted as administrators
    are; recorded in the audit trail as the system (no user)."""


CONSOLE = _Console()


def _who(actor):
    return None if actor is CONSOLE else actor


def _require_admin(actor) -> None:
    if actor is CONSOLE:
        return
    if not can_manage_organisations(actor):
        raise NotPermitted("Only administrators manage organisations and users.")


def _code(value) -> str | None:
    return (value or "").strip().upper() or None


def create_organisation(
    session: Session,
    actor,
    *,
    name: str,
    kind: str,
    now,
    country: str | None = None,
    countries=(),
    covers_all: bool = False,
) -> Organisation:
    """An organisation; Delegations, Commission services and contracting authorities carry
    the beneficiary countries they cover (a headquarters unit may cover all)."""
    _require_admin(actor)
    name = " ".join((name or "").split())
    country = _code(country)
    codes = sorted({_code(c) for c in countries or () if _code(c)})
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("is required")]
    elif len(name) > 200:
        errors["name"] = [_("must be at most %(max)s characters", max=200)]
    elif session.scalar(
        select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    ):
        errors["name"] = [_("another organisation has this name")]
    if kind not in KINDS:
        errors["kind"] = [_("must be one of: %(values)s", values=", ".join(KINDS))]
    if country is not None and not COUNTRY.fullmatch(country):
        errors["country"] = [_("must be a two-letter country code")]
    bad = [c for c in codes if not COUNTRY.fullmatch(c) or c in _member_states()]
    if bad:
        errors["countries"] = [
            _(
                "%(codes)s: must be beneficiary countries (two letters, not EU Member States)",
                codes=", ".join(bad),
            )
        ]
    if kind in KINDS and kind not in COVERING_KINDS and (codes or covers_all):
        errors["countries"] = [_("a %(kind)s covers no beneficiary country", kind=KINDS[kind])]
    if covers_all and kind != "commission_service":
        errors["covers_all"] = [_("only a Commission service (headquarters) covers every country")]
    if covers_all and codes:
        errors["countries"] = [_("an organisation covering every country lists none")]
    # A National Contact Point is its Member State's (twinflow/calls: its users are the NCP).
    if kind in ("beneficiary_institution", "member_state_institution", "ncp") and country is None:
        errors["country"] = [_("is required for this kind of organisation")]
    if kind in ("member_state_institution", "ncp") and country and country not in _member_states():
        errors["country"] = [_("%(country)s is not an EU Member State", country=country)]
    if errors:
        raise InvalidData(errors)
    if kind == "contracting_authority" and not codes and country:
        codes = [country]  # a CFCU covers its own country's projects unless told otherwise
    organisation = Organisation(
        name=name,
        kind=kind,
        country=country,
        covers_all=bool(covers_all),
        covered=[CoveredCountry(country=c) for c in codes],
        created_at=now,
    )
    session.add(organisation)
    session.flush()
    append_event(
        session,
        action="organisation_created",
        now=now,
        actor=_who(actor),
        data={
            "organisation_id": organisation.id,
            "name": name,
            "kind": kind,
            "country": country,
            "countries": codes,
            "covers_all": bool(covers_all),
        },
    )
    return organisation


def find_organisation(session: Session, organisation_id) -> Organisation:
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise InvalidData({"organisation_id": [_("no organisation %(id)s", id=organisation_id)]})
    return organisation


def membership_problems(role: str, organisation: Organisation | None, country) -> dict:
    """Why this role cannot belong to this organisation with this country (empty: it can)."""
    if organisation is None or role not in ROLE_KINDS:
        return {}
    if organisation.kind not in ROLE_KINDS[role]:
        allowed = ", ".join(str(KINDS[k]) for k in ROLE_KINDS[role])
        said = _("a %(role)s belongs to: %(kinds)s", role=role.replace("_", " "), kinds=allowed)
        return {"organisation_id": [said]}
    if role in ("beneficiary", "member_state") and organisation.country != country:
        said = _("must be the organisation's country (%(country)s)", country=organisation.country)
        return {"country": [said]}
    return {}


def create_member(
    session: Session, actor, *, organisation_id=None, commit: bool = False, **values
) -> User:
    """A user, in an organisation when one is named: a beneficiary or Member State user takes
    its country and (unless given) its name as administration. Every error at once."""
    _require_admin(actor)
    errors: dict = {}
    organisation = None
    if organisation_id is not None:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            errors["organisation_id"] = [_("no organisation %(id)s", id=organisation_id)]
    if organisation is not None and values.get("role") in ("beneficiary", "member_state"):
        values["country"] = _code(values.get("country")) or organisation.country
        values["organisation"] = values.get("organisation") or organisation.name
    errors |= membership_problems(values.get("role"), organisation, _code(values.get("country")))
    try:
        user = create_user(session, actor=_who(actor), commit=False, **values)
    except InvalidData as exc:
        raise InvalidData(exc.errors | errors) from None
    if errors:
        raise InvalidData(errors)
    if organisation is not None:
        user.affiliation = organisation
        _joined(session, actor, user, None, organisation, values["now"])
    if commit:
        session.commit()
    return user


def _joined(session, actor, user, before, after, now) -> None:
    append_event(
        session,
        action="user_organisation_changed",
        now=now,
        actor=_who(actor),
        data={
            "user_id": user.id,
            "email": user.email,
            "before": before and {"id": before.id, "name": before.name},
            "after": after and {"id": after.id, "name": after.name},
        },
    )


UNSET = object()


def update_user(
    session: Session,
    actor,
    user_id: int,
    *,
    now,
    role=UNSET,
    organisation_id=UNSET,
    country=UNSET,
    active=UNSET,
    name=UNSET,
    email=UNSET,
) -> User:
    """Change a user's name, e-mail, role, organisation (None: none), country and whether it
    is active, all checked together and applied together; one audit event per kind of change."""
    _require_admin(actor)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No user %(id)s.", id=user_id))
    new_role = user.role if role is UNSET else role
    new_country = user.country if country is UNSET else _code(country)
    errors: dict = {}
    organisation = user.affiliation
    if organisation_id is not UNSET:
        organisation = None
        if organisation_id is not None:
            organisation = session.get(Organisation, organisation_id)
            if organisation is None:
                errors["organisation_id"] = [_("no organisation %(id)s", id=organisation_id)]
    represents = new_role in ("beneficiary", "member_state")
    if organisation is not None and country is UNSET and represents:
        new_country = organisation.country
    org_name = user.organisation
    if organisation is not None and organisation_id is not UNSET:
        org_name = organisation.name if represents else org_name
    errors = validate_user(user.email, None, new_role, org_name, new_country, False) | errors
    errors |= membership_problems(new_role, organisation, new_country)
    errors |= identity_problems(
        session, user, None if name is UNSET else name, None if email is UNSET else email
    )
    if errors:
        raise InvalidData(errors)
    if actor is not CONSOLE and user.id == actor.id and (new_role != "admin" or active is False):
        raise Conflict(_("You cannot remove your own administrator role or deactivate yourself."))
    before = {"role": user.role, "organisation": user.organisation, "country": user.country}
    after = {"role": new_role, "organisation": org_name, "country": new_country}
    if before != after:
        user.role, user.organisation, user.country = new_role, org_name, new_country
        _event(session, actor, user, "user_role_changed", now, before=before, after=after)
    if organisation is not user.affiliation:
        _joined(session, actor, user, user.affiliation, organisation, now)
        user.affiliation = organisation
    _identity(session, actor, user, name, email, now)
    if active is not UNSET and bool(active) != user.is_active:
        user.is_active = bool(active)
        if not active:
            end_sessions(session, user)  # reactivating later must not revive them
        action = "user_reactivated" if active else "user_deactivated"
        _event(session, actor, user, action, now, email=user.email)
    session.flush()
    return user


def _identity(session, actor, user, name, email, now) -> None:
    """A new name or e-mail (checked by identity_problems); the team members recorded with
    the old e-mail follow the new one and stay linked to the account."""
    before = {"name": user.name, "email": user.email}
    after = {
        "name": before["name"] if name is UNSET else name.strip(),
        "email": before["email"] if email is UNSET else email.strip().lower(),
    }
    if before == after:
        return
    user.name, user.email = after["name"], after["email"]
    members = follow_email(session, user, before["email"])
    _event(
        session, actor, user, "user_details_changed", now,
        before=before, after=after, team_members=members,
    )  # fmt: skip


def _event(session, actor, user, action, now, **data) -> None:
    append_event(
        session, action=action, now=now, actor=_who(actor), data={"user_id": user.id, **data}
    )


def headquarters(session: Session) -> Organisation | None:
    """The first organisation covering every country (the upgrade makes one)."""
    return session.scalar(
        select(Organisation).where(Organisation.covers_all.is_(True)).order_by(Organisation.id)
    )


def contracting_authorities(session: Session) -> list[Organisation]:
    """The contracting authorities a project under indirect management may name."""
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.kind == "contracting_authority")
            .order_by(Organisation.country, Organisation.name)
        )
    )


def _member_states() -> set[str]:
    """Every country that is or was a Member State (reference data: the UK until 2020)."""
    return set(default_reference().member_states)
