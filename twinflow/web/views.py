"""The dashboard: what waits for me, what I can do now, what is due, what happened."""

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from twinflow.extensions import db
from twinflow.projects.list_rows import list_address, project_link
from twinflow.projects.next_step import Situation, next_step
from twinflow.selection.operations import record_kind
from twinflow.services import get_engine
from twinflow.web import dashboard_rows, queries
from twinflow.web.project_page import detours

blueprint = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)


@blueprint.get("/")
@login_required
def dashboard():
    engine = get_engine()
    # The user object, not Flask-Login's proxy: asked a hundred times a page otherwise.
    session, user, now = db.session, current_user._get_current_object(), engine.clock.now()
    actions = []
    # Recording the selection meeting comes before the choice is asked for (no trigger).
    for project in queries.selections_to_record(session, user):
        written = record_kind(engine.definition_of(session, project)) == "written"
        step = next_step(
            Situation(
                project.state, "", user.role, now,
                may_record=True, eligibility_recorded=True, written=written,
            )
        )  # fmt: skip
        actions.append((project, [], step))
    recorded = {p.id for p, *_ in actions}
    candidates = [
        p for p in queries.action_candidates(session, engine.registry, user) if p.id not in recorded
    ]
    # The candidates' pending sign-offs in one query, not one per project; the reads their
    # guards share made once for all of them. Cancelling, suspending, re-circulating: always
    # possible, never the next step, so not even checked.
    pending = queries.pending_signoffs_of(session, [p.id for p in candidates])
    options = engine.options_of(session, user, candidates, pending, skip=detours)
    for project in candidates:
        usable = [o for o in options[project.id] if o.available]
        if usable:
            first = usable[0].spec
            step = next_step(
                Situation(project.state, "", user.role, now, actions=[(first.trigger, first.label)])
            )
            actions.append((project, usable, step))
    # Steps that are not triggers: marking a proposal during selection.
    for project, received in queries.proposals_to_mark(session, user):
        if not any(p.id == project.id for p, *_ in actions):
            step = next_step(
                Situation(project.state, "", user.role, now, proposals=received, may_mark=True)
            )
            actions.append((project, [], step))
    list_url = list_address("web_projects.index")  # the state chips' links: one url_for
    return render_template(
        "web/dashboard.html",
        approvals=queries.approvals_waiting_for(session, user)[:10],
        actions=actions,
        deadlines=queries.upcoming_deadlines(session, user, now),
        activity=queries.recent_activity(session, user),
        calls=queries.open_calls(session, user, now) if user.role == "member_state" else [],
        strip=dashboard_rows.state_strip(
            _state_order(), queries.count_by_state(session, user, []), list_url
        ),
        project_url=project_link(),  # one url_for a page, not one a row
        # The repeated rows, written in Python (web/dashboard_rows.py).
        action_rows=dashboard_rows.action_rows,
        deadline_rows=dashboard_rows.deadline_rows,
        activity_rows=dashboard_rows.activity_rows,
        call_rows=dashboard_rows.call_rows,
    )


def _state_order() -> list[str]:
    registry = current_app.extensions["twinflow.registry"]
    order: list[str] = []
    for name in registry.names():
        for state in registry.current(name).states:
            if state not in order:
                order.append(state)
    return order
