"""What next, in one sentence: what this user can do now on a project, or whom it waits for.

Plain Python (no Flask, no database): the adapters (project page, dashboard) describe the
situation, this module words it. Steps that are not triggers count too: marking a proposal
during selection, recording the selection meeting, co-signing a report. A target names where
the sentence links to; the page turns it into a URL ("actions", "approvals", "proposals",
"fiche", "proposal_form", "reports", "selection")."""

from dataclasses import dataclass, field
from datetime import datetime

from babel.dates import format_datetime

from twinflow.i18n import current_language, gettext, lazy_gettext, ngettext

# Who each party is, as a sentence names them.
PARTIES = {
    "beneficiary": lazy_gettext("the beneficiary administration"),
    "coordinator": lazy_gettext("a coordinator"),
    "member_state": lazy_gettext("the Member States"),
    "lead_member_state": lazy_gettext("the lead Member State"),
    "contracting_authority": lazy_gettext("the contracting authority"),
}
# Whom a stage waits for when nobody here can act, and on what: whole sentences, so that a
# translation may order its words as its language wants.
WAITING = {
    "fiche_drafting": lazy_gettext(
        "Waiting for the beneficiary administration to write and submit the Twinning Fiche."
    ),
    "fiche_review": lazy_gettext("Waiting for a coordinator to review the fiche."),
    "call_open": lazy_gettext("Waiting for the Member States to send their proposals."),
    "selection": lazy_gettext(
        "Waiting for a coordinator and the beneficiary to choose the partner."
    ),
    "work_plan": lazy_gettext(
        "Waiting for the beneficiary administration and the lead Member State to agree the "
        "work plan and contract."
    ),
    "contracting": lazy_gettext(
        "Waiting for a coordinator and the lead Member State to sign the contract."
    ),
    "implementation": lazy_gettext(
        "Waiting for the beneficiary administration and the lead Member State to carry out "
        "the project."
    ),
    "final_reporting": lazy_gettext(
        "Waiting for the beneficiary administration and the lead Member State to send the "
        "final report."
    ),
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
    return str(PARTIES[code]) if code in PARTIES else code.replace("_", " ")


def _list(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return gettext("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def _date(when: datetime | None) -> str:
    # In the language of the sentence ("01 Dec 2026 14:00 UTC", "01 déc. 2026 14:00 UTC").
    if not when:
        return ""
    return f"{format_datetime(when, 'dd MMM y HH:mm', locale=current_language())} UTC"


def next_step(s: Situation) -> NextStep:
    if s.final:
        return NextStep(
            gettext("Nothing more to do: the project is %(state)s.", state=s.state_label.lower()),
            None,
            False,
        )
    mine = [label for label, _, owed_by_me in s.pending if owed_by_me]
    if mine:
        return NextStep(gettext("Approve or reject: %(what)s.", what=mine[0]), "approvals", True)
    if s.reports_to_sign:
        return NextStep(
            gettext("Co-sign the %(report)s.", report=s.reports_to_sign[0]), "reports", True
        )
    if s.may_propose and not s.has_proposed:
        return NextStep(
            gettext("Send your proposal before %(deadline)s.", deadline=_date(s.proposal_deadline)),
            "proposal_form",
            True,
        )
    if (
        s.state == "selection"
        and s.may_record
        and s.eligibility_recorded
        and not s.meeting_recorded
        and not s.pending  # the record is frozen while a sign-off is pending
    ):
        if s.written:
            sentence = gettext(
                "Record the written evaluation and upload its minutes: the eligibility of "
                "every proposal is recorded."
            )
        else:
            sentence = gettext(
                "Record the selection meeting and upload its minutes: the eligibility of "
                "every proposal is recorded."
            )
        return NextStep(sentence, "selection", True)
    if s.state == "selection" and s.may_mark and not s.marked and s.proposals:
        return NextStep(
            ngettext(
                "Mark the proposal you choose (%(num)d received); then ask for the partner "
                "selection's approval.",
                "Mark the proposal you choose (%(num)d received); then ask for the partner "
                "selection's approval.",
                s.proposals,
            ),
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
            gettext(
                "Waiting for %(parties)s to decide: %(what)s.",
                parties=_list([_party(p) for p in owed]),
                what=label,
            ),
            "approvals",
            False,
        )
    if s.state == "call_open" and s.has_proposed:
        return NextStep(
            gettext(
                "Your proposal is in; the call closes on %(deadline)s.",
                deadline=_date(s.proposal_deadline),
            ),
            "proposal_form",
            False,
        )
    if s.state == "call_open" and s.proposal_deadline and s.now < s.proposal_deadline:
        return NextStep(
            gettext(
                "Waiting for the Member States' proposals until %(deadline)s.",
                deadline=_date(s.proposal_deadline),
            ),
            None,
            False,
        )
    if s.state in WAITING:
        return NextStep(str(WAITING[s.state]), None, False)
    return NextStep(
        gettext("Nothing waits for you at the stage “%(state)s”.", state=s.state_label),
        None,
        False,
    )
