"""The project list and the dashboards cost the same number of SQL statements with 2,000
projects as with 20: nothing on them issues one query per project."""

from datetime import timedelta

import pytest
from sqlalchemy import event, insert

from tests.factories import PASSWORD
from twinflow.deadlines.models import Deadline
from twinflow.extensions import db
from twinflow.projects.models import Project

STATES = [
    "fiche_drafting",
    "fiche_review",
    "call_open",
    "selection",
    "work_plan",
    "contracting",
    "implementation",
]


def _add_projects(session, registry, clock, start: int, stop: int, id_base: int = 0) -> None:
    registry.store_current(session)
    version = registry.current("twinning").version
    now = clock.now()
    rows = []
    for i in range(start, stop):
        state = STATES[i % len(STATES)]
        circulated = state not in ("fiche_drafting", "fiche_review")
        rows.append(
            dict(
                id=id_base + i + 1,
                reference=f"GE 27 ENI JH {i:04d} 27",
                reference_key=f"GE27ENIJH{i:04d}27",
                title=f"Project {i}",
                description="",
                workflow="twinning",
                workflow_version=version,
                state=state,
                version=1,
                beneficiary_country="GE",
                beneficiary_institution="Ministry of Justice of Georgia",
                sector="JH",
                instrument="ENI",
                programme_year=2027,
                budget_eur=1_000_000,
                implementation_months=24,
                circulated_at=now - timedelta(days=40) if circulated else None,
                proposal_deadline=now + timedelta(days=10) if circulated else None,
                recirculation_count=0,
                created_at=now,
                # The oldest projects come first everywhere: the same ones in both sizes.
                state_changed_at=now - timedelta(days=365) + timedelta(minutes=i),
            )
        )
    session.execute(insert(Project), rows)
    session.execute(
        insert(Deadline),
        [
            dict(
                project_id=r["id"],
                key="proposals_due" if r["state"] == "call_open" else "selection_decision",
                title="Something due",
                set_in_state=r["state"],
                met_on="exit",
                due_at=now + timedelta(days=(r["id"] % 60) - 30),
                status="open",
                reminder_offsets_days=[],
                notify_parties=[],
                created_at=now,
            )
            for r in rows
        ],
    )
    session.commit()


def _statements(app, client, path: str, headers: dict | None = None) -> int:
    with app.app_context():
        engine = db.engine
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    client.get(path, headers=headers)  # warm-up: lazily loaded definitions are not the point
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, path
    return len(seen)


@pytest.mark.slow
def test_lists_and_dashboards_issue_as_many_statements_for_2000_projects_as_for_20(
    app, make, session, registry, clock, as_user
):
    users = [
        make.user("coordinator"),
        make.user("beneficiary"),
        make.user("member_state", country="FR"),
        make.user("admin"),
    ]
    browsers = [as_user(u) for u in users]
    paths = [
        "/",
        "/projects",
        "/projects?per_page=50",
        "/projects?state=call_open&sort=budget",
        "/calls",
        "/approvals",
    ]

    def measure():
        out = {}
        for user, b in zip(users, browsers, strict=True):
            for path in paths:
                if b.get(path).status_code == 200:
                    out[(user.role, path)] = _statements(app, b.client, path)
        return out

    _add_projects(session, registry, clock, 0, 20)
    small = measure()
    _add_projects(session, registry, clock, 20, 2000)
    large = measure()
    assert small.keys() == large.keys() and len(small) >= 14
    grown = {k: (small[k], large[k]) for k in small if large[k] > small[k]}
    assert not grown, f"statements grew with the number of projects: {grown}"
    print("statements per page (20 -> 2000 projects):", {k: large[k] for k in sorted(large)})


@pytest.mark.slow
def test_a_project_page_and_its_api_answer_issue_as_many_statements_for_2000_projects_as_for_20(
    app, make, session, registry, clock, as_user
):
    coordinator = make.user("coordinator")
    beneficiary = make.user("beneficiary")
    project = make.project(beneficiary, title="The one being read")
    make.fire(beneficiary, project, "submit_fiche")
    browser = as_user(coordinator)
    token = browser.client.post(
        "/api/v1/auth/token", json={"email": coordinator.email, "password": PASSWORD}
    ).json["token"]
    reads = [
        (f"/projects/{project.id}", None),
        (f"/api/v1/projects/{project.id}", {"Authorization": f"Bearer {token}"}),
    ]

    def measure():
        return {path: _statements(app, browser.client, path, headers) for path, headers in reads}

    # Generated ids above the factory's project, so neither backend's sequence collides.
    _add_projects(session, registry, clock, 0, 20, id_base=project.id)
    small = measure()
    _add_projects(session, registry, clock, 20, 2000, id_base=project.id)
    large = measure()
    assert small == large, f"statements grew with the number of projects: {small} -> {large}"
    print("statements per read (20 -> 2000 projects):", large)
