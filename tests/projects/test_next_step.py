"""The "what next" rule, state by state and role by role: one sentence saying what this user
can do now (with where to do it) or whom the project waits for."""

from datetime import UTC, datetime

import pytest

from twinflow.projects.next_step import Situation, next_step

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)


def situation(state, role, **kwargs):
    return Situation(
        state=state, state_label=state.replace("_", " ").capitalize(), role=role, now=NOW, **kwargs
    )


@pytest.mark.parametrize(
    "case, expected, target, yours",
    [
        (
            situation(
                "fiche_drafting",
                "beneficiary",
                actions=[("submit_fiche", "Submit the fiche for review")],
            ),
            "Submit the fiche for review.",
            "fiche",
            True,
        ),
        (
            situation("fiche_drafting", "coordinator"),
            "Waiting for the beneficiary administration to write and submit the Twinning Fiche.",
            None,
            False,
        ),
        (
            situation(
                "fiche_review", "coordinator", actions=[("approve_fiche", "Approve the fiche")]
            ),
            "Approve the fiche.",
            "actions",
            True,
        ),
        (
            situation("fiche_review", "beneficiary"),
            "Waiting for a coordinator to review the fiche.",
            None,
            False,
        ),
        (
            situation("call_open", "member_state", may_propose=True, proposal_deadline=DEADLINE),
            "Send your proposal before 20 Dec 2026 12:00 UTC.",
            "proposal_form",
            True,
        ),
        (
            situation("call_open", "member_state", has_proposed=True, proposal_deadline=DEADLINE),
            "Your proposal is in; the call closes on 20 Dec 2026 12:00 UTC.",
            "proposal_form",
            False,
        ),
        (
            situation("call_open", "beneficiary", proposal_deadline=DEADLINE),
            "Waiting for the Member States' proposals until 20 Dec 2026 12:00 UTC.",
            None,
            False,
        ),
        # Marking a proposal is no trigger, yet it is the coordinator's next step.
        (
            situation("selection", "coordinator", proposals=2, may_mark=True),
            "Mark the proposal you choose (2 received); then ask for the partner "
            "selection's approval.",
            "proposals",
            True,
        ),
        # Recording the meeting (with its minutes) is no trigger either, and comes first
        # once every proposal's eligibility is recorded.
        (
            situation(
                "selection",
                "coordinator",
                proposals=2,
                may_mark=True,
                may_record=True,
                eligibility_recorded=True,
                actions=[("select_partner", "Select the Member State partner")],
            ),
            "Record the selection meeting and upload its minutes: the eligibility of every "
            "proposal is recorded.",
            "selection",
            True,
        ),
        (
            situation(
                "selection", "coordinator", may_record=True, eligibility_recorded=True, written=True
            ),
            "Record the written evaluation and upload its minutes: the eligibility of every "
            "proposal is recorded.",
            "selection",
            True,
        ),
        # Eligibility not all recorded yet, or the meeting recorded: marking is the step.
        (
            situation("selection", "coordinator", proposals=2, may_mark=True, may_record=True),
            "Mark the proposal you choose (2 received); then ask for the partner "
            "selection's approval.",
            "proposals",
            True,
        ),
        (
            situation(
                "selection",
                "coordinator",
                proposals=2,
                may_mark=True,
                may_record=True,
                eligibility_recorded=True,
                meeting_recorded=True,
            ),
            "Mark the proposal you choose (2 received); then ask for the partner "
            "selection's approval.",
            "proposals",
            True,
        ),
        (
            situation("selection", "member_state"),
            "Waiting for a coordinator and the beneficiary to choose the partner.",
            None,
            False,
        ),
        (
            situation(
                "selection",
                "coordinator",
                proposals=2,
                marked=True,
                pending=[("Select the partner", ["coordinator"], True)],
            ),
            "Approve or reject: Select the partner.",
            "approvals",
            True,
        ),
        (
            situation(
                "selection",
                "beneficiary",
                proposals=2,
                marked=True,
                pending=[("Select the partner", ["coordinator"], False)],
            ),
            "Waiting for a coordinator to decide: Select the partner.",
            "approvals",
            False,
        ),
        (
            situation(
                "contracting",
                "member_state",
                pending=[("Sign the contract", ["coordinator", "lead_member_state"], False)],
            ),
            "Waiting for a coordinator and the lead Member State to decide: Sign the contract.",
            "approvals",
            False,
        ),
        # Co-signing a report is a record's step, not the project's.
        (
            situation("implementation", "member_state", reports_to_sign=["interim report 2"]),
            "Co-sign the interim report 2.",
            "reports",
            True,
        ),
        (
            situation("implementation", "coordinator"),
            "Waiting for the beneficiary administration and the lead Member State to carry out "
            "the project.",
            None,
            False,
        ),
        (
            situation("closed", "beneficiary", final=True),
            "Nothing more to do: the project is closed.",
            None,
            False,
        ),
    ],
)
def test_each_state_and_role_gets_one_sentence_and_a_place_to_act(case, expected, target, yours):
    step = next_step(case)
    assert (step.sentence, step.target, step.yours) == (expected, target, yours)


def test_an_approval_owed_by_the_user_comes_before_anything_else_they_could_do():
    step = next_step(
        situation(
            "selection",
            "coordinator",
            proposals=1,
            may_mark=True,
            actions=[("cancel", "Cancel the project")],
            pending=[("Select the partner", ["coordinator"], True)],
        )
    )
    assert step.sentence == "Approve or reject: Select the partner."


def test_the_sentence_reads_in_french_with_a_french_date_when_the_request_speaks_french():
    from twinflow.i18n import speaking

    propose = situation("call_open", "member_state", may_propose=True, proposal_deadline=DEADLINE)
    waiting = situation(
        "selection", "beneficiary", pending=[("Select the partner", ["coordinator"], False)]
    )
    with speaking("fr"):
        assert next_step(propose).sentence == (
            "Envoyez votre proposition avant le 20 déc. 2026 12:00 UTC."
        )
        assert next_step(waiting).sentence == (
            "En attente d’une décision (un coordinateur) : Select the partner."
        )
    assert next_step(propose).sentence == "Send your proposal before 20 Dec 2026 12:00 UTC."
