"""Builders for users and projects, and a driver that walks a project to any stage."""

from datetime import timedelta

from sqlalchemy import select

from twinflow.auth.operations import create_user
from twinflow.organisations.models import CoveredCountry, Organisation
from twinflow.organisations.operations import headquarters
from twinflow.projects.operations import create_project
from twinflow.proposals.operations import select_proposal, submit_proposal

PASSWORD = "correct horse battery"


class Factory:
    def __init__(self, session, engine, clock):
        self.session, self.engine, self.clock = session, engine, clock
        self._n = 0

    def user(
        self,
        role: str,
        country: str | None = None,
        organisation: str | None = None,
        email: str | None = None,
        organisation_id: int | None = None,
    ):
        """A coordinator belongs to `organisation_id`, by default the headquarters (every
        country), as the upgrade attaches every existing coordinator."""
        self._n += 1
        if role == "beneficiary":
            country = country or "GE"
            organisation = organisation or "Ministry of Justice of Georgia"
        if role == "member_state":
            country = country or "FR"
            organisation = organisation or f"Administration of {country}"
        user = create_user(
            self.session,
            email=email or f"{role}{self._n}@example.eu",
            password=PASSWORD,
            role=role,
            organisation=organisation,
            country=country,
            now=self.clock.now(),
            hash_method="pbkdf2:sha256:1000",
        )
        if organisation_id is not None or role == "coordinator":
            user.organisation_id = organisation_id or headquarters(self.session).id
            self.session.commit()
        return user

    def organisation(self, name: str, kind: str = "eu_delegation", countries=(), **values):
        """An organisation covering these beneficiary countries."""
        organisation = Organisation(
            name=name,
            kind=kind,
            covered=[CoveredCountry(country=c) for c in countries],
            created_at=self.clock.now(),
            **values,
        )
        self.session.add(organisation)
        self.session.commit()
        return organisation

    def project(self, creator, workflow: str = "twinning", **overrides):
        values = dict(
            title="Strengthening the penitentiary system",
            workflow=workflow,
            sector="JH",
            instrument="ENI",
            budget_eur=1_500_000 if workflow == "twinning" else 200_000,
            implementation_months=24 if workflow == "twinning" else 8,
        )
        if creator.role == "coordinator":
            values |= dict(
                beneficiary_country="GE", beneficiary_institution="Ministry of Justice of Georgia"
            )
        values |= overrides
        return create_project(self.session, self.engine, creator, values)

    def fire(self, actor, project, trigger, **kwargs):
        return self.engine.fire(self.session, actor, project.id, trigger, **kwargs)

    def proposal(self, ms_user, project, **overrides):
        values = dict(
            lead_member_state=ms_user.country,
            junior_member_states=[],
            project_leader="Jeanne Martin",
            rta_name="Paul Durand",
            summary="Peer support from our administration.",
        )
        if project.workflow == "twinning_light":
            values["rta_name"] = None
        values |= overrides
        return submit_proposal(self.session, self.engine, ms_user, project.id, values)

    def select(self, actor, project, proposal):
        return select_proposal(self.session, self.engine, actor, project.id, proposal.id)


class Cast:
    """One user of every party, with a project driven to a chosen stage."""

    def __init__(self, make: Factory, workflow: str = "twinning"):
        self.make = make
        self.coordinator = make.user("coordinator")
        self.beneficiary = make.user("beneficiary")
        self.other_beneficiary = make.user(
            "beneficiary", country="AM", organisation="Ministry of Finance of Armenia"
        )
        self.france = make.user("member_state", country="FR")
        self.germany = make.user("member_state", country="DE")
        self.admin = make.user("admin")
        self.project = make.project(self.beneficiary, workflow=workflow)
        self.proposal = None

    def _any_proposal(self):
        from sqlalchemy import select

        from twinflow.proposals.models import Proposal

        return self.make.session.scalars(
            select(Proposal).where(
                Proposal.project_id == self.project.id,
                Proposal.call_round == self.project.call_round,
            )
        ).first()

    def to(self, stage: str):
        """Drive the project forward along the standard path from where it is up to `stage`."""
        make, p = self.make, self.project
        path = [
            "fiche_review",
            "call_open",
            "selection",
            "work_plan",
            "contracting",
            "implementation",
            "final_reporting",
            "closed",
        ]
        here = path.index(p.state) + 1 if p.state in path else 0
        for target in path[here : path.index(stage) + 1]:
            if target == "fiche_review":
                make.fire(self.beneficiary, p, "submit_fiche")
            elif target == "call_open":
                make.fire(self.coordinator, p, "approve_fiche")
            elif target == "selection":
                self.proposal = make.proposal(self.france, p)
                make.clock.set(p.proposal_deadline + timedelta(minutes=1))
                make.fire(self.coordinator, p, "close_call")
            elif target == "work_plan":
                current = self.proposal and self.proposal.call_round == p.call_round
                make.select(self.coordinator, p, self.proposal if current else self._any_proposal())
                result = make.fire(self.beneficiary, p, "select_partner")
                make.engine.decide(make.session, self.coordinator, result.approval.id, "approve")
                self.name_team()
            elif target == "contracting":
                make.fire(self.beneficiary, p, "submit_contract")
            elif target == "implementation":
                result = make.fire(self.coordinator, p, "sign_contract")
                make.engine.decide(make.session, self.france, result.approval.id, "approve")
            elif target == "final_reporting":
                make.clock.set(p.implementation_end)
                make.fire(self.coordinator, p, "end_implementation")
            elif target == "closed":
                self.approve_interim_reports()
                self.approve_final_report()
                make.fire(self.coordinator, p, "approve_final_report")
        self.make.session.refresh(p)
        return p

    def name_team(self):
        """The named people who sign: France's user leads for the Member State, the
        beneficiary's user for the beneficiary, and (standard Twinning) an RTA."""
        name_team(self.make.session, self.make.clock, self.project, self.france, self.beneficiary)

    def approve_interim_reports(self):
        """Closing also needs every interim report owed approved (or its deadline waived)."""
        from twinflow.deadlines.models import Deadline

        keys = self.make.session.scalars(
            select(Deadline.key).where(
                Deadline.project_id == self.project.id,
                Deadline.key.startswith("interim_report#"),
                Deadline.status.in_(("open", "met")),
            )
        ).all()
        for key in keys:
            self.approve_report("interim", int(key.split("#")[1]))

    def approve_report(self, kind: str, number: int | None = None):
        """A report drafted, co-signed by both project leaders and approved."""
        from twinflow.reports.operations import approve_report, create_report, submit_report

        session, engine, p = self.make.session, self.make.engine, self.project
        values = {"kind": kind} | ({"number": number} if number else {})
        report = create_report(session, engine, self.beneficiary, p.id, values)
        submit_report(session, engine, self.beneficiary, report.id)
        submit_report(session, engine, self.france, report.id)
        return approve_report(session, engine, self.coordinator, report.id).record

    def approve_final_report(self):
        """Closing needs the final report co-signed by both project leaders and approved."""
        from twinflow.reports.operations import approve_report, create_report, submit_report

        session, engine, p = self.make.session, self.make.engine, self.project
        report = create_report(session, engine, self.beneficiary, p.id, {"kind": "final"})
        submit_report(session, engine, self.beneficiary, report.id)
        submit_report(session, engine, self.france, report.id)
        return approve_report(session, engine, self.coordinator, report.id).record


def name_team(session, clock, project, ms_leader, bc_leader):
    """The named people who sign: `ms_leader` leads for the Member State, `bc_leader` for the
    beneficiary, and (standard Twinning) an RTA seconded for 36 months from 45 days ago: that
    covers a 24-month implementation starting soon (or backdated within the tolerance) and its
    extension by addendum."""
    from twinflow.team.models import TeamMember
    from twinflow.workflow.durations import add_months

    today = clock.now().date()
    # From 45 days back: a start backdated within the tolerance (30 days) is covered too.
    seconded = today - timedelta(days=45)
    members = [
        ("ms_project_leader", "Jeanne Martin", ms_leader),
        ("bc_project_leader", "Giorgi Beridze", bc_leader),
    ]
    for role, name, user in members:
        session.add(
            TeamMember(
                project_id=project.id, role=role, name=name, email=user.email, user_id=user.id,
            )
        )  # fmt: skip
    if project.workflow == "twinning":
        session.add(
            TeamMember(
                project_id=project.id, role="rta", name="Paul Durand",
                secondment_start=seconded,
                secondment_end=add_months(seconded, 36) - timedelta(days=1),
            )
        )  # fmt: skip
    session.commit()
