"""Armenia with an EU Delegation and a CFCU (its contracting authority), Georgia with its own
Delegation, and a project of the Armenian Ministry of Finance under a chosen management mode,
driven along the lifecycle by the parties each step needs."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.api.conftest import ApiClient
from tests.factories import name_team
from twinflow.reports.operations import approve_report, create_report, submit_report


@pytest.fixture
def api(app):
    app.config["API_TOKEN_HOURS"] = 24 * 365 * 5
    return ApiClient(app.test_client())


@dataclass
class Armenia:
    make: object
    delegation: object  # a coordinator of the EU Delegation to Armenia
    cfcu: object  # a coordinator of the CFCU of Armenia
    georgia: object  # a coordinator of the EU Delegation to Georgia
    beneficiary: object
    france: object
    cfcu_organisation: object

    def project(self, mode: str, months: int = 12):
        make = self.make
        extra = {"management_mode": mode}
        if mode == "indirect":
            extra["contracting_authority_id"] = self.cfcu_organisation.id
        return make.project(
            self.beneficiary, implementation_months=months, title=f"PIFC ({mode})", **extra
        )

    def to_contracting(self, project):
        make = self.make
        make.fire(self.beneficiary, project, "submit_fiche")
        make.fire(self.delegation, project, "approve_fiche")
        proposal = make.proposal(self.france, project)
        make.clock.set(project.proposal_deadline + timedelta(minutes=1))
        make.fire(self.delegation, project, "close_call")
        make.select(self.delegation, project, proposal)
        request = make.fire(self.beneficiary, project, "select_partner").approval
        make.engine.decide(make.session, self.delegation, request.id, "approve")
        name_team(make.session, make.clock, project, self.france, self.beneficiary)
        make.fire(self.beneficiary, project, "submit_contract")
        return project

    def co_signed_report(self, project, kind: str, number: int | None = None):
        session, engine = self.make.session, self.make.engine
        values = {"kind": kind} | ({"number": number} if number else {})
        report = create_report(session, engine, self.beneficiary, project.id, values)
        submit_report(session, engine, self.beneficiary, report.id)
        submit_report(session, engine, self.france, report.id)
        return report

    def approve(self, actor, report):
        return approve_report(self.make.session, self.make.engine, actor, report.id)


@pytest.fixture
def armenia(make) -> Armenia:
    am = make.organisation("EU Delegation to Armenia", countries=["AM"], country="AM")
    ge = make.organisation("EU Delegation to Georgia", countries=["GE"], country="GE")
    cfcu = make.organisation(
        "Central Finance and Contracts Unit of Armenia",
        kind="contracting_authority",
        countries=["AM"],
        country="AM",
    )
    return Armenia(
        make,
        delegation=make.user("coordinator", organisation_id=am.id, email="am@eeas.example"),
        cfcu=make.user("coordinator", organisation_id=cfcu.id, email="cfcu@minfin.example"),
        georgia=make.user("coordinator", organisation_id=ge.id, email="ge@eeas.example"),
        beneficiary=make.user(
            "beneficiary", country="AM", organisation="Ministry of Finance of Armenia"
        ),
        france=make.user("member_state", country="FR"),
        cfcu_organisation=cfcu,
    )
