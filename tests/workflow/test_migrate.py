"""Moving running projects to a new version of their definition: planned, applied, refused."""

import json
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.factories import Cast
from tests.workflow.editions import EXECUTION, RENAMED, SHORTLIST, edition, retired_edition
from twinflow.approvals.models import Signoff
from twinflow.audit.models import AuditEvent
from twinflow.audit.operations import verify_chain
from twinflow.auth.models import User
from twinflow.deadlines.models import Deadline
from twinflow.projects.models import Project
from twinflow.workflow.engine import Engine
from twinflow.workflow.errors import InvalidData, NotFound, NotPermitted
from twinflow.workflow.migrate import migrate_projects
from twinflow.workflow.registry import WorkflowRegistry


def snapshot(session, project_id: int) -> dict:
    """Everything a migration may change of one project."""
    session.expire_all()
    project = session.get(Project, project_id)
    of_it = lambda model: model.project_id == project_id  # noqa: E731
    return {
        "row": (project.workflow_version, project.state, project.version),
        "deadlines": session.execute(
            select(Deadline.id, Deadline.status, Deadline.set_in_state, Deadline.next_alert_at)
            .where(of_it(Deadline))
            .order_by(Deadline.id)
        ).all(),
        "signoffs": session.execute(select(Signoff.id, Signoff.status).where(of_it(Signoff))).all(),
        "events": session.scalars(select(AuditEvent.seq).where(of_it(AuditEvent))).all(),
    }


def deadlines_of(session, project) -> dict[str, str]:
    session.expire_all()
    return {
        d.key: d.status
        for d in session.scalars(select(Deadline).where(Deadline.project_id == project.id))
    }


def migrated_events(session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "workflow_migrated")))


@pytest.fixture
def choosing(make):
    """A project in selection whose partner choice waits for the coordinator's agreement."""
    cast = Cast(make)
    cast.to("selection")
    make.select(cast.coordinator, cast.project, cast.proposal)
    cast.approval = make.fire(cast.beneficiary, cast.project, "select_partner").approval
    return cast


def test_a_dry_run_reports_every_change_and_changes_nothing(make, session, engine, choosing):
    drafting = make.project(choosing.beneficiary)
    version = edition(session, SHORTLIST)
    before = [snapshot(session, p.id) for p in (choosing.project, drafting)]

    report = migrate_projects(
        session, engine, choosing.admin, "twinning", version, dry_run=True
    ).as_dict()

    assert [snapshot(session, p.id) for p in (choosing.project, drafting)] == before
    assert session.get(Project, drafting.id).workflow_version != version
    assert report["summary"] == {"selected": 2, "would_migrate": 2, "refused": 0}
    chosen, fresh = report["projects"]
    assert chosen["project_id"] == choosing.project.id
    assert chosen["outcome"] == "would_migrate"
    assert (chosen["from_version"], chosen["to_version"]) == (
        choosing.project.workflow_version,
        version,
    )
    assert chosen["state"] == {"from": "selection", "to": "selection", "mapped_by": "same_name"}
    # The edition keeps the meeting's anchor: a week after the proposal deadline.
    due = choosing.project.proposal_deadline + timedelta(weeks=1)
    assert [(d["key"], d["due_at"], d["id"]) for d in chosen["deadlines"]["added"]] == [
        ("shortlist_published", due, None)
    ]
    assert [d["key"] for d in chosen["deadlines"]["dropped"]] == ["selection_meeting"]
    assert [d["key"] for d in chosen["deadlines"]["kept"]] == ["selection_decision"]
    (withdrawn,) = chosen["signoffs"]["withdrawn"]
    assert withdrawn["id"] == choosing.approval.id
    assert withdrawn["trigger"] == "select_partner"
    assert "member_state" in withdrawn["reason"]
    assert fresh["state"]["to"] == "fiche_drafting"
    assert fresh["deadlines"] == {"added": [], "dropped": [], "kept": []}


def test_applying_moves_each_project_with_its_deadlines_sign_offs_and_an_audit_event(
    make, session, engine, choosing
):
    drafting = make.project(choosing.beneficiary)
    old_version, project_version = choosing.project.workflow_version, choosing.project.version
    version = edition(session, SHORTLIST)

    report = migrate_projects(session, engine, choosing.admin, "twinning", version, dry_run=False)

    assert report.as_dict()["summary"] == {"selected": 2, "migrated": 2, "refused": 0}
    session.expire_all()
    project = session.get(Project, choosing.project.id)
    assert (project.workflow_version, project.state) == (version, "selection")
    assert project.version == project_version + 1  # its ETag changed
    assert deadlines_of(session, project) == {
        "proposals_due": "met",
        "selection_meeting": "superseded",  # kept in the history, silent from now on
        "selection_decision": "open",
        "shortlist_published": "open",
    }
    assert session.get(Signoff, choosing.approval.id).status == "withdrawn"
    assert session.get(Project, drafting.id).workflow_version == version
    event = next(e for e in migrated_events(session) if e.project_id == project.id)
    assert event.actor_id == choosing.admin.id
    assert (event.from_state, event.to_state) == ("selection", "selection")
    data = json.loads(event.data)
    assert (data["from_version"], data["to_version"]) == (old_version, version)
    assert data["state_map"] == {"from": "selection", "to": "selection", "by": "same_name"}
    assert data["signoffs_withdrawn"] == [choosing.approval.id]
    assert verify_chain(session).ok

    # The project goes on under the new edition, read back from the database by a process
    # that has only the current files: the partner choice now needs three parties.
    later = Engine(WorkflowRegistry(), engine.clock)
    asked = later.fire(session, choosing.beneficiary, project.id, "select_partner")
    assert not asked.applied
    assert asked.approval.owed_parties == ["coordinator", "member_state"]


def test_a_pending_sign_off_that_still_fits_stays_pending(make, session, engine):
    cast = Cast(make)
    cast.to("contracting")
    approval = make.fire(cast.coordinator, cast.project, "sign_contract").approval
    version = edition(session, SHORTLIST)  # sign_contract is unchanged

    report = migrate_projects(session, engine, None, "twinning", version, dry_run=False)

    assert report.projects[0].signoffs_kept == [approval.id]
    assert report.projects[0].withdrawn == []
    session.expire_all()
    assert session.get(Signoff, approval.id).status == "pending"
    make.engine.decide(session, cast.france, approval.id, "approve")
    assert session.get(Project, cast.project.id).state == "implementation"


def test_a_state_the_new_version_lacks_is_refused_and_the_others_still_move(make, session, engine):
    cast = Cast(make)
    cast.to("work_plan")
    drafting = make.project(cast.beneficiary)
    version = edition(session, RENAMED)
    before = snapshot(session, cast.project.id)

    report = migrate_projects(session, engine, None, "twinning", version, dry_run=False)

    assert report.as_dict()["summary"] == {"selected": 2, "migrated": 1, "refused": 1}
    refused = next(p for p in report.projects if p.project_id == cast.project.id)
    assert refused.outcome == "refused"
    assert "'work_plan'" in refused.reasons[0] and "work_planning" in refused.reasons[0]
    assert snapshot(session, cast.project.id) == before
    assert session.get(Project, cast.project.id).workflow_version != version
    assert session.get(Project, drafting.id).workflow_version == version
    assert [e.project_id for e in migrated_events(session)] == [drafting.id]


def test_a_map_makes_the_renamed_state_reachable_and_its_deadlines_follow(make, session, engine):
    cast = Cast(make)
    cast.to("work_plan")
    version = edition(session, RENAMED)

    report = migrate_projects(
        session,
        engine,
        None,
        "twinning",
        version,
        mapping={"work_plan": "work_planning"},
        dry_run=False,
    )

    (item,) = report.as_dict()["projects"]
    assert item["outcome"] == "migrated"
    assert item["state"] == {"from": "work_plan", "to": "work_planning", "mapped_by": "map"}
    assert [d["key"] for d in item["deadlines"]["kept"]] == ["work_plan_agreed"]
    session.expire_all()
    assert session.get(Project, cast.project.id).state == "work_planning"
    # The kept deadline belongs to the renamed state: leaving it meets the deadline.
    make.fire(cast.beneficiary, cast.project, "submit_contract")
    assert deadlines_of(session, cast.project)["work_plan_agreed"] == "met"


def test_a_project_not_selected_stays_on_its_version_untouched(make, session, engine, choosing):
    other = Cast(make)
    other.to("selection")
    version = edition(session, SHORTLIST)
    before = snapshot(session, other.project.id)
    pinned = other.project.workflow_version

    report = migrate_projects(
        session,
        engine,
        None,
        "twinning",
        version,
        projects=[choosing.project.id],
        dry_run=False,
    )

    assert [p.project_id for p in report.projects] == [choosing.project.id]
    assert snapshot(session, other.project.id) == before
    assert session.get(Project, other.project.id).workflow_version == pinned
    assert deadlines_of(session, other.project)["selection_meeting"] == "open"
    assert [e.project_id for e in migrated_events(session)] == [choosing.project.id]


def test_ended_projects_are_left_alone_unless_named_and_then_refused(make, session, engine):
    cast = Cast(make)
    make.fire(cast.coordinator, cast.project, "cancel", comment="Withdrawn by the beneficiary")
    version = edition(session, SHORTLIST)

    everyone = migrate_projects(session, engine, None, "twinning", version, dry_run=True)
    named = migrate_projects(
        session, engine, None, "twinning", version, projects=[cast.project.id], dry_run=True
    )

    assert everyone.projects == []
    assert named.projects[0].outcome == "refused"
    assert "ended (cancelled)" in named.projects[0].reasons[0]


def test_running_it_again_finds_the_projects_already_moved(make, session, engine):
    cast = Cast(make)
    version = edition(session, SHORTLIST)
    migrate_projects(session, engine, None, "twinning", version, dry_run=False)

    again = migrate_projects(
        session, engine, None, "twinning", version, projects=[cast.project.id], dry_run=False
    )

    assert again.projects == [] and again.already_current == [cast.project.id]
    assert len(migrated_events(session)) == 1


def test_a_bad_request_names_every_bad_field_and_changes_nothing(make, session, engine):
    cast = Cast(make)
    light = make.project(cast.beneficiary, workflow="twinning_light")
    version = edition(session, SHORTLIST)
    before = snapshot(session, cast.project.id)

    with pytest.raises(InvalidData) as refused:
        migrate_projects(
            session,
            engine,
            cast.admin,
            "twinning",
            version,
            projects=[cast.project.id, light.id, 999_999],
            mapping={"work_plan": "drafting_again", "selection": "closed"},
            dry_run=False,
        )

    errors = refused.value.errors
    assert set(errors) == {"map.work_plan", "map.selection", "projects.1", "projects.2"}
    assert "'drafting_again' is not a state" in errors["map.work_plan"][0]
    assert "never ends a project" in errors["map.selection"][0]
    assert errors["projects.1"] == [f"project {light.id} runs 'twinning_light', not 'twinning'"]
    assert errors["projects.2"] == ["no project 999999"]
    assert snapshot(session, cast.project.id) == before


def test_an_unknown_workflow_or_version_is_not_found(make, session, engine, registry):
    cast = Cast(make)
    light = registry.current("twinning_light").version
    with pytest.raises(NotFound, match="No workflow named 'twining'"):
        migrate_projects(session, engine, cast.admin, "twining", light, dry_run=True)
    with pytest.raises(NotFound, match="'feedbeef' is not known"):
        migrate_projects(session, engine, cast.admin, "twinning", "feedbeef", dry_run=True)
    with pytest.raises(NotFound, match="is a version of 'twinning_light'"):
        migrate_projects(session, engine, cast.admin, "twinning", light, dry_run=True)


def test_only_an_administrator_may_migrate(make, session, engine):
    cast = Cast(make)
    version = edition(session, SHORTLIST)
    with pytest.raises(NotPermitted):
        migrate_projects(session, engine, cast.coordinator, "twinning", version, dry_run=False)
    assert session.get(Project, cast.project.id).workflow_version != version


def test_deadlines_on_hold_in_a_suspension_follow_their_state_to_its_new_name(
    make, session, engine
):
    cast = Cast(make)
    cast.to("implementation")
    make.fire(cast.coordinator, cast.project, "suspend", comment="Elections")
    held = {d.key for d in session.scalars(select(Deadline).where(Deadline.status == "open"))}
    version = edition(session, EXECUTION)

    unmapped = migrate_projects(session, engine, None, "twinning", version, dry_run=True)
    mapped = migrate_projects(
        session,
        engine,
        None,
        "twinning",
        version,
        mapping={"implementation": "execution"},
        dry_run=False,
    )

    # Without the map they would be dropped (their state is gone); the report says so.
    assert {d["key"] for d in unmapped.projects[0].dropped} == held
    assert {d["key"] for d in mapped.projects[0].kept} == held
    assert mapped.projects[0].to_state == "suspended"
    make.fire(cast.coordinator, cast.project, "resume", comment="Resumed")
    session.expire_all()
    open_now = list(session.scalars(select(Deadline).where(Deadline.status == "open")))
    assert {d.key for d in open_now} == held  # woken, not created twice
    assert {d.set_in_state for d in open_now} == {"execution"}
    assert all(d.next_alert_at is not None for d in open_now)


def test_an_edition_that_no_longer_loads_is_reported_never_a_crash(make, session, engine):
    cast = Cast(make)
    stuck = make.project(cast.beneficiary)
    retired = retired_edition(session)
    session.execute(update(Project).where(Project.id == stuck.id).values(workflow_version=retired))
    session.commit()
    version = edition(session, SHORTLIST)

    with pytest.raises(NotFound, match="no longer loads: unknown guard 'gone'"):
        migrate_projects(session, engine, None, "twinning", retired, dry_run=True)
    report = migrate_projects(session, engine, None, "twinning", version, dry_run=False)

    outcomes = {p.project_id: (p.outcome, p.reasons) for p in report.projects}
    assert outcomes[cast.project.id] == ("migrated", [])
    assert outcomes[stuck.id][0] == "refused"
    assert "no longer loads" in outcomes[stuck.id][1][0]


def test_an_applied_run_plans_each_project_again_under_its_row_lock(
    make, session, sa_engine, engine
):
    """A transition in flight when the migration starts: the migration waits for the row and
    maps the state the project has then, never the one it read before (a lost update)."""
    cast = Cast(make)
    version = edition(session, SHORTLIST)
    outcome = {}

    def migrate_meanwhile():
        with Session(sa_engine, expire_on_commit=False) as own:
            outcome["report"] = migrate_projects(
                own, engine, None, "twinning", version, dry_run=False
            )

    with Session(sa_engine, expire_on_commit=False) as other:
        beneficiary = other.get(User, cast.beneficiary.id)
        engine.fire(other, beneficiary, cast.project.id, "submit_fiche", commit=False)
        migration = threading.Thread(target=migrate_meanwhile)
        migration.start()
        migration.join(timeout=1.0)
        assert migration.is_alive()  # waiting for the project's row
        other.commit()
    migration.join()

    (item,) = outcome["report"].projects
    assert item.outcome == "migrated"
    assert (item.from_state, item.to_state) == ("fiche_review", "fiche_review")
    session.expire_all()
    project = session.get(Project, cast.project.id)
    assert (project.state, project.workflow_version) == ("fiche_review", version)
