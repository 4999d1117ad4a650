"""The Manual's rules for Twinning and Twinning Light, each as a guard or a validation."""

from datetime import timedelta

import pytest

from tests.factories import Cast
from twinflow.workflow.errors import Conflict, GuardFailed, InvalidData


def test_a_twinning_needs_a_budget_above_250000_euros(make):
    beneficiary = make.user("beneficiary")
    with pytest.raises(InvalidData) as refused:
        make.project(beneficiary, budget_eur=250_000)
    assert "budget_eur" in refused.value.errors


def test_a_twinning_light_has_at_most_250000_euros(make):
    beneficiary = make.user("beneficiary")
    with pytest.raises(InvalidData) as refused:
        make.project(beneficiary, workflow="twinning_light", budget_eur=250_001)
    assert "budget_eur" in refused.value.errors


@pytest.mark.parametrize("months", [11, 37])
def test_a_twinning_implements_in_12_to_36_months(make, months):
    beneficiary = make.user("beneficiary")
    with pytest.raises(InvalidData) as refused:
        make.project(beneficiary, implementation_months=months)
    assert "implementation_months" in refused.value.errors


def test_a_twinning_light_implements_in_at_most_10_months(make):
    beneficiary = make.user("beneficiary")
    make.project(beneficiary, workflow="twinning_light", implementation_months=10)
    with pytest.raises(InvalidData):
        make.project(beneficiary, workflow="twinning_light", implementation_months=11)


def test_all_project_field_errors_are_reported_together(make):
    beneficiary = make.user("beneficiary")
    with pytest.raises(InvalidData) as refused:
        make.project(
            beneficiary,
            budget_eur=10,
            implementation_months=2,
            sector="XX",
            instrument="ABC",
            workflow="twinning",
        )
    assert set(refused.value.errors) == {
        "budget_eur",
        "implementation_months",
        "sector",
        "instrument",
    }


def test_a_twinning_light_proposal_names_one_member_state_only(make):
    cast = Cast(make, "twinning_light")
    cast.to("call_open")
    with pytest.raises(InvalidData) as refused:
        make.proposal(cast.france, cast.project, junior_member_states=["DE"])
    assert "junior_member_states" in refused.value.errors


def test_a_twinning_light_proposal_has_no_resident_twinning_adviser(make):
    cast = Cast(make, "twinning_light")
    cast.to("call_open")
    with pytest.raises(InvalidData) as refused:
        make.proposal(cast.france, cast.project, rta_name="Paul Durand")
    assert "rta_name" in refused.value.errors


def test_a_twinning_proposal_must_name_a_resident_twinning_adviser(make):
    cast = Cast(make)
    cast.to("call_open")
    with pytest.raises(InvalidData) as refused:
        make.proposal(cast.france, cast.project, rta_name="")
    assert "rta_name" in refused.value.errors


def test_a_twinning_consortium_may_name_junior_member_states(make):
    cast = Cast(make)
    cast.to("call_open")
    proposal = make.proposal(cast.france, cast.project, junior_member_states=["DE", "AT"])
    assert proposal.junior_member_states == ["DE", "AT"]


def test_one_proposal_per_member_state_per_call(make):
    cast = Cast(make)
    cast.to("call_open")
    make.proposal(cast.france, cast.project)
    colleague = make.user("member_state", country="FR", organisation="Another French body")
    with pytest.raises(Conflict):
        make.proposal(colleague, cast.project)


def test_proposals_are_accepted_only_before_the_deadline(make, clock):
    cast = Cast(make)
    cast.to("call_open")
    clock.set(cast.project.proposal_deadline)
    with pytest.raises(Conflict):
        make.proposal(cast.france, cast.project)


def test_the_call_cannot_close_before_its_deadline(make):
    cast = Cast(make)
    cast.to("call_open")
    make.proposal(cast.france, cast.project)
    with pytest.raises(GuardFailed) as refused:
        make.fire(cast.coordinator, cast.project, "close_call")
    assert refused.value.guard == "proposal_deadline_passed"


def test_a_call_without_proposals_is_recirculated_not_closed(make, session, clock):
    cast = Cast(make)
    cast.to("call_open")
    clock.set(cast.project.proposal_deadline + timedelta(hours=1))
    with pytest.raises(GuardFailed) as refused:
        make.fire(cast.coordinator, cast.project, "close_call")
    assert refused.value.guard == "has_proposals"
    new_deadline = clock.now() + timedelta(weeks=6)
    make.fire(
        cast.coordinator,
        cast.project,
        "recirculate",
        data={"proposal_deadline": new_deadline.isoformat()},
    )
    assert cast.project.state == "call_open"
    assert cast.project.recirculation_count == 1
    assert cast.project.proposal_deadline == new_deadline


def test_recirculation_is_refused_when_proposals_arrived(make, clock):
    cast = Cast(make)
    cast.to("call_open")
    make.proposal(cast.france, cast.project)
    clock.set(cast.project.proposal_deadline + timedelta(hours=1))
    with pytest.raises(GuardFailed) as refused:
        make.fire(cast.coordinator, cast.project, "recirculate")
    assert refused.value.guard == "has_no_proposals"


def test_the_proposal_deadline_defaults_to_eight_weeks_and_must_lie_in_the_future(make, clock):
    cast = Cast(make)
    cast.to("fiche_review")
    with pytest.raises(InvalidData) as refused:
        make.fire(
            cast.coordinator,
            cast.project,
            "approve_fiche",
            data={"proposal_deadline": (clock.now() - timedelta(days=1)).isoformat()},
        )
    assert refused.value.errors == {"data.proposal_deadline": ["must be in the future"]}
    with pytest.raises(InvalidData) as unknown:
        make.fire(cast.coordinator, cast.project, "approve_fiche", data={"deadline": "soon"})
    assert "data.deadline" in unknown.value.errors
    make.fire(cast.coordinator, cast.project, "approve_fiche")
    assert cast.project.proposal_deadline == clock.now() + timedelta(weeks=8)


def test_selection_needs_exactly_one_selected_proposal(make, session, engine):
    cast = Cast(make)
    cast.to("selection")
    with pytest.raises(GuardFailed):
        make.fire(cast.coordinator, cast.project, "select_partner")
    make.select(cast.coordinator, cast.project, cast.proposal)
    assert make.fire(cast.coordinator, cast.project, "select_partner").approval is not None
