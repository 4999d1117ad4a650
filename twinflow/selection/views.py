"""The selection record page of a project: the coordinator records each proposal's
eligibility, then the meeting (attendance, minutes upload, scores, reserve); the beneficiary
reads it; a Member State sees its own proposal's outcome once the partner is chosen."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from twinflow.documents import operations as documents
from twinflow.extensions import db
from twinflow.i18n import gettext as _
from twinflow.i18n import lazy_gettext
from twinflow.projects.views import visible_project
from twinflow.records.views import PROJECT, attempt
from twinflow.selection import operations as ops
from twinflow.selection.forms import EligibilityForm, MeetingForm
from twinflow.selection.permissions import can_record_selection
from twinflow.selection.summary import selection_summary
from twinflow.services import get_engine, get_storage, get_upload_limits
from twinflow.web.helpers import choices
from twinflow.web.labels import country_name

blueprint = Blueprint("web_selection", __name__, template_folder="templates")

OUTCOME_LABELS = {
    "selected": lazy_gettext("Selected"),
    "reserve": lazy_gettext("Reserve"),
    "not_selected": lazy_gettext("Not selected"),
}


def _meeting_form(summary, formdata=None) -> MeetingForm:
    eligible = [p for p in summary["proposals"] if p["eligible"]]
    record = summary["record"] or {}
    rows = [
        {
            "proposal_id": p["proposal_id"],
            "leader_present": bool(p["leader_present"]),
            "rta_present": bool(p["rta_present"]),
            "score": p["score"],
            "rank": p["rank"],
        }
        for p in eligible
    ]
    data = {
        "held_on": record.get("held_on") or summary["default_held_on"],
        "rows": rows,
        "reserve_proposal_id": str(record.get("reserve_proposal_id") or ""),
        "notes": record.get("notes") or "",
    }
    form = MeetingForm(formdata=formdata, data=data) if formdata is None else MeetingForm()
    form.reserve_proposal_id.choices = choices(
        [("", _("No reserve"))]
        + [(str(p["proposal_id"]), country_name(p["lead_member_state"])) for p in eligible]
    )
    return form


def _page(project, status=200, eligibility=None, meeting=None):
    engine = get_engine()
    summary = selection_summary(db.session, engine, current_user, project.id)
    forms = {
        p["proposal_id"]: EligibilityForm(
            formdata=None,
            prefix=f"p{p['proposal_id']}",
            data={
                "eligible": {True: "yes", False: "no"}.get(p["eligible"]),
                "reason": p["eligibility_reason"] or "",
            },
        )
        for p in summary["proposals"]
    }
    if eligibility is not None:
        forms[eligibility[0]] = eligibility[1]
    assessed = all(p["eligible"] is not None for p in summary["proposals"])
    body = render_template(
        "selection/selection.html",
        project=project,
        state_name=engine.definition_of(db.session, project).states[project.state].label,
        summary=summary,
        eligibility_forms=forms,
        meeting_form=meeting or _meeting_form(summary),
        assessed=assessed,
        outcome_labels=OUTCOME_LABELS,
        by_id={p["proposal_id"]: p for p in summary["proposals"]},
    )
    return body, status


@blueprint.get(f"{PROJECT}/selection")
@login_required
def selection_page(project_id: int):
    return _page(visible_project(project_id))


def _recorder(project_id: int):
    """The project, for a coordinator; asked before the form is read, so that nobody else
    learns from a form's errors more than a refusal."""
    project = visible_project(project_id)
    if not can_record_selection(get_engine().parties(db.session, current_user, project)):
        abort(403, _("Only a coordinator records the selection."))
    return project


@blueprint.post(f"{PROJECT}/selection/eligibility/<int:proposal_id>")
@login_required
def record_eligibility(project_id: int, proposal_id: int):
    project = _recorder(project_id)
    form = EligibilityForm(prefix=f"p{proposal_id}")
    if not form.validate_on_submit():
        return _page(project, 422, eligibility=(proposal_id, form))
    values = {"eligible": form.eligible.data == "yes", "reason": form.reason.data or None}
    outcome = attempt(
        lambda: ops.record_eligibility(
            db.session, get_engine(), current_user, project_id, proposal_id, values
        ),
        form,
        _("Eligibility recorded."),
    )
    if outcome is True:
        return redirect(url_for("web_selection.selection_page", project_id=project_id))
    return _page(project, outcome, eligibility=(proposal_id, form))


@blueprint.post(f"{PROJECT}/selection/meeting")
@login_required
def record_meeting(project_id: int):
    project = _recorder(project_id)
    summary = selection_summary(db.session, get_engine(), current_user, project.id)
    form = _meeting_form(summary, formdata=True)
    if not form.validate_on_submit():
        return _page(project, 422, meeting=form)
    outcome = attempt(
        lambda: _record(project_id, form, summary),
        form,
        _("Selection recorded."),
        {"minutes_document_id": "minutes"},
    )
    if outcome is True:
        return redirect(url_for("web_selection.selection_page", project_id=project_id))
    return _page(project, outcome, meeting=form)


def _record(project_id: int, form: MeetingForm, summary: dict) -> None:
    """Uploads the minutes (if a file came) and records the meeting in one transaction."""
    session, engine, storage = db.session, get_engine(), get_storage()
    minutes_id = (summary["record"] or {}).get("minutes_document_id")
    upload = form.minutes.data
    document = None
    try:
        if upload and getattr(upload, "filename", ""):
            document = documents.upload_document(
                session, engine, storage, current_user, project_id,
                stream=upload.stream, filename=upload.filename,
                content_type=upload.mimetype, category=ops.MINUTES,
                limits=get_upload_limits(), commit=False,
            )  # fmt: skip
            minutes_id = document.id
        values = {
            "held_on": form.held_on.data,
            "minutes_document_id": minutes_id,
            "reserve_proposal_id": int(form.reserve_proposal_id.data)
            if (form.reserve_proposal_id.data or "").isdigit()
            else None,
            "notes": form.notes.data or "",
        }
        rows = [_row(r) for r in form.rows]
        if summary["kind"] == "meeting":
            values["attendance"] = [
                {k: r[k] for k in ("proposal_id", "leader_present", "rta_present")} for r in rows
            ]
        scored = [r for r in rows if r["score"] is not None or r["rank"] is not None]
        values["scores"] = [{k: r[k] for k in ("proposal_id", "score", "rank")} for r in scored]
        ops.record_meeting(session, engine, current_user, project_id, values, commit=False)
        session.commit()
    except BaseException:
        session.rollback()
        if document is not None:
            storage.abandon(document.storage_key)
        raise


def _row(row) -> dict:
    raw = row.form.proposal_id.data or ""
    return {
        "proposal_id": int(raw) if raw.isdigit() else raw,
        "leader_present": bool(row.form.leader_present.data),
        "rta_present": bool(row.form.rta_present.data),
        "score": row.form.score.data,
        "rank": row.form.rank.data,
    }
