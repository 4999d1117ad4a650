"""`twinflow import projects FILE`: real historic records kept as their sources state them,
judged row by row, all or nothing, and idempotent."""

import json
from decimal import Decimal

from sqlalchemy import func, select

from tests.imports.conftest import PORTFOLIO, csv_bytes, row, xlsx_bytes
from twinflow.audit.models import AuditEvent
from twinflow.projects.models import Project
from twinflow.projects.references import reference_matches

HISTORIC = (
    "GE 16 ENI ST 06 18",
    "AZ/15/ENP/EN/43",
    "SR2012/IB/AG01TL",
    "KS 09 IB JH 01",
    "UA/47b",
    "TW JO/12/ENP/OT/20",
)


def _import(app, path, *options):
    return app.test_cli_runner().invoke(args=["import", "projects", str(path), *options])


def _projects(session) -> int:
    return session.scalar(select(func.count(Project.id)))


def _audit_events(session) -> int:
    return session.scalar(select(func.count(AuditEvent.id)))


def _by_reference(session, reference) -> Project:
    session.expire_all()
    return session.scalars(select(Project).where(Project.reference == reference)).one()


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_dry_run_reports_every_row_and_writes_nothing(app, session):
    result = _import(app, PORTFOLIO, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "30 row(s): 30 would be created; 0 error(s)" in result.output
    assert "dry run: nothing was written" in result.output
    assert _projects(session) == 0
    assert _audit_events(session) == 0


def test_the_real_historic_references_are_kept_verbatim_and_found_however_spaced(app, session):
    result = _import(app, PORTFOLIO)
    assert result.exit_code == 0, result.output
    assert "30 created" in result.output
    stored = set(session.scalars(select(Project.reference)))
    assert set(HISTORIC) <= stored
    assert "MD 16 ENI AG 01 19" in stored
    for typed, reference in [
        ("ge16eni st0618", "GE 16 ENI ST 06 18"),
        ("az 15 enp en 43", "AZ/15/ENP/EN/43"),
        ("SR 2012 IB AG01 TL", "SR2012/IB/AG01TL"),
        ("ks-09-ib-jh-01", "KS 09 IB JH 01"),
        ("UA 47B", "UA/47b"),
        ("TWJO12ENPOT20", "TW JO/12/ENP/OT/20"),
    ]:
        found = session.scalars(select(Project.reference).where(reference_matches(typed))).all()
        assert found == [reference], typed


def test_every_pinned_column_is_kept_as_the_source_states_it(app, session):
    assert _import(app, PORTFOLIO).exit_code == 0
    geostat = _by_reference(session, "GE 16 ENI ST 06 18")
    assert geostat.workflow == "twinning" and geostat.state == "closed"
    assert geostat.instrument == "ENI" and geostat.sector == "ST"
    assert geostat.beneficiary_country == "GE"
    assert geostat.beneficiary_institution == "National Statistics Office of Georgia (Geostat)"
    assert geostat.budget_eur == Decimal("1500000.00")
    # "21/24": 21 months of implementation in an execution period of 24.
    assert (geostat.implementation_months, geostat.total_months) == (21, 24)
    assert (geostat.start_display, geostat.end_display) == ("Sep 2018", "Q2 2020")
    assert (geostat.start, geostat.end) == ("2018-09", "2020-Q2")
    assert geostat.lead_member_state == "SE"
    assert geostat.junior_member_states == ["FI", "NL"]
    assert geostat.status_note == "Completed; closing conference held in Tbilisi"
    assert geostat.source_url == "https://eu4georgia.example/projects/geostat-twinning"

    water = _by_reference(session, "AZ/15/ENP/EN/43")
    assert water.instrument == "ENPI"
    assert (water.start_display, water.end_display) == ("2016", "2018")
    assert (water.implementation_months, water.total_months) == (24, 27)

    light = _by_reference(session, "SR2012/IB/AG01TL")
    assert light.workflow == "twinning_light"
    assert light.start_display == "Q1 2014"

    kosovo = _by_reference(session, "KS 09 IB JH 01")
    assert kosovo.beneficiary_country == "XK"
    # The United Kingdom led Twinning projects while it was a Member State.
    assert kosovo.lead_member_state == "UK"

    jordan = _by_reference(session, "TW JO/12/ENP/OT/20")
    assert jordan.lead_member_state == "EL"  # Greece, in EU usage
    assert jordan.junior_member_states == ["ES"]

    armenia = _by_reference(session, "AM 15 ENI JH 01 17")
    assert armenia.start_display == "4 Sep 2017"


def test_empty_cells_are_stored_as_unknown_to_be_completed_later(app, session):
    assert _import(app, PORTFOLIO).exit_code == 0
    session.expire_all()
    unnamed = session.scalars(
        select(Project).where(Project.title.like("Support to the National Bank of Georgia%"))
    ).one()
    assert unnamed.beneficiary_institution is None
    assert unnamed.instrument is None and unnamed.sector is None
    assert unnamed.budget_eur is None and unnamed.implementation_months is None
    assert unnamed.start_display == "2008" and unnamed.end is None
    # No reference in the source: one that says so, never today's form.
    assert unnamed.reference == "GE-IMP-0001"


def test_one_imported_event_carries_the_row_as_written(app, session):
    assert _import(app, PORTFOLIO).exit_code == 0
    geostat = _by_reference(session, "GE 16 ENI ST 06 18")
    events = session.scalars(select(AuditEvent).where(AuditEvent.project_id == geostat.id)).all()
    assert [e.action for e in events] == ["imported"]
    data = json.loads(events[0].data)
    assert data["file"] == "portfolio.csv" and data["row"] == 2
    assert data["values"]["implementation_months"] == "21/24"
    assert data["values"]["budget_eur"] == "1 500 000"
    assert data["values"]["junior_member_states"] == "FI;NL"
    assert events[0].to_state == "closed"


def test_importing_the_same_file_twice_changes_nothing_the_second_time(app, session):
    assert _import(app, PORTFOLIO).exit_code == 0
    projects, events = _projects(session), _audit_events(session)
    again = _import(app, PORTFOLIO)
    assert again.exit_code == 0, again.output
    assert "30 already imported, unchanged" in again.output
    assert (_projects(session), _audit_events(session)) == (projects, events)


def test_rows_without_a_reference_match_on_country_title_and_start(app, session, tmp_path):
    first = _write(tmp_path, "a.csv", csv_bytes([row(start="2015-Q2")]))
    assert _import(app, first).exit_code == 0
    # Another start is another project; the same start is the same one.
    second = _write(tmp_path, "b.csv", csv_bytes([row(start="2015-Q2"), row(start="2016")]))
    result = _import(app, second)
    assert result.exit_code == 0, result.output
    assert "1 would be created" not in result.output
    assert "1 created, 1 already imported, unchanged" in result.output
    assert _projects(session) == 2


def test_a_changed_value_on_reimport_is_reported_not_applied(app, session, tmp_path):
    first = _write(tmp_path, "a.csv", csv_bytes([row(reference="UA/47b", budget_eur="1300000")]))
    assert _import(app, first).exit_code == 0
    changed = _write(tmp_path, "b.csv", csv_bytes([row(reference="UA 47B", budget_eur="1400000")]))
    result = _import(app, changed)
    assert result.exit_code == 0, result.output
    assert "warning: row 2, budget_eur: '1400000'" in result.output
    assert "not changed by an import" in result.output
    assert _by_reference(session, "UA/47b").budget_eur == Decimal("1300000.00")


def test_each_bad_row_is_named_by_row_column_value_and_reason_and_nothing_is_written(
    app, session, tmp_path
):
    rows = [
        row(reference="GE 16 ENI ST 06 18"),
        row(start="2017-13"),
        row(type="twinning_heavy"),
        row(lead_member_state="US"),
        row(budget_eur="a lot", state="somewhere"),
        row(beneficiary_country=""),
    ]
    result = _import(app, _write(tmp_path, "bad.csv", csv_bytes(rows)))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "error: row 3, start: '2017-13' is not a real date" in result.output
    assert any(
        line.startswith("error: row 4, type: 'twinning_heavy' must be one of:") for line in lines
    )
    assert "error: row 5, lead_member_state: 'US' is not the code of an EU Member State" in (
        result.output
    )
    assert "error: row 6, budget_eur: 'a lot' is not an amount in EUR" in result.output
    assert "error: row 6, state: 'somewhere' is not a state of" in result.output
    assert "error: row 7, beneficiary_country: is required" in result.output
    assert "not applied: nothing was written" in result.output
    assert _projects(session) == 0


def test_skip_invalid_imports_the_valid_rows_and_reports_the_others(app, session, tmp_path):
    rows = [row(reference="A 1"), row(reference="A 2", end="2017-Q5")]
    result = _import(app, _write(tmp_path, "mixed.csv", csv_bytes(rows)), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output and "1 invalid, skipped" in result.output
    assert "error: row 3, end: '2017-Q5'" in result.output
    assert list(session.scalars(select(Project.reference))) == ["A 1"]


def test_an_unknown_column_is_refused_by_name_before_any_row(app, session, tmp_path):
    data = b"reference,title,type,beneficiary_country,duration\nX 1,T,twinning,GE,24\n"
    result = _import(app, _write(tmp_path, "cols.csv", data))
    assert result.exit_code == 1
    assert "error: file: unknown column(s): duration" in result.output
    assert _projects(session) == 0


def test_a_row_stating_the_same_project_twice_is_refused(app, session, tmp_path):
    rows = [row(reference="UA/47b"), row(reference="ua 47 b")]
    result = _import(app, _write(tmp_path, "twice.csv", csv_bytes(rows)))
    assert result.exit_code == 1
    assert "error: row 3, reference: 'ua 47 b' the same project as row 2" in result.output


def test_live_step_rules_are_warnings_on_imported_history(app, session, tmp_path):
    rows = [
        row(reference="SMALL 1", budget_eur="120000", implementation_months="48"),
        # The United Kingdom left on 2020-01-31: a lead from 2021 is not what it could be.
        row(reference="LATE 1", lead_member_state="UK", start="2021-03", end="2023"),
        row(reference="LIGHT 1", type="twinning_light", junior_member_states="DE"),
    ]
    result = _import(app, _write(tmp_path, "rules.csv", csv_bytes(rows)))
    assert result.exit_code == 0, result.output
    assert "3 created" in result.output
    assert "warning: row 2, budget_eur: '120000'" in result.output
    assert "warning: row 2, implementation_months: '48'" in result.output
    assert "warning: row 3, lead_member_state: 'UK' was not a Member State" in result.output
    assert "warning: row 4, junior_member_states: 'DE'" in result.output
    assert _by_reference(session, "SMALL 1").budget_eur == Decimal("120000.00")


def test_each_date_precision_is_kept_and_shown_as_written(app, session, tmp_path):
    rows = [
        row(reference="D 1", start="2017", end="2019"),
        row(reference="D 2", start="2017-09", end="2019-9"),
        row(reference="D 3", start="2017-Q3", end="2019-q1"),
        row(reference="D 4", start="2017-09-04", end="2019-09-03"),
    ]
    assert _import(app, _write(tmp_path, "dates.csv", csv_bytes(rows))).exit_code == 0
    shown = {
        p.reference: (p.start_display, p.end_display, p.start, p.end)
        for p in session.scalars(select(Project))
    }
    assert shown == {
        "D 1": ("2017", "2019", "2017", "2019"),
        "D 2": ("Sep 2017", "Sep 2019", "2017-09", "2019-09"),
        "D 3": ("Q3 2017", "Q1 2019", "2017-Q3", "2019-Q1"),
        "D 4": ("4 Sep 2017", "3 Sep 2019", "2017-09-04", "2019-09-03"),
    }


def test_an_xlsx_workbook_with_number_and_date_cells_imports_like_its_csv(app, session, tmp_path):
    from datetime import datetime

    rows = [
        ["GE 16 ENI ST 06 18", "Geostat", "twinning", "ENI", "GE", None, "ST", 1500000, 21,
         24, datetime(2018, 9, 3), "2020-Q2", "SE", "FI;NL", "closed", None, None],
        ["UA/47b", "Aviation", "Twinning", "ENPI", "UA", None, "TP", None, None, None, 2013,
         None, "FR", None, "Closed", None, None],
    ]  # fmt: skip
    path = _write(tmp_path, "portfolio.xlsx", xlsx_bytes(rows))
    result = _import(app, path, "--format", "xlsx")
    assert result.exit_code == 0, result.output
    geostat = _by_reference(session, "GE 16 ENI ST 06 18")
    assert geostat.budget_eur == Decimal("1500000.00")
    assert (geostat.start_display, geostat.end_display) == ("3 Sep 2018", "Q2 2020")
    aviation = _by_reference(session, "UA/47b")
    assert aviation.start_display == "2013" and aviation.state == "closed"
    assert "2 already imported" in _import(app, path).output


def test_a_title_with_capital_accents_is_matched_on_reimport(app, session, tmp_path):
    data = csv_bytes([row(title="Appui à l'École nationale d'administration", start="2014")])
    path = _write(tmp_path, "ena.csv", data)
    assert _import(app, path).exit_code == 0
    again = _import(app, path)
    assert "1 already imported, unchanged" in again.output
    assert _projects(session) == 1


def test_placeholder_references_never_clash_after_one_is_corrected(app, session, tmp_path):
    from sqlalchemy import update

    first = [row(title="First", start="2001"), row(title="Second", start="2002")]
    assert _import(app, _write(tmp_path, "a.csv", csv_bytes(first))).exit_code == 0
    session.execute(
        update(Project)
        .where(Project.reference == "GE-IMP-0001")
        .values(reference="GE/01/TACIS/01", reference_key="GE01TACIS01")
    )
    session.commit()
    later = _import(app, _write(tmp_path, "b.csv", csv_bytes([row(title="Third")])))
    assert later.exit_code == 0, later.output
    assert sorted(session.scalars(select(Project.reference))) == [
        "GE-IMP-0002",
        "GE-IMP-0003",
        "GE/01/TACIS/01",
    ]


def test_a_project_imported_on_hold_can_be_resumed_to_where_its_values_show_it_was(
    app, session, make, tmp_path
):
    rows = [
        row(reference="HELD 1", state="suspended", lead_member_state="FR", start="2019-05"),
        row(reference="HELD 2", state="Suspendu", lead_member_state="DE"),  # a French label
        row(reference="HELD 3", state="suspended"),
    ]
    result = _import(app, _write(tmp_path, "held.csv", csv_bytes(rows)))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "on hold since the import" in line]
    assert len(warnings) == 3
    assert "row 2, state: 'Suspended'" in warnings[0] and "back to Implementation" in warnings[0]
    assert "row 3" in warnings[1] and "back to Work plan" in warnings[1]
    assert "row 4" in warnings[2] and "back to Call open" in warnings[2]
    coordinator = make.user("coordinator")
    expected = {"HELD 1": "implementation", "HELD 2": "work_plan", "HELD 3": "call_open"}
    for reference, state in expected.items():
        make.fire(coordinator, _by_reference(session, reference), "resume", comment="As recorded")
        assert _by_reference(session, reference).state == state
