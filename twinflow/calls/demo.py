"""The demo's project in its second call round: round 1 closed with two proposals, none
acceptable, so the coordinator re-circulated the fiche; France's National Contact Point
forwarded round 2 with an internal deadline, and Germany has proposed again."""

from datetime import timedelta

from twinflow.auth.operations import create_user
from twinflow.calls.operations import forward_call
from twinflow.organisations.operations import CONSOLE, create_organisation, update_user
from twinflow.projects.operations import create_project
from twinflow.proposals.operations import submit_proposal

TITLE = "Food safety controls along the value chain"
NCP = ("ncp.fr@twinflow.demo", "Élise Fournier", "French National Contact Point for Twinning")


def seed(session, engine, clock, real_now, users: dict, hash_method, added: list):
    """`users`: the demo's users by e-mail; the accounts it adds go to `added`, as the demo
    lists them. A generator yielding the time of each next step (the demo replays histories in
    time order)."""
    beneficiary = users["justice.ge@twinflow.demo"]
    coordinator = users["delegation@twinflow.demo"]
    france, germany = users["france@twinflow.demo"], users["germany@twinflow.demo"]
    lithuania = users["lithuania@twinflow.demo"]
    yield real_now - timedelta(days=140)
    ncp = _contact_point(session, clock, hash_method)
    added.append((ncp.email, "member_state, National Contact Point of France"))
    project = create_project(
        session,
        engine,
        beneficiary,
        dict(
            title=TITLE,
            workflow="twinning",
            sector="AG",
            instrument="ENI",
            budget_eur=1_300_000,
            implementation_months=24,
            description=f"{TITLE}: risk-based inspections and laboratory accreditation.",
        ),
    )
    yield clock.now() + timedelta(days=10)
    engine.fire(session, beneficiary, project.id, "submit_fiche")
    yield clock.now() + timedelta(days=14)
    engine.fire(session, coordinator, project.id, "approve_fiche")
    # Round 1: a French-Lithuanian consortium and Germany.
    yield clock.now() + timedelta(days=20)
    _propose(session, engine, france, project, [lithuania.country])
    yield clock.now() + timedelta(days=5)
    _propose(session, engine, germany, project, [])
    yield project.proposal_deadline + timedelta(hours=2)
    engine.fire(session, coordinator, project.id, "close_call")
    yield clock.now() + timedelta(days=12)
    engine.fire(
        session,
        coordinator,
        project.id,
        "recirculate",
        comment="Selection meeting: neither proposal covers the laboratory component "
        "(mandatory result 2); the fiche is re-circulated unchanged.",
        data={"proposal_deadline": (real_now + timedelta(days=25)).isoformat()},
    )
    # Round 2, open today: France's NCP forwarded it; Germany proposed again.
    yield clock.now() + timedelta(days=2)
    forward_call(
        session,
        engine,
        ncp,
        project.id,
        {
            "internal_deadline": real_now + timedelta(days=15),
            "note": "Send your draft to the NCP ten days before the call closes.",
        },
    )
    yield clock.now() + timedelta(days=6)
    _propose(session, engine, germany, project, [])


def _contact_point(session, clock, hash_method):
    email, name, organisation = NCP
    office = create_organisation(
        session, CONSOLE, name=organisation, kind="ncp", country="FR", now=clock.now()
    )
    user = create_user(
        session,
        email=email,
        password="twinflow-demo",
        role="member_state",
        organisation=organisation,
        country="FR",
        name=name,
        now=clock.now(),
        hash_method=hash_method,
        check_strength=False,
    )
    update_user(session, CONSOLE, user.id, organisation_id=office.id, now=clock.now())
    session.commit()
    return user


def _propose(session, engine, member_state, project, juniors):
    return submit_proposal(
        session,
        engine,
        member_state,
        project.id,
        dict(
            lead_member_state=member_state.country,
            junior_member_states=juniors,
            project_leader=member_state.name,
            rta_name=f"RTA of {member_state.country}",
            summary=f"{member_state.organisation} proposes its food safety inspectors.",
        ),
    )
