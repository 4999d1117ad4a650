"""Demo users for every role and a handful of realistic projects in different stages.

The history is replayed through the real engine on a clock that starts months ago, so the
audit trail, deadlines and approvals look exactly as they would after real use.
"""

from datetime import timedelta

from sqlalchemy import select

from twinflow import demo_records
from twinflow.auth.models import User
from twinflow.auth.operations import create_user
from twinflow.calls import demo as calls_demo
from twinflow.clock import FrozenClock
from twinflow.demo_guide import described
from twinflow.demo_replay import replay, starting
from twinflow.fiche import demo as fiche_demo
from twinflow.organisations.operations import (
    CONSOLE,
    create_organisation,
    headquarters,
    update_user,
)
from twinflow.projects.operations import create_project
from twinflow.proposals.operations import select_proposal, submit_proposal
from twinflow.selection import demo as selection_demo
from twinflow.workflow.engine import Engine

DEMO_PASSWORD = "twinflow-demo"

USERS = [
    ("admin@twinflow.demo", "admin", None, None, "Ada Admin"),
    (
        "delegation@twinflow.demo",
        "coordinator",
        "European Commission, DG NEAR",
        None,
        "Clara Coordinator",
    ),
    (
        "delegation.ge@twinflow.demo",
        "coordinator",
        "EU Delegation to Georgia",
        None,
        "Sofia Marchetti",
    ),
    (
        "delegation.am@twinflow.demo",
        "coordinator",
        "EU Delegation to Armenia",
        None,
        "Henrik Larsen",
    ),
    (
        "cfcu@twinflow.demo",
        "coordinator",
        "Central Finance and Contracts Unit of Armenia",
        None,
        "Carl Contracts",
    ),
    (
        "justice.ge@twinflow.demo",
        "beneficiary",
        "Ministry of Justice of Georgia",
        "GE",
        "Nino Beridze",
    ),
    (
        "finance.am@twinflow.demo",
        "beneficiary",
        "Ministry of Finance of Armenia",
        "AM",
        "Aram Petrosyan",
    ),
    (
        "environment.md@twinflow.demo",
        "beneficiary",
        "Ministry of Environment of Moldova",
        "MD",
        "Ion Rusu",
    ),
    ("france@twinflow.demo", "member_state", "Ministère de la Justice", "FR", "Jeanne Martin"),
    ("germany@twinflow.demo", "member_state", "Bundesministerium der Finanzen", "DE", "Karl Weber"),
    (
        "lithuania@twinflow.demo",
        "member_state",
        "Ministry of Environment of Lithuania",
        "LT",
        "Rūta Kazlauskienė",
    ),
]

# (name, kind, seat, beneficiary countries covered); the headquarters covering every country
# is made by the migrations (0014).
ORGANISATIONS = [
    ("EU Delegation to Georgia", "eu_delegation", "GE", ["GE"]),
    ("EU Delegation to Armenia", "eu_delegation", "AM", ["AM", "MD"]),
    ("Central Finance and Contracts Unit of Armenia", "contracting_authority", "AM", ["AM"]),
]
# Each coordinator's organisation (the others belong to the headquarters).
MEMBERS = {
    "delegation.ge@twinflow.demo": "EU Delegation to Georgia",
    "delegation.am@twinflow.demo": "EU Delegation to Armenia",
    "cfcu@twinflow.demo": "Central Finance and Contracts Unit of Armenia",
}
# Projects under indirect management: title -> contracting authority.
INDIRECT = {
    "Modernising public internal financial control": (
        "Central Finance and Contracts Unit of Armenia"
    ),
}

# When each project's history starts, in days before today, so that it ends where its stage
# stands now: a call circulated five weeks ago and open three more, a selection decided within
# its three weeks, nothing overdue for months. The others start 14 months back.
STARTED_DAYS_AGO = {
    "Modernising public internal financial control": 180,
    "Air quality monitoring in line with the EU acquis": 68,
    "Support to the Legal Aid Service": 98,
    "Customs risk management": 30,
    "Water basin management plans": 10,
}

PROJECTS = [
    # (beneficiary e-mail, title, workflow, sector, instrument, budget, months, stage)
    (
        "justice.ge@twinflow.demo",
        "Strengthening the penitentiary and probation system",
        "twinning",
        "JH",
        "ENI",
        1_500_000,
        24,
        "implementation",
    ),
    (
        "finance.am@twinflow.demo",
        "Modernising public internal financial control",
        "twinning",
        "FI",
        "ENI",
        1_200_000,
        21,
        # Indirect management: the EU Delegation to Armenia endorses the contract, then the
        # CFCU (cfcu@) and the lead Member State sign it.
        "contracting",
    ),
    (
        "environment.md@twinflow.demo",
        "Air quality monitoring in line with the EU acquis",
        "twinning",
        "EN",
        "ENI",
        1_000_000,
        24,
        "call_open",
    ),
    (
        "justice.ge@twinflow.demo",
        "Support to the Legal Aid Service",
        "twinning_light",
        "JH",
        "ENI",
        220_000,
        8,
        "selection",
    ),
    (
        "finance.am@twinflow.demo",
        "Customs risk management",
        "twinning_light",
        "FI",
        "ENI",
        180_000,
        8,
        "fiche_review",
    ),
    (
        "environment.md@twinflow.demo",
        "Water basin management plans",
        "twinning",
        "EN",
        "ENI",
        1_800_000,
        30,
        "fiche_drafting",
    ),
]


def seed_demo(session, app_engine, hash_method, months_back: int = 14) -> list[tuple[str, str]]:
    if session.scalar(select(User.id).limit(1)) is not None:
        return []
    real_now = app_engine.clock.now()
    clock = FrozenClock(real_now - timedelta(days=30 * months_back))
    engine = Engine(app_engine.registry, clock, app_engine.base_url)
    users = {}
    for email, role, org, country, name in USERS:
        users[email] = create_user(
            session,
            email=email,
            password=DEMO_PASSWORD,
            role=role,
            organisation=org,
            country=country,
            name=name,
            now=clock.now(),
            hash_method=hash_method,
            # The demo's password is published in the README and scores too low against
            # each account's own e-mail ("twinflow", "demo"): the demo alone skips the check.
            check_strength=False,
        )
    organisations = _organisations(session, users, clock.now())
    coordinator = users["delegation@twinflow.demo"]
    bidders = [
        users["france@twinflow.demo"],
        users["germany@twinflow.demo"],
        users["lithuania@twinflow.demo"],
    ]
    histories = []
    for index, (owner, title, workflow, sector, instrument, budget, months, stage) in enumerate(
        PROJECTS
    ):
        days_ago = STARTED_DAYS_AGO.get(title, 30 * months_back - 9 * index)
        beneficiary = users[owner]
        values = dict(
            title=title,
            workflow=workflow,
            sector=sector,
            instrument=instrument,
            budget_eur=budget,
            implementation_months=months,
            description=f"{title}: peer-to-peer support to the {beneficiary.organisation}.",
            management_mode="indirect" if title in INDIRECT else "direct",
            contracting_authority_id=organisations[INDIRECT[title]].id
            if title in INDIRECT
            else None,
        )
        histories.append(
            _history(
                session,
                engine,
                clock,
                real_now - timedelta(days=days_ago),
                values,
                stage,
                beneficiary,
                coordinator,
                bidders,
                real_now,
            )
        )
    # A fiche returned with comments on its sections (twinflow/fiche/demo.py).
    histories.append(
        starting(
            real_now - timedelta(days=40),
            fiche_demo.seed(session, engine, clock, users["justice.ge@twinflow.demo"], coordinator),
        )
    )
    # A selection recorded, with a reserve Member State (twinflow/selection/demo.py).
    histories.append(
        selection_demo.seed(
            session,
            engine,
            clock,
            real_now,
            users["finance.am@twinflow.demo"],
            coordinator,
            bidders,
        )
    )
    # A call in its second round after a failed selection (twinflow/calls/demo.py).
    added = []
    histories.append(calls_demo.seed(session, engine, clock, real_now, users, hash_method, added))
    replay(clock, histories)
    return [(email, described(users[email])) for email, *_ in USERS] + added


def _organisations(session, users, now) -> dict:
    """The Delegations and the contracting authority, each coordinator in its own; the
    others (and the head of the demo, delegation@) in the headquarters covering all."""
    made = {
        name: create_organisation(
            session, CONSOLE, name=name, kind=kind, country=seat, countries=covers, now=now
        )
        for name, kind, seat, covers in ORGANISATIONS
    }
    hq = headquarters(session)
    for email, user in users.items():
        if user.role == "coordinator":
            where = made[MEMBERS[email]] if email in MEMBERS else hq
            update_user(session, CONSOLE, user.id, organisation_id=where.id, now=now)
    session.commit()
    return made


def _history(session, engine, clock, start, values, stage, beneficiary, coordinator, bidders, now):
    """One project's history from its creation: a generator yielding the time of each step."""
    yield start
    project = create_project(session, engine, beneficiary, values)
    yield from _drive(
        session,
        engine,
        clock,
        project,
        stage,
        beneficiary,
        coordinator,
        bidders,
        now,
        values["workflow"],
    )


def _drive(
    session, engine, clock, project, stage, beneficiary, coordinator, bidders, real_now, workflow
):
    order = [
        "fiche_drafting",
        "fiche_review",
        "call_open",
        "selection",
        "work_plan",
        "contracting",
        "implementation",
    ]
    target = order.index(stage)
    if target >= 1:
        yield clock.now() + timedelta(days=12)
        engine.fire(session, beneficiary, project.id, "submit_fiche")
    if target >= 2:
        yield clock.now() + timedelta(days=20)
        deadline = None
        if stage == "call_open":  # still open today: the deadline lies in the future
            deadline = (real_now + timedelta(days=20)).isoformat()
        engine.fire(
            session,
            coordinator,
            project.id,
            "approve_fiche",
            data={"proposal_deadline": deadline} if deadline else None,
        )
    if target >= 3 or stage == "call_open":
        first = bidders[: 1 if workflow == "twinning_light" or stage == "call_open" else 2]
        proposals = []
        for ms in first:
            yield clock.now() + timedelta(days=10)
            proposals.append(
                (
                    ms,
                    submit_proposal(
                        session,
                        engine,
                        ms,
                        project.id,
                        dict(
                            lead_member_state=ms.country,
                            junior_member_states=[],
                            project_leader=ms.name,
                            rta_name=None
                            if workflow == "twinning_light"
                            else f"RTA of {ms.country}",
                            summary=f"{ms.organisation} proposes its experts.",
                        ),
                    ),
                )
            )
    if target >= 3:
        yield project.proposal_deadline + timedelta(hours=2)
        engine.fire(session, coordinator, project.id, "close_call")
    if target >= 4:
        yield clock.now() + timedelta(days=20)
        select_proposal(session, engine, coordinator, project.id, proposals[0][1].id)
        request = engine.fire(session, beneficiary, project.id, "select_partner").approval
        yield clock.now() + timedelta(days=2)
        engine.decide(session, coordinator, request.id, "approve", "Best proposal on quality.")
    indicators = []
    if target >= 5:
        yield clock.now() + timedelta(days=60)
        # The team is named before the contract: its project leader signs for the lead.
        demo_records.name_team(session, engine, clock, project, beneficiary, proposals[0][0])
        engine.fire(session, beneficiary, project.id, "submit_contract")
        if stage == "implementation":
            indicators = demo_records.define(session, engine, beneficiary, project)
    if target >= 6:
        yield clock.now() + timedelta(days=30)
        lead = proposals[0][0]
        request = engine.fire(session, coordinator, project.id, "sign_contract").approval
        yield clock.now() + timedelta(days=3)
        engine.decide(session, lead, request.id, "approve")
        yield from demo_records.run(
            session, engine, clock, project, indicators, beneficiary, lead, coordinator
        )
