"""A failure at any step inside a transition leaves everything exactly as before."""

import pytest

from tests.factories import Cast
from tests.workflow.helpers import snapshot
from twinflow.audit.operations import verify_chain
from twinflow.workflow.engine import STEPS


class Injected(RuntimeError):
    pass


def _fail_at(step):
    def hook(name):
        if name == step:
            raise Injected(step)

    return hook


def test_the_steps_failed_at_below_are_every_step_a_transition_passes(make, engine):
    cast = Cast(make)
    cast.to("fiche_review")
    passed = []
    engine.step_hook = passed.append
    make.fire(cast.coordinator, cast.project, "approve_fiche")
    engine.step_hook = None
    assert tuple(passed) == STEPS


@pytest.mark.parametrize("step", STEPS)
def test_a_failure_inside_a_plain_transition_changes_nothing(make, session, engine, step):
    cast = Cast(make)
    cast.to("fiche_review")
    before = snapshot(session, cast.project.id)
    engine.step_hook = _fail_at(step)
    with pytest.raises(Injected):
        make.fire(cast.coordinator, cast.project, "approve_fiche")
    engine.step_hook = None
    assert snapshot(session, cast.project.id) == before
    assert verify_chain(session).ok
    # The same transition succeeds afterwards: nothing was left half-done or locked.
    make.fire(cast.coordinator, cast.project, "approve_fiche")
    assert cast.project.state == "call_open"


@pytest.mark.parametrize("step", STEPS)
def test_a_failure_while_the_last_approval_applies_changes_nothing(make, session, engine, step):
    cast = Cast(make)
    cast.to("selection")
    make.select(cast.coordinator, cast.project, cast.proposal)
    request = make.fire(cast.beneficiary, cast.project, "select_partner").approval
    before = snapshot(session, cast.project.id)
    engine.step_hook = _fail_at(step)
    with pytest.raises(Injected):
        engine.decide(session, cast.coordinator, request.id, "approve")
    engine.step_hook = None
    assert snapshot(session, cast.project.id) == before
    assert "pending" in dict(before["requests"]).values()
    engine.decide(session, cast.coordinator, request.id, "approve")
    assert cast.project.state == "work_plan"
    assert verify_chain(session).ok


@pytest.mark.parametrize("step", ["after_lock", "before_commit"])
def test_a_failure_while_requesting_an_approval_leaves_no_request(make, session, engine, step):
    cast = Cast(make)
    cast.to("contracting")
    before = snapshot(session, cast.project.id)
    engine.step_hook = _fail_at(step)
    with pytest.raises(Injected):
        make.fire(cast.coordinator, cast.project, "sign_contract")
    engine.step_hook = None
    assert snapshot(session, cast.project.id) == before
