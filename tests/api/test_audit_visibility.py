"""What each user may read of a project's audit trail: the API's paged list (a SQL clause) and
the web timeline (a Python rule) give every user the same events, and a Member State that is
not the lead partner learns nothing of a rival's proposal documents or of the implementation
records."""

import io
from datetime import timedelta

from sqlalchemy import select

from tests.web.conftest import Browser
from twinflow.audit.display import load_data
from twinflow.audit.models import AuditEvent
from twinflow.audit.permissions import event_visible
from twinflow.projects.models import Project
from twinflow.reports.operations import create_report, submit_report

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _upload(client, pid, category, name):
    body = {"category": category, "file": (io.BytesIO(PDF), name, "application/pdf")}
    response = client.post(
        f"/projects/{pid}/documents", data=body, content_type="multipart/form-data"
    )
    assert response.status_code == 201, response.json
    return response.json


def _api_trail(api, user, pid):
    response = api.as_(user).get(f"/projects/{pid}/audit?per_page=100")
    assert response.status_code == 200, response.json
    return response.json


def _python_trail(session, user, pid):
    session.expire_all()
    project = session.get(Project, pid)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.project_id == pid).order_by(AuditEvent.seq)
    )
    return [e.seq for e in events if event_visible(user, project, e, load_data(e))]


def _everyone(cast):
    return [cast.coordinator, cast.beneficiary, cast.france, cast.germany, cast.admin]


def _same_for_everyone(api, session, cast):
    for user in _everyone(cast):
        seen = [e["seq"] for e in _api_trail(api, user, cast.project.id)]
        assert seen == _python_trail(session, user, cast.project.id), user.email


def test_a_member_state_never_sees_a_rivals_proposal_documents_in_the_trail(
    api, cast, make, session
):
    cast.to("call_open")
    pid = cast.project.id
    make.proposal(cast.germany, cast.project)
    _upload(api.as_(cast.france), pid, "proposal", "offre.pdf")
    _upload(api.as_(cast.germany), pid, "proposal", "angebot.pdf")
    _upload(api.as_(cast.beneficiary), pid, "fiche", "fiche.pdf")

    germany = _api_trail(api, cast.germany, pid)
    files = [e["data"]["filename"] for e in germany if e["action"] == "document_uploaded"]
    assert files == ["angebot.pdf", "fiche.pdf"]
    france = _api_trail(api, cast.france, pid)
    files = [e["data"]["filename"] for e in france if e["action"] == "document_uploaded"]
    assert files == ["offre.pdf", "fiche.pdf"]
    _same_for_everyone(api, session, cast)


def test_only_the_projects_parties_read_the_implementation_records_in_the_trail(
    api, cast, make, session
):
    cast.to("implementation")  # France is the lead partner, Germany proposed nothing
    pid = cast.project.id
    report = create_report(
        make.session, make.engine, cast.beneficiary, pid, {"kind": "interim", "number": 1}
    )
    make.clock.set(make.clock.now() + timedelta(days=100))  # the quarter is over
    submit_report(make.session, make.engine, cast.beneficiary, report.id, "Delays in Q1.")

    def actions(user):
        return {e["action"] for e in _api_trail(api, user, pid)}

    assert {"report_created", "report_signed"} <= actions(cast.france)
    assert {"report_created", "report_signed"} <= actions(cast.coordinator)
    germany = actions(cast.germany)
    assert "transition" in germany
    assert not {a for a in germany if a.startswith(("report_", "proposal_"))}
    _same_for_everyone(api, session, cast)


def test_germany_sees_no_comment_of_the_report_on_the_project_page(app, cast, make):
    cast.to("implementation")
    report = create_report(
        make.session,
        make.engine,
        cast.beneficiary,
        cast.project.id,
        {"kind": "interim", "number": 1},
    )
    make.clock.set(make.clock.now() + timedelta(days=100))  # the quarter is over
    submit_report(make.session, make.engine, cast.beneficiary, report.id, "Delays in Q1.")
    page = f"/projects/{cast.project.id}"
    assert "Delays in Q1." not in Browser(app).sign_in(cast.germany).text(page)
    assert "Delays in Q1." in Browser(app).sign_in(cast.france).text(page)


def _choose_france(cast, make, comment=None):
    """Germany and France bid, France's bid is chosen and select_partner applies: the project
    is in work plan (not public yet), France the lead partner, Germany a rival."""
    cast.to("call_open")
    make.proposal(cast.germany, cast.project)
    cast.to("selection")  # France bids too; the call closes
    make.select(cast.coordinator, cast.project, cast.proposal)
    asked = make.fire(cast.beneficiary, cast.project, "select_partner", comment=comment)
    make.engine.decide(make.session, cast.coordinator, asked.approval.id, "approve")
    make.session.refresh(cast.project)
    assert cast.project.state == "work_plan" and cast.project.lead_member_state == "FR"


def _choosing(trail):
    return [e for e in trail if e["trigger"] == "select_partner"]


def _timeline_steps(app, user, pid) -> int:
    """How many state changes the project page's timeline shows this user."""
    return Browser(app).sign_in(user).text(f"/projects/{pid}").count('class="ev-transition"')


def test_a_rival_member_state_sees_that_the_partner_was_chosen_when_nothing_was_said(
    app, api, cast, make, session
):
    _choose_france(cast, make)
    pid = cast.project.id
    trail = _api_trail(api, cast.germany, pid)
    assert [(e["action"], e["to_state"]) for e in _choosing(trail)] == [("transition", "work_plan")]
    steps = [e for e in trail if e["action"] == "transition"]
    assert len(steps) == 4  # submitted, call opened, call closed, partner chosen
    assert _timeline_steps(app, cast.germany, pid) == len(steps)
    _same_for_everyone(api, session, cast)


def test_a_rival_member_state_reads_nothing_of_a_choice_made_with_a_comment(
    app, api, cast, make, session
):
    _choose_france(cast, make, comment="France's RTA has run three customs twinnings")
    assert _choosing(_api_trail(api, cast.germany, cast.project.id)) == []
    france = _choosing(_api_trail(api, cast.france, cast.project.id))
    assert "transition" in [e["action"] for e in france]
    said = [e["data"].get("comment") for e in france]
    assert "France's RTA has run three customs twinnings" in said
    pid = cast.project.id
    assert _timeline_steps(app, cast.germany, pid) == 3  # the choosing step is not shown
    assert _timeline_steps(app, cast.france, pid) == 4
    page = Browser(app).sign_in(cast.germany).text(f"/projects/{pid}")
    assert "three customs twinnings" not in page
    _same_for_everyone(api, session, cast)
