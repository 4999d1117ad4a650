"""Direct and indirect management. Under direct management the EU Delegation is the
contracting authority; under indirect management the beneficiary country's contracting
authority (the CFCU) signs the contract and approves the reports, each only after the EU
Delegation's endorsement (its prior approval); a Delegation of another country takes no part."""

import json

import pytest
from sqlalchemy import select

from tests.workflow.helpers import snapshot
from twinflow.audit.models import AuditEvent
from twinflow.i18n import speaking
from twinflow.records.steps import record_steps
from twinflow.workflow.errors import Conflict, NotPermitted


def test_an_indirect_management_project_is_walked_from_contract_to_closure_with_endorsements(
    armenia, make, session, engine, api
):
    project = armenia.to_contracting(armenia.project("indirect"))
    before = snapshot(session, project.id)

    # The CFCU may not sign before the Delegation endorses, nor may the lead Member State;
    # the actions they are offered say so.
    options = {o.spec.trigger: o for o in engine.options(session, armenia.cfcu, project)}
    assert "must endorse this first" in options["sign_contract"].blocked_by
    for too_early in (armenia.cfcu, armenia.france):
        with pytest.raises(NotPermitted, match="EU Delegation must endorse this first"):
            make.fire(too_early, project, "sign_contract")
    assert snapshot(session, project.id) == before
    # The Delegation to Georgia does not even see an Armenian project.
    refused = api.as_(armenia.georgia).post(
        f"/projects/{project.id}/transitions", json={"trigger": "sign_contract"}
    )
    assert refused.status_code == 404
    assert snapshot(session, project.id)["requests"] == before["requests"]

    endorsed = make.fire(armenia.delegation, project, "sign_contract", comment="Endorsed")
    assert not endorsed.applied
    assert endorsed.approval.owed_parties == ["contracting_authority", "lead_member_state"]
    # Endorsing is not signing: the Delegation cannot also sign for the contracting authority.
    with pytest.raises(Conflict, match="already decided"):
        engine.decide(session, armenia.delegation, endorsed.approval.id, "approve")
    engine.decide(session, armenia.cfcu, endorsed.approval.id, "approve", "Signed for the CFCU")
    engine.decide(session, armenia.france, endorsed.approval.id, "approve")
    session.refresh(project)
    assert project.state == "implementation"
    decisions = [(d.party, d.user_id) for d in endorsed.approval.decisions]
    assert decisions == [
        ("delegation", armenia.delegation.id),
        ("contracting_authority", armenia.cfcu.id),
        ("lead_member_state", armenia.france.id),
    ]

    # Reports: co-signed by the project leaders, endorsed by the Delegation, approved by the
    # CFCU; the CFCU's approval before the endorsement is refused and changes nothing.
    make.clock.set(project.implementation_end)
    make.fire(armenia.delegation, project, "end_implementation")
    reports = [armenia.co_signed_report(project, "interim", n) for n in range(1, 5)]
    reports.append(armenia.co_signed_report(project, "final"))
    cfcu_parties = engine.parties(session, armenia.cfcu, project)
    steps = record_steps(session, engine, armenia.cfcu, project, reports[0], cfcu_parties)
    approve = next(s for s in steps if s.spec.trigger == "approve")
    assert "EU Delegation must endorse Interim report 1 first" in approve.blocked_by
    for report in reports:
        with pytest.raises(NotPermitted, match="EU Delegation must endorse"):
            armenia.approve(armenia.cfcu, report)
        assert not armenia.approve(armenia.delegation, report).applied
        assert armenia.approve(armenia.cfcu, report).record.state == "approved"
    make.fire(armenia.delegation, project, "approve_final_report")
    session.refresh(project)
    assert project.state == "closed"
    signed = session.scalars(
        select(AuditEvent.data).where(
            AuditEvent.project_id == project.id, AuditEvent.action == "report_approve"
        )
    ).all()
    assert [json.loads(d)["signed_by"] for d in signed] == [
        ["delegation", "contracting_authority"]
    ] * 5


def test_under_direct_management_the_delegation_signs_and_the_cfcu_takes_no_part(
    armenia, make, session, engine
):
    project = armenia.to_contracting(armenia.project("direct"))
    with pytest.raises(NotPermitted, match="may not sign the contract"):
        make.fire(armenia.cfcu, project, "sign_contract")
    signing = make.fire(armenia.delegation, project, "sign_contract")
    # No endorsement: the Delegation signs as the contracting authority.
    assert signing.approval.owed_parties == ["lead_member_state"]
    engine.decide(session, armenia.france, signing.approval.id, "approve")
    session.refresh(project)
    assert project.state == "implementation"
    make.clock.set(project.implementation_end)
    make.fire(armenia.delegation, project, "end_implementation")
    report = armenia.co_signed_report(project, "final")
    with pytest.raises(NotPermitted):
        armenia.approve(armenia.cfcu, report)
    assert armenia.approve(armenia.delegation, report).record.state == "approved"


def test_the_page_offers_the_endorsement_to_the_delegation_and_says_the_cfcu_waits(
    armenia, app, make, session
):
    from tests.web.conftest import Browser

    project = armenia.to_contracting(armenia.project("indirect"))
    delegation = Browser(app).sign_in(armenia.delegation).text(f"/projects/{project.id}")
    assert "Sign the contract" in delegation
    make.fire(armenia.delegation, project, "sign_contract")
    cfcu = Browser(app).sign_in(armenia.cfcu).text("/approvals")
    assert "Sign the contract" in cfcu


def test_the_endorsement_owed_is_one_whole_sentence_in_english_and_in_french(
    armenia, session, engine
):
    project = armenia.to_contracting(armenia.project("indirect"))
    options = {o.spec.trigger: o for o in engine.options(session, armenia.cfcu, project)}
    assert options["sign_contract"].blocked_by == (
        "The EU Delegation must endorse this first (its prior approval under indirect "
        "management); then the contracting authority and the lead Member State may sign."
    )
    with speaking("fr"):
        options = {o.spec.trigger: o for o in engine.options(session, armenia.cfcu, project)}
    assert options["sign_contract"].blocked_by == (
        "La Délégation de l’UE doit d’abord approuver cet élément (son approbation préalable "
        "en gestion indirecte) ; ensuite l’administration contractante et l’État membre chef "
        "de file peuvent signer."
    )
