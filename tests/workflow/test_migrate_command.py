"""`twinflow workflows migrate`: the same report as the API, exit 1 when a project is refused."""

import json
import shutil

from sqlalchemy import select

from tests.api.conftest import ApiClient
from tests.factories import Cast
from tests.workflow.editions import RENAMED, TWINNING, WORKFLOWS, edition
from twinflow.projects.models import Project
from twinflow.workflow.definition import version_of
from twinflow.workflow.engine import Engine
from twinflow.workflow.models import WorkflowVersion
from twinflow.workflow.registry import WorkflowRegistry


def migrate(app, *args):
    return app.test_cli_runner().invoke(args=["workflows", "migrate", "twinning", *args])


def test_a_refused_project_makes_the_command_exit_1_and_a_map_lets_it_through(app, make, session):
    cast = Cast(make)
    cast.to("work_plan")
    drafting = make.project(cast.beneficiary)
    version = edition(session, RENAMED)

    planned = migrate(app, "--to", version, "--dry-run")
    assert planned.exit_code == 1, planned.output
    assert f"project {cast.project.id} {cast.project.reference}: refused" in planned.output
    assert "reason: its state 'work_plan' is not in version" in planned.output
    assert "summary: 2 selected, 1 would migrate, 1 refused" in planned.output
    session.expire_all()
    assert session.get(Project, drafting.id).workflow_version != version

    applied = migrate(
        app, "--to", version, "--projects", f"{cast.project.id},{drafting.id}",
        "--map", "work_plan=work_planning",
    )  # fmt: skip
    assert applied.exit_code == 0, applied.output
    assert "state: work_plan -> work_planning (map)" in applied.output
    assert "summary: 2 selected, 2 migrated, 0 refused" in applied.output
    session.expire_all()
    assert session.get(Project, cast.project.id).state == "work_planning"


def test_its_json_is_the_answer_of_the_api(app, make, session):
    cast = Cast(make)
    cast.to("selection")
    version = edition(session, RENAMED)
    api = ApiClient(app.test_client()).as_(cast.admin)
    app.config["API_TOKEN_HOURS"] = 24
    body = {"to_version": version, "dry_run": True}
    answer = api.post("/workflows/twinning/migrations", json=body).json
    printed = migrate(app, "--to", version, "--dry-run", "--format", "json")
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == answer
    assert answer["projects"][0]["deadlines"]["kept"][0]["key"] == "selection_meeting"


def test_bad_options_are_named_and_change_nothing(app, make, session):
    cast = Cast(make)
    version = edition(session, RENAMED)
    before = session.get(Project, cast.project.id).workflow_version

    wrong = migrate(app, "--to", version, "--map", "fiche_drafting=limbo", "--projects", "7²")
    assert wrong.exit_code == 2
    assert "'7²' is not a project id" in wrong.output
    unmapped = migrate(app, "--to", version, "--map", "fiche_drafting=limbo")
    assert unmapped.exit_code == 2
    assert "--map fiche_drafting: 'limbo' is not a state" in unmapped.output
    not_there = migrate(app, "--to", version, "--projects", "999999")
    assert not_there.exit_code == 2
    assert "--projects: no project 999999" in not_there.output
    unknown = migrate(app, "--to", "feedbeef")
    assert unknown.exit_code == 1
    assert "version 'feedbeef' is not known" in unknown.output
    session.expire_all()
    assert session.get(Project, cast.project.id).workflow_version == before


def test_migrating_to_a_new_current_file_stores_its_text_for_later(
    make, session, clock, db_url, tmp_path
):
    """A definition file edited in place: no project started on it yet, so its text is not
    stored; the migration stores it, and any process can load the project afterwards."""
    from twinflow import create_app

    cast = Cast(make)
    folder = tmp_path / "workflows"
    folder.mkdir()
    shutil.copy(WORKFLOWS / "twinning_light.yaml", folder)
    text = TWINNING.replace("en: Selection meeting,", "en: Selection meeting (in person),")
    (folder / "twinning.yaml").write_text(text)
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=db_url, CLOCK=clock, WORKFLOWS_DIR=str(folder)
    )
    version = version_of(text)
    assert session.scalar(select(WorkflowVersion).where(WorkflowVersion.version == version)) is None

    result = migrate(app, "--to", version)

    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(WorkflowVersion, version).source == text
    assert session.get(Project, cast.project.id).workflow_version == version
    elsewhere = Engine(WorkflowRegistry(), clock)  # knows only the repository's files
    elsewhere.fire(session, cast.beneficiary, cast.project.id, "submit_fiche")
    assert session.get(Project, cast.project.id).state == "fiche_review"
    with app.app_context():
        from twinflow.extensions import db

        db.engine.dispose()
