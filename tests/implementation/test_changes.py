import pytest
from sqlalchemy import select

from tests.implementation.conftest import deadlines
from twinflow.audit.models import AuditEvent
from twinflow.changes import operations as changes
from twinflow.i18n import speaking
from twinflow.workflow.durations import add_months
from twinflow.workflow.errors import Conflict, InvalidData, NotPermitted


def _addendum(cast, session, engine, months=3, author=None):
    return changes.create_change(
        session, engine, author or cast.beneficiary, cast.project.id, "addendum",
        {"title": "Extension", "justification": "Delays", "changes": {"extend_months": months}},
    )  # fmt: skip


def test_who_may_sign_an_addendum_and_a_signature_already_given_are_said_in_french(
    cast, session, engine, clock, make
):
    clock.advance(days=200)
    addendum = _addendum(cast, session, engine)
    changes.act_on_change(session, engine, cast.beneficiary, addendum.id, "submit")
    with speaking("fr"), pytest.raises(NotPermitted) as refused:
        changes.act_on_change(session, engine, cast.beneficiary, addendum.id, "approve")
    assert str(refused.value) == (
        "Seuls peuvent signer l’avenant : le coordinateur et l’État membre chef de file."
    )
    changes.act_on_change(session, engine, cast.france, addendum.id, "approve")
    colleague = make.user("member_state", country="FR")
    with pytest.raises(Conflict, match="signature of the lead Member State on .* already given"):
        changes.act_on_change(session, engine, colleague, addendum.id, "approve")


def test_an_addendum_applies_only_once_the_coordinator_and_the_lead_member_state_sign(
    cast, session, engine, clock
):
    project = cast.project
    end = project.implementation_end
    clock.advance(days=200)
    addendum = _addendum(cast, session, engine)
    changes.act_on_change(session, engine, cast.beneficiary, addendum.id, "submit")
    with pytest.raises(NotPermitted, match="Only the coordinator and the lead Member State may"):
        changes.act_on_change(session, engine, cast.beneficiary, addendum.id, "approve")

    signed = changes.act_on_change(session, engine, cast.france, addendum.id, "approve")
    assert not signed.applied and signed.owed == ["coordinator"]
    session.refresh(project)
    assert project.implementation_end == end

    assert changes.act_on_change(session, engine, cast.coordinator, addendum.id, "approve").applied
    session.refresh(project)
    assert project.implementation_end == add_months(end, 3)
    assert addendum.applied["implementation_months"] == {"from": 24, "to": 27}
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "project_figures_changed"))
    assert '"implementation_months":{"from":24,"to":27}' in event.data


def test_deadlines_follow_an_extension(cast, session, engine, clock):
    project = cast.project
    before = {(d.key, d.due_at) for d in deadlines(session, project.id) if d.status == "open"}
    addendum = _addendum(cast, session, engine)
    changes.act_on_change(session, engine, cast.beneficiary, addendum.id, "submit")
    changes.act_on_change(session, engine, cast.france, addendum.id, "approve")
    changes.act_on_change(session, engine, cast.coordinator, addendum.id, "approve")

    rows = deadlines(session, project.id)
    after = {(d.key, d.due_at) for d in rows if d.status == "open"}
    start, new_end = project.implementation_start, project.implementation_end
    assert after - before == {
        ("interim_report#9", add_months(start, 28)),
        ("steering_committee#9", add_months(start, 27)),
        ("implementation_ends", new_end),
    }
    assert before - after == {("implementation_ends", add_months(start, 24))}
    (old_end,) = [d for d in rows if d.key == "implementation_ends" and d.status == "superseded"]
    assert old_end.due_at == add_months(start, 24)


def test_an_extension_beyond_the_maximum_duration_is_refused(cast, session, engine):
    with pytest.raises(InvalidData) as refused:
        _addendum(cast, session, engine, months=13)
    assert refused.value.errors == {
        "changes.extend_months": [
            "would make the implementation 37 months; Twinning allows at most 36 (now 24)"
        ]
    }


def test_an_addendum_no_longer_fitting_when_signed_is_refused(cast, session, engine):
    first, second = _addendum(cast, session, engine, 10), _addendum(cast, session, engine, 10)
    for addendum in (first, second):
        changes.act_on_change(session, engine, cast.beneficiary, addendum.id, "submit")
        changes.act_on_change(session, engine, cast.france, addendum.id, "approve")
    changes.act_on_change(session, engine, cast.coordinator, first.id, "approve")
    with pytest.raises(Conflict, match="Addendum 2 can no longer be applied"):
        changes.act_on_change(session, engine, cast.coordinator, second.id, "approve")
    session.refresh(cast.project)
    assert cast.project.implementation_months == 34


def test_a_side_letter_cannot_change_the_duration(cast, session, engine):
    with pytest.raises(InvalidData) as refused:
        changes.create_change(
            session, engine, cast.beneficiary, cast.project.id, "side_letter",
            {"title": "Longer", "justification": "x", "changes": {"extend_months": 1}},
        )  # fmt: skip
    assert refused.value.errors == {
        "changes.extend_months": [
            "a side letter cannot change this (it may change: reallocation_eur, ms_project_leader, "
            "bc_project_leader); use an addendum"
        ]
    }


def test_a_side_letter_reallocation_is_limited_to_a_share_of_the_budget(cast, session, engine):
    with pytest.raises(InvalidData) as refused:
        changes.create_change(
            session, engine, cast.beneficiary, cast.project.id, "side_letter",
            {"title": "Move", "justification": "x", "changes": {"reallocation_eur": 300_000}},
        )  # fmt: skip
    assert "exceeds 15% of the budget" in refused.value.errors["changes.reallocation_eur"][0]


def test_a_side_letter_is_agreed_by_both_leaders_and_approved_by_the_coordinator(
    cast, session, engine
):
    letter = changes.create_change(
        session, engine, cast.france, cast.project.id, "side_letter",
        {"title": "Move", "justification": "x", "changes": {"reallocation_eur": 100_000}},
    )  # fmt: skip
    with pytest.raises(Conflict, match="is draft"):
        changes.act_on_change(session, engine, cast.coordinator, letter.id, "approve")
    changes.act_on_change(session, engine, cast.france, letter.id, "submit")
    assert letter.state == "draft"
    changes.act_on_change(session, engine, cast.beneficiary, letter.id, "submit")
    assert letter.state == "submitted"
    changes.act_on_change(session, engine, cast.coordinator, letter.id, "reject", "Not justified")
    assert letter.state == "rejected" and letter.applied is None


def test_a_coordinator_does_not_draft_a_side_letter(cast, session, engine):
    with pytest.raises(NotPermitted, match="drafted by the beneficiary or the lead Member State"):
        changes.create_change(
            session, engine, cast.coordinator, cast.project.id, "side_letter",
            {"title": "Move", "justification": "x", "changes": {}},
        )  # fmt: skip


def test_changes_are_refused_outside_implementation(make, session, engine):
    from tests.factories import Cast

    cast = Cast(make)
    cast.to("final_reporting")
    with pytest.raises(
        Conflict, match="only while the project is at the stage “Implementation” or “Suspended”"
    ):
        _addendum(cast, session, engine)
