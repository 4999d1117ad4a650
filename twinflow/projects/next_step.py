"""What next, in one sentence: what this user can do now on a project, or whom it waits for.

Plain Python (no Flask, no database): the adapters (project page, dashboard) describe the
situation, this module words it. Steps that are not triggers count too: marking a proposal
during selection, recording the selection meeting, co-signing a report. A target names where
the sentence links to; the page turns it into a URL ("actions", "approvals", "proposals",
"fiche", "proposal_form", "reports", "selection")."""

from dataclasses import dataclass, field
from datetime import datetime

# Who each party is, as a sentence names them.
PARTIES = {
    "beneficiary": "the beneficiary administration",
    "coordinator": "a coordinator",
    "member_state": "the Member States",
    "lead_member_state": "the lead Member State",
    "contracting_authority": "the contracting authority",
}
# Whom a stage waits for when nobody here can act, and on what.
WAITING = {
    "fiche_drafting": ("beneficiary", "to write and submit the Twinning Fiche"),
    "fiche_review": ("coordinator", "to review the fiche"),
    "call_open": ("member_state", "to send their proposals"),
    "selection": ("coordinator", "and the beneficiary to choose the partner"),
    "work_plan": ("beneficiary", "and the lead Member State to agree the work plan and contract"),
    "contracting": ("coordinator", "and the lead Member State to sign the contract"),
    "implementation": ("beneficiary", "and the lead Member State to carry out the project"),
    "final_reporting": ("beneficiary", "and the lead Member State to send the final report"),
}


@dataclass
class Situation:
    """What the adapter knows about the project as this user sees it."""

    state: str
    state_label: str
    role: str
    now: datetime
    # (trigger, label) of the actions this user may take now (available, not blocked)
    actions: list[tuple[str, str]] = field(default_factory=list)
    # (label, owed parties in words or codes, owed by this user?) of pending sign-offs
    pending: list[tuple[str, list[str], bool]] = field(default_factory=list)
    proposal_deadline: datetime | None = None
    proposals: int = 0  # proposals this user may see in the current round
    marked: bool = False  # a proposal is marked as the choice
    may_mark: bool = False  # this user may mark a proposal now
    may_propose: bool = False  # a Member State user who may still send a proposal
    has_proposed: bool = False
    reports_to_sign: list[str] = field(default_factory=list)  # titles awaiting this user's side
    # The selection record (selection/): may this user record it, is every proposal's
    # eligibility recorded, is the meeting (or written evaluation) recorded with its minutes.
    may_record: bool = False
    eligibility_recorded: bool = False
    meeting_recorded: bool = False
    written: bool = False  # Twinning Light: a written evaluation, no meeting
    final: bool = False  # closed or cancelled


@dataclass
class NextStep:
    sentence: str
    target: str | None  # where the sentence links to, None when nothing is to be done here
    yours: bool  # True when the user can act now, False when the project waits for others


def _party(code: str) -> str:
    return PARTIES.get(code, code.replace("_", " "))


def _list(names: list[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def _date(when: datetime | None) -> str:
    return f"{when:%d %b %Y %H:%M} UTC" if when else ""


def next_step(s: Situation) -> NextStep:
    if s.final:
        return NextStep(f"Nothing more to do: the project is {s.state_label.lower()}.", None, False)
    mine = [label for label, _, owed_by_me in s.pending if owed_by_me]
    if mine:
        return NextStep(f"Approve or reject: {mine[0]}.", "approvals", True)
    if s.reports_to_sign:
        return NextStep(f"Co-sign the {s.reports_to_sign[0]}.", "reports", True)
    if s.may_propose and not s.has_proposed:
        return NextStep(
            f"Send your proposal before {_date(s.proposal_deadline)}.", "proposal_form", True
        )
    if (
        s.state == "selection"
        and s.may_record
        and s.eligibility_recorded
        and not s.meeting_recorded
        and not s.pending  # the record is frozen while a sign-off is pending
    ):
        held = "written evaluation" if s.written else "selection meeting"
        return NextStep(
            f"Record the {held} and upload its minutes: the eligibility of every proposal "
            "is recorded.",
            "selection",
            True,
        )
    if s.state == "selection" and s.may_mark and not s.marked and s.proposals:
        return NextStep(
            f"Mark the proposal you choose ({s.proposals} received); then ask for the "
            "partner selection's approval.",
            "proposals",
            True,
        )
    if s.actions:
        trigger, label = s.actions[0]
        target = "fiche" if trigger == "submit_fiche" else "actions"
        return NextStep(f"{label}.", target, True)
    waiting = [(label, owed) for label, owed, owed_by_me in s.pending if not owed_by_me]
    if waiting:
        label, owed = waiting[0]
        return NextStep(
            f"Waiting for {_list([_party(p) for p in owed])} to decide: {label}.",
            "approvals",
            False,
        )
    if s.state == "call_open" and s.has_proposed:
        return NextStep(
            f"Your proposal is in; the call closes on {_date(s.proposal_deadline)}.",
            "proposal_form",
            False,
        )
    if s.state == "call_open" and s.proposal_deadline and s.now < s.proposal_deadline:
        return NextStep(
            f"Waiting for the Member States' proposals until {_date(s.proposal_deadline)}.",
            None,
            False,
        )
    if s.state in WAITING:
        who, what = WAITING[s.state]
        return NextStep(f"Waiting for {_party(who)} {what}.", None, False)
    return NextStep(f"Nothing waits for you at the stage “{s.state_label}”.", None, False)
