"""The approvals inbox: every pending request that waits for my decision, said in words: what
is asked (the Member State chosen, the dates proposed), who asked and when, who has approved,
who is still awaited."""

from contextlib import suppress
from dataclasses import dataclass
from dataclasses import field as default
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.core import Label

from twinflow.approvals.forms import DecisionForm
from twinflow.approvals.models import Signoff
from twinflow.approvals.permissions import can_view_approval
from twinflow.auth.models import User
from twinflow.auth.permissions import name_for
from twinflow.changes.models import CHANGE_KINDS, ChangeRequest
from twinflow.changes.preview import before_after, comments_so_far
from twinflow.changes.views import change_value
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.i18n import ngettext
from twinflow.projects.models import Project
from twinflow.projects.views import conflict_page
from twinflow.proposals.models import Proposal
from twinflow.proposals.permissions import selection_known_to
from twinflow.reports.models import Report
from twinflow.services import get_engine
from twinflow.web import queries
from twinflow.web.filters import fmt_datetime
from twinflow.web.helpers import roles_required, safe_next
from twinflow.web.labels import CHANGE_LABELS, PARTY_LABELS, country_name
from twinflow.web.page_timeline import last_seq
from twinflow.workflow.errors import Conflict, GuardFailed, InvalidData
from twinflow.workflow.hooks import person_refusal

blueprint = Blueprint("web_approvals", __name__, template_folder="templates")
DECIDERS = ("coordinator", "beneficiary", "member_state")


@blueprint.get("/approvals")
@roles_required(*DECIDERS)
def inbox():
    return _inbox()


@dataclass
class InboxItem:
    request: Signoff
    project: Project
    label: str  # the transition's label
    asked: str  # what is asked, e.g. "Select France (FR) as lead Member State"
    details: list[tuple[str, str]]  # the values proposed with it, labelled
    requester: str
    approved: list[tuple[str, str, datetime, str | None]]  # (party, who, when, comment)
    awaited_mine: list[str]  # the parties I decide as
    awaited_others: list[str]
    form: DecisionForm
    # A slot given to a named person the user is not: who can decide instead of the buttons.
    who_can: str | None = None
    # The object decided, shown on the card: the marked proposal (select_partner), or the
    # record co-signed (a report). None when there is none or the user may not read it.
    proposal: Proposal | None = None
    report: object | None = None
    # A side letter or an addendum: its figures now and with it, and the earlier comments.
    change: object | None = None
    change_rows: list = default(default_factory=list)
    comments: list = default(default_factory=list)


def party_name(party: str, project: Project, lead: str | None) -> str:
    """A party as people call it, in proper case: "Lead Member State (France)"."""
    label = PARTY_LABELS.get(party, party.replace("_", " ").capitalize())
    if party == "beneficiary" and project.beneficiary_institution:
        return f"{label} ({project.beneficiary_institution})"
    if party == "lead_member_state" and lead:
        return f"{label} ({country_name(lead)})"
    return label


def _country(code: str) -> str:
    return f"{country_name(code)} ({code.upper()})"


def _asked(req, label: str, proposal: Proposal | None, lead_known: bool) -> str:
    if req.trigger == "select_partner" and proposal is not None and lead_known:
        lead = _country(proposal.lead_member_state)
        juniors = [c for c in proposal.junior_member_states or [] if isinstance(c, str)]
        if not juniors:
            return _("Select %(lead)s as lead Member State", lead=lead)
        partners = _(" and ").join(_country(c) for c in juniors)
        return ngettext(
            "Select %(lead)s as lead Member State, with %(partners)s as junior partner",
            "Select %(lead)s as lead Member State, with %(partners)s as junior partners",
            len(juniors),
            lead=lead,
            partners=partners,
        )
    if req.trigger == "sign_contract" and proposal is not None and lead_known:
        return _(
            "Sign the contract with %(lead)s, lead Member State",
            lead=_country(proposal.lead_member_state),
        )
    return label


def _details(spec, data: dict) -> list[tuple[str, str]]:
    out = []
    for field in spec.data if spec else ():
        value = (data or {}).get(field.name)
        if value in (None, ""):
            continue
        if field.type == "datetime" and isinstance(value, str):
            with suppress(ValueError):
                value = fmt_datetime(datetime.fromisoformat(value.replace("Z", "+00:00")))
        out.append((field.label, str(value)))
    return out


def _unique_ids(req, form: DecisionForm) -> DecisionForm:
    """One form per card: the comment field's id must be unique on the page."""
    form.comment.id = f"comment-{req.id}"
    form.comment.label = Label(form.comment.id, form.comment.label.text)
    return form


def _decision_form(req, project) -> DecisionForm:
    return _unique_ids(req, DecisionForm(formdata=None, seen_seq=last_seq(db.session, project.id)))


def _inbox(failed_id: int | None = None, failed_form=None, status: int = 200):
    engine = get_engine()
    rows = queries.approvals_waiting_for(db.session, current_user)
    project_ids = {p.id for _, p, _ in rows}
    proposals = {
        p.project_id: p
        for p in db.session.scalars(
            select(Proposal)
            .join(Project, Project.id == Proposal.project_id)
            .where(
                Proposal.project_id.in_(project_ids),
                Proposal.is_selected.is_(True),
                Proposal.call_round == Project.recirculation_count + 1,
            )
        )
    }
    user_ids = {r.requested_by_id for r, _, _ in rows} | {
        d.user_id for r, _, _ in rows for d in r.decisions
    }
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}

    def who(user_id: int) -> str:
        if user_id == current_user.id:
            return _("you")
        return name_for(current_user, users.get(user_id))

    items = []
    for req, project, owed in rows:
        if req.is_project:
            spec = engine.definition_of(db.session, project).transition(req.trigger, project.state)
        else:  # a record's co-signature: its step as the record's workflow names it
            spec = engine.registry.record(req.subject_type).transition(req.trigger, req.from_state)
        label = spec.label if spec else req.trigger.replace("_", " ").capitalize()
        today = engine.clock.now().date()
        who_can = None
        if spec is not None:
            who_can = person_refusal(db.session, project, spec, current_user, owed, today)[1]
        proposal = proposals.get(project.id)  # the one marked: what select_partner asks
        lead_known = selection_known_to(current_user, project)
        shown_lead = project.lead_member_state if lead_known else None
        if req.id == failed_id:
            form = _unique_ids(req, failed_form)
        else:
            form = _decision_form(req, project)
        items.append(
            InboxItem(
                request=req,
                project=project,
                label=label,
                asked=_asked(req, label, proposal, lead_known),
                details=_details(spec, req.data),
                requester=who(req.requested_by_id),
                approved=[
                    (
                        party_name(d.party, project, shown_lead),
                        who(d.user_id),
                        d.decided_at,
                        # The requester's own comment is the request's, shown once.
                        None if d.user_id == req.requested_by_id else d.comment,
                    )
                    for d in req.decisions
                    if d.decision == "approve"
                ],
                awaited_mine=[party_name(p, project, shown_lead) for p in owed],
                awaited_others=[
                    party_name(p, project, shown_lead) for p in req.owed_parties if p not in owed
                ],
                form=form,
                who_can=who_can,
                proposal=proposal if lead_known and req.trigger == "select_partner" else None,
                report=db.session.get(Report, req.subject_id)
                if req.subject_type == "report"
                else None,
            )
        )
        if req.subject_type in CHANGE_KINDS:
            _with_change(items[-1], req, project)
    return render_template(
        "approvals/inbox.html", items=items, change_labels=CHANGE_LABELS, change_value=change_value
    ), status


def _with_change(item: InboxItem, req, project) -> None:
    change = db.session.get(ChangeRequest, req.subject_id)
    if change is None:
        return
    item.change = change
    item.change_rows = before_after(db.session, change, project)
    # This round's signatures and the request's comment are on the card already.
    comments = comments_so_far(db.session, current_user, project, [change], req.round)
    item.comments = comments[change.id]


@blueprint.post("/approvals/<int:approval_id>/decide")
@roles_required(*DECIDERS)
def decide(approval_id: int):
    form = DecisionForm()
    if not form.validate_on_submit():
        return _inbox(approval_id, form, 422)
    approval = db.session.get(Signoff, approval_id)
    project = db.session.get(Project, approval.project_id) if approval else None
    if approval is None or not can_view_approval(current_user, project, approval):
        abort(404, _("There is no approval request %(id)s.", id=approval_id))
    project_id = approval.project_id
    decision = request.form.get("decision", "")
    try:
        seen = int(form.seen_seq.data or 0)
    except ValueError:
        seen = 0
    try:
        result = get_engine().decide(
            db.session, current_user, approval_id, decision, form.comment.data
        )
    except Conflict as exc:
        return conflict_page(project_id, exc, seen)
    except InvalidData as exc:
        for key, reasons in exc.details.items():
            target = form.comment if key == "comment" else None
            if target is not None:
                target.errors = list(reasons)
            else:
                flash(f"{key}: {'; '.join(reasons)}", "error")
        flash(_("The decision was not recorded: see the form below."), "error")
        return _inbox(approval_id, form, 422)
    except GuardFailed as exc:
        flash(_("The approval cannot complete: %(reason)s", reason=exc.message), "error")
        return _inbox(status=422)
    if decision == "reject":
        flash(_("You rejected the request; the requester is told."), "success")
    elif result.applied:
        flash(_("Approved by everyone: the change is applied."), "success")
    else:
        flash(_("Your approval is recorded; other parties still have to decide."), "success")
    target = safe_next(request.args.get("next"), url_for("web_approvals.inbox"))
    return redirect(target)
