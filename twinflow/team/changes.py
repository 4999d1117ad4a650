"""Team changes a side letter (a project leader) or an addendum (the RTA, as the Manual
requires) carries: the new member takes the role on `effective_on`, the one replaced keeps it
until the day before, both rows stay. An addendum that extends the implementation must extend
the RTA's secondment too, or say why not."""

from datetime import date, timedelta

from sqlalchemy.orm import object_session

from twinflow.i18n import gettext
from twinflow.records.validation import Values
from twinflow.team.models import TeamMember
from twinflow.team.people import ROLE_TITLES, account_of, member_on
from twinflow.workflow.durations import add_months
from twinflow.workflow.hooks import change_field

PERSON_FIELDS = ("name", "email", "organisation", "effective_on")
RTA_FIELDS = (*PERSON_FIELDS, "secondment_start", "secondment_end")


def _reasons(v: Values) -> str:
    return "; ".join(f"{k}: {', '.join(r)}" for k, r in v.errors.items())


def _nobody_to_replace(role: str) -> str:
    """One whole sentence per role a change replaces (French puts the role inside its own)."""
    if role == "ms_project_leader":
        return gettext("the project has no Member State project leader to replace")
    if role == "bc_project_leader":
        return gettext("the project has no beneficiary's project leader to replace")
    if role == "rta":
        return gettext("the project has no Resident Twinning Adviser to replace")
    return f"the project has no {ROLE_TITLES[role].removeprefix('the ')} to replace"


def _last_day(project) -> date | None:
    end = project.implementation_end
    return (end - timedelta(days=1)).date() if end is not None else None


def _check_person(role: str, value, project, fields=PERSON_FIELDS):
    if not isinstance(value, dict):
        return None, gettext("must be an object with %(fields)s", fields=", ".join(fields))
    v = Values(value, fields)
    clean = {
        "name": v.text("name", required=True, max_length=200),
        "email": v.text("email", max_length=254),
        "organisation": v.text("organisation", max_length=200, default=""),
        "effective_on": v.day("effective_on", required=True),
    }
    if clean["email"] is not None and "@" not in clean["email"]:
        v.error("email", gettext("is not an e-mail address"))
    effective = clean["effective_on"]
    # The member replaced is the one holding the role with no end: the latest appointed.
    current = member_on(object_session(project), project.id, role, date.max)
    if current is None:
        v.error("name", _nobody_to_replace(role))
    elif effective is not None and current.starts_on is not None and effective <= current.starts_on:
        v.error(
            "effective_on",
            gettext(
                "must be after %(name)s took the role (%(date)s)",
                name=current.name,
                date=current.starts_on,
            ),
        )
    return clean, v


def _done(clean, v: Values):
    if v.errors:
        return None, _reasons(v)
    return {k: (x.isoformat() if isinstance(x, date) else x) for k, x in clean.items()}, None


def _leader(role: str):
    def check(value, project, definition, workflow):
        clean, v = _check_person(role, value, project)
        if clean is None:
            return None, v  # v: the reason
        return _done(clean, v)

    return check


def _check_rta(value, project, definition, workflow):
    clean, v = _check_person("rta", value, project, RTA_FIELDS)
    if clean is None:
        return None, v  # v: the reason
    start, end = v.day("secondment_start", required=True), v.day("secondment_end", required=True)
    effective, last = clean["effective_on"], _last_day(project)
    if start and effective and start > effective:
        v.error("secondment_start", gettext("must be on or before effective_on"))
    if end and last and end < last:
        v.error(
            "secondment_end",
            gettext("must cover the implementation period, to %(date)s", date=last),
        )
    if start and end and end < start:
        v.error("secondment_end", gettext("must not be before secondment_start"))
    return _done(clean | {"secondment_start": start, "secondment_end": end}, v)


def _replace(role: str):
    def apply(project, value: dict) -> dict:
        session = object_session(project)
        effective = date.fromisoformat(value["effective_on"])
        old = member_on(session, project.id, role, date.max)
        old.ends_on = effective - timedelta(days=1)
        new = TeamMember(
            project_id=project.id,
            role=role,
            name=value["name"],
            organisation=value.get("organisation") or old.organisation,
            country=old.country,
            email=value.get("email"),
            user_id=account_of(session, value.get("email")),
            starts_on=effective,
            secondment_start=_date(value.get("secondment_start")),
            secondment_end=_date(value.get("secondment_end")),
        )
        session.add(new)
        session.flush()
        return {role: {"from": old.name, "to": new.name, "effective_on": value["effective_on"]}}

    return apply


def _date(text):
    return date.fromisoformat(text) if text else None


def _check_secondment_end(value, project, definition, workflow):
    v = Values({"rta_secondment_end": value}, ("rta_secondment_end",))
    end = v.day("rta_secondment_end", required=True)
    if v.errors:
        return None, _reasons(v).removeprefix("rta_secondment_end: ")
    rta = member_on(object_session(project), project.id, "rta", date.max)
    if rta is None or rta.secondment_start is None:
        return None, gettext("the project has no RTA with a secondment to extend")
    if end <= rta.secondment_end:
        return None, gettext(
            "must be after the current secondment end (%(date)s)", date=rta.secondment_end
        )
    return end.isoformat(), None


def _apply_secondment_end(project, value: str) -> dict:
    rta = member_on(object_session(project), project.id, "rta", date.max)
    old, rta.secondment_end = rta.secondment_end, date.fromisoformat(value)
    return {"rta_secondment_end": {"from": old.isoformat(), "to": value}}


def _check_reason(value, project, definition, workflow):
    if not isinstance(value, str) or not value.strip():
        return None, gettext("must say why the RTA's secondment is not extended")
    if len(value) > 2000:
        return None, gettext("must be at most %(count)s characters", count=2000)
    return value.strip(), None


def _apply_reason(project, value: str) -> dict:
    return {"rta_not_extended_because": {"from": None, "to": value}}


change_field("ms_project_leader", _leader("ms_project_leader"), _replace("ms_project_leader"))
change_field("bc_project_leader", _leader("bc_project_leader"), _replace("bc_project_leader"))
change_field("rta", _check_rta, _replace("rta"))
change_field("rta_secondment_end", _check_secondment_end, _apply_secondment_end)
change_field("rta_not_extended_because", _check_reason, _apply_reason)


def rta_follows_extension(clean: dict, project, lifecycle) -> dict[str, list[str]]:
    """An extension of a standard Twinning leaves no day without a seconded RTA unless the
    addendum says why: errors keyed as check_changes keys them."""
    months = clean.get("extend_months")
    if not months or not lifecycle.rules.rta_required or project.implementation_end is None:
        return {}
    last = (add_months(project.implementation_end, months) - timedelta(days=1)).date()
    if "rta_not_extended_because" in clean:
        return {}
    ends = [clean.get("rta_secondment_end"), (clean.get("rta") or {}).get("secondment_end")]
    rta = member_on(object_session(project), project.id, "rta", date.max)
    if rta is not None and rta.secondment_end is not None:
        ends.append(rta.secondment_end.isoformat())
    if any(e is not None and e >= last.isoformat() for e in ends):
        return {}
    return {
        "changes.rta_secondment_end": [
            gettext(
                "the implementation would run to %(date)s: extend the RTA's secondment to cover "
                "it, or say why not in rta_not_extended_because",
                date=last,
            )
        ]
    }
