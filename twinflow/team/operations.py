"""The project team: both project leaders, the Resident Twinning Adviser (RTA) and counterpart,
junior Member State partners; the RTA's secondment checked against the Manual's figures."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinflow.audit.operations import append_event
from twinflow.i18n import gettext
from twinflow.records.operations import open_project, readable_project, unit_of_work
from twinflow.records.validation import Values
from twinflow.reference import reference_for
from twinflow.team.models import TEAM_ROLES, TeamMember
from twinflow.team.partners import visible_team
from twinflow.team.people import account_of
from twinflow.workflow.durations import add_months
from twinflow.workflow.errors import Conflict

FIELDS = (
    "role",
    "name",
    "organisation",
    "country",
    "email",
    "secondment_start",
    "secondment_end",
    "starts_on",
    "deputy_name",
    "deputy_email",
)
# The team is known once the partner is selected and stays editable during implementation.
TEAM_STATES = ("work_plan", "contracting", "implementation", "suspended")
# At most one of each on a project.
SINGLE_ROLES = ("ms_project_leader", "bc_project_leader", "rta", "rta_counterpart")


def secondment_months(start: date, end: date) -> int:
    """Whole months from start to end, both days included: 5 Feb 2027 to 4 Feb 2028 is 12."""
    after_end, months = end + timedelta(days=1), 0
    while add_months(start, months + 1) <= after_end:
        months += 1
    return months


def _check_rta(v: Values, definition, role: str, start, end) -> None:
    rules = definition.rules
    if role != "rta":
        for name in ("secondment_start", "secondment_end"):
            if v.given(name) and v.raw.get(name) is not None:
                v.error(name, gettext("only a Resident Twinning Adviser has a secondment"))
        return
    if not rules.rta_allowed:
        v.error(
            "role",
            gettext(
                "a %(instrument)s project has no Resident Twinning Adviser",
                instrument=definition.title,
            ),
        )
        return
    if start is None or end is None:
        return  # reported as required already
    if end < start:
        v.error("secondment_end", gettext("must not be before secondment_start"))
        return
    months = secondment_months(start, end)
    low, high = rules.rta_months_min, rules.rta_months_max
    if (low is not None and months < low) or (high is not None and months > high):
        v.error(
            "secondment_end",
            gettext(
                "the RTA secondment must last %(low)s to %(high)s months on a %(instrument)s "
                "project; %(start)s to %(end)s is %(months)s months",
                low=low,
                high=high,
                instrument=definition.title,
                start=start.isoformat(),
                end=end.isoformat(),
                months=months,
            ),
        )


def add_team_member(
    session: Session, engine, actor, project_id: int, values: dict, commit: bool = True
) -> TeamMember:
    with unit_of_work(session, commit):
        project, _ = open_project(
            session,
            engine,
            actor,
            project_id,
            states=TEAM_STATES,
            what=gettext("Changing the team"),
        )
        definition = engine.definition_of(session, project)
        v = Values(values, FIELDS)
        role = v.choice("role", TEAM_ROLES, required=True)
        name = v.text("name", required=True, max_length=200)
        organisation = v.text("organisation", max_length=200, default="")
        country = (v.text("country", max_length=2) or "").upper() or None
        country = reference_for(engine).country_code(country) or country
        email = v.text("email", max_length=254)
        is_rta = role == "rta" and definition.rules.rta_allowed
        start = v.day("secondment_start", required=is_rta)
        end = v.day("secondment_end", required=is_rta)
        if role:
            _check_rta(v, definition, role, start, end)
        if role == "junior_ms_partner":
            if not definition.rules.junior_member_states_allowed:
                v.error(
                    "role",
                    gettext(
                        "a %(instrument)s project has one Member State only",
                        instrument=definition.title,
                    ),
                )
            elif not reference_for(engine).is_member_state(country, engine.clock.now().date()):
                v.error("country", gettext("must be the EU Member State of the junior partner"))
        starts_on = v.day("starts_on")
        deputy_name = v.text("deputy_name", max_length=200)
        deputy_email = v.text("deputy_email", max_length=254)
        for key, value in (("email", email), ("deputy_email", deputy_email)):
            if value is not None and "@" not in value:
                v.error(key, gettext("is not an e-mail address"))
        deputy_id = account_of(session, deputy_email)
        if deputy_email is not None and deputy_id is None:
            v.error("deputy_email", gettext("is not the e-mail of an active user account"))
        v.done()
        if role in SINGLE_ROLES and session.scalar(
            select(TeamMember.id).where(
                TeamMember.project_id == project.id,
                TeamMember.role == role,
                TeamMember.ends_on.is_(None),
            )
        ):
            raise Conflict(
                f"The project already has a {role.replace('_', ' ')}"
                + (
                    "; a change of RTA needs an addendum."
                    if role == "rta"
                    else "; a change of project leader needs a side letter."
                    if role.endswith("project_leader")
                    else "."
                )
            )
        now = engine.clock.now()
        member = TeamMember(
            project_id=project.id,
            role=role,
            name=name,
            organisation=organisation,
            country=country,
            email=email,
            secondment_start=start if role == "rta" else None,
            secondment_end=end if role == "rta" else None,
            user_id=account_of(session, email),
            starts_on=starts_on,
            deputy_name=(deputy_name or deputy_email) if deputy_id else None,
            deputy_user_id=deputy_id,
            created_at=now,
        )
        session.add(member)
        session.flush()
        append_event(
            session,
            action="team_member_added",
            now=now,
            actor=actor,
            project_id=project.id,
            data={
                "member_id": member.id,
                "role": role,
                "name": name,
                "secondment": [start.isoformat(), end.isoformat()] if role == "rta" else None,
                "user_id": member.user_id,
                "deputy_user_id": deputy_id,
            }
            # A Member State's own people: not for another one (audit/permissions.py).
            | ({"member_state": actor.country} if actor.role == "member_state" else {}),
        )
    return member


def team(session: Session, engine, actor, project_id: int) -> list[TeamMember]:
    project, _ = readable_project(session, engine, actor, project_id)
    members = session.scalars(
        select(TeamMember)
        .where(TeamMember.project_id == project.id)
        .order_by(TeamMember.role, TeamMember.starts_on.nulls_first(), TeamMember.id)
    )
    return visible_team(list(members), project, actor)
