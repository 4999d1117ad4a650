"""The Manual's rules are checked again at the steps that bind the parties (choosing the partner,
signing the contract), not only when the figures are typed in.

The application refuses such figures at entry, so here they arrive the only other way they can:
by a change made directly in the database (a correction or an import done outside the
application). The guards are what stops them from being signed."""

import pytest
from sqlalchemy import update

from tests.factories import Cast
from tests.workflow.helpers import snapshot
from twinflow.projects.models import Project
from twinflow.proposals.models import Proposal
from twinflow.workflow.errors import GuardFailed


def _changed_in_the_database(session, model, row_id, **values):
    session.execute(update(model).where(model.id == row_id).values(**values))
    session.commit()
    session.expire_all()


def _at_selection(make, workflow):
    cast = Cast(make, workflow)
    cast.to("selection")
    make.select(cast.coordinator, cast.project, cast.proposal)
    return cast


@pytest.mark.parametrize(
    ("workflow", "change", "reason"),
    [
        (
            "twinning_light",
            {"junior_member_states": ["DE"]},
            "junior_member_states: this type allows one Member State only",
        ),
        (
            "twinning_light",
            {"rta_name": "Paul Durand"},
            "rta_name: this type has no Resident Twinning Adviser",
        ),
        ("twinning", {"rta_name": None}, "rta_name: a Resident Twinning Adviser must be proposed"),
    ],
    ids=["light-with-a-junior-member-state", "light-with-an-rta", "twinning-without-an-rta"],
)
def test_a_partner_whose_proposal_breaks_the_rules_cannot_be_selected(
    make, session, workflow, change, reason
):
    cast = _at_selection(make, workflow)
    _changed_in_the_database(session, Proposal, cast.proposal.id, **change)
    before = snapshot(session, cast.project.id)

    with pytest.raises(GuardFailed) as refused:
        make.fire(cast.beneficiary, cast.project, "select_partner")

    assert refused.value.guard == "selected_proposal_fits_rules"
    assert refused.value.message == reason
    assert snapshot(session, cast.project.id) == before  # no approval was even requested


def test_a_proposal_changed_while_its_selection_awaits_approval_is_refused_at_the_approval(
    make, session, engine
):
    cast = _at_selection(make, "twinning")
    request = make.fire(cast.beneficiary, cast.project, "select_partner").approval
    _changed_in_the_database(session, Proposal, cast.proposal.id, rta_name=None)
    before = snapshot(session, cast.project.id)

    with pytest.raises(GuardFailed) as refused:
        engine.decide(session, cast.coordinator, request.id, "approve")

    assert refused.value.guard == "selected_proposal_fits_rules"
    # Not even the coordinator's decision is kept; the request stays open to be put right.
    assert snapshot(session, cast.project.id) == before
    assert (cast.project.state, request.status) == ("selection", "pending")


@pytest.mark.parametrize(
    ("workflow", "change", "reason"),
    [
        ("twinning", {"budget_eur": 250_000}, "budget_eur: must be above EUR 250,000"),
        (
            "twinning",
            {"implementation_months": 40},
            "implementation_months: must be between 12 and 36 months",
        ),
        ("twinning_light", {"budget_eur": 250_001}, "budget_eur: must be at most EUR 250,000"),
    ],
    ids=["twinning-budget-too-small", "twinning-too-long", "light-budget-too-large"],
)
def test_a_contract_whose_budget_or_duration_breaks_the_rules_cannot_be_signed(
    make, session, workflow, change, reason
):
    cast = Cast(make, workflow)
    cast.to("contracting")
    _changed_in_the_database(session, Project, cast.project.id, **change)
    before = snapshot(session, cast.project.id)

    with pytest.raises(GuardFailed) as refused:
        make.fire(cast.coordinator, cast.project, "sign_contract")

    assert refused.value.guard == "implementation_period_within_rules"
    assert refused.value.message == reason
    assert snapshot(session, cast.project.id) == before


def test_a_budget_changed_while_the_signature_awaits_the_lead_member_state_is_refused_then(
    make, session, engine
):
    cast = Cast(make)
    cast.to("contracting")
    request = make.fire(cast.coordinator, cast.project, "sign_contract").approval
    _changed_in_the_database(session, Project, cast.project.id, budget_eur=200_000)
    before = snapshot(session, cast.project.id)

    with pytest.raises(GuardFailed) as refused:
        engine.decide(session, cast.france, request.id, "approve")

    assert refused.value.guard == "implementation_period_within_rules"
    assert refused.value.message == "budget_eur: must be above EUR 250,000"
    assert snapshot(session, cast.project.id) == before
    assert (cast.project.state, cast.project.contract_signed_at) == ("contracting", None)


def test_figures_within_the_rules_sign_as_before(make, session):
    cast = Cast(make)
    cast.to("contracting")
    _changed_in_the_database(session, Project, cast.project.id, budget_eur=250_001)
    request = make.fire(cast.coordinator, cast.project, "sign_contract").approval
    make.engine.decide(session, cast.france, request.id, "approve")
    assert cast.project.state == "implementation"
