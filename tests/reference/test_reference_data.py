"""Reference data as data (workflows/reference/*.yaml): what the shipped files say, and a
broken file stopping start-up with its file, the path inside it and the reason."""

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from twinflow import create_app
from twinflow.reference import DEFAULT_DIR, default_reference
from twinflow.reference.loader import load_directory
from twinflow.workflow.errors import DefinitionError

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"


def test_instruments_of_every_period_are_known_with_their_spellings():
    data = default_reference()
    for code in ("PHARE", "CARDS", "TACIS", "MEDA", "IPA", "IPA II", "IPA III", "ENPI", "ENI"):
        assert code in data.instruments, code
    assert data.instrument_code("NDICI-Global Europe") == data.instrument_code("ndici")
    assert data.instrument_code("ENP") == "ENPI"  # as old references write it
    assert data.instruments["ENPI"].period.start == date(2007, 1, 1)
    # A new project chooses among today's instruments only; history keeps the old ones.
    assert "ENPI" not in data.new_project_instruments()


def test_sectors_include_statistics_and_countries_use_eu_codes():
    data = default_reference()
    assert data.sectors["ST"].label == "Statistics"
    assert data.country_code("GR") == "EL" and data.country_name("EL") == "Greece"
    assert data.country_name("XK") == "Kosovo"
    assert data.country_name("GE") == "Georgia"  # from pycountry, not typed in


def test_member_states_have_their_periods():
    data = default_reference()
    assert data.is_member_state("UK", date(2019, 6, 1))
    assert not data.is_member_state("UK", date(2020, 2, 1))
    assert data.is_member_state("UK", date(2018, 1, 1), date(2021, 1, 1))  # a span overlapping
    assert not data.is_member_state("HR", date(2013, 6, 30))
    assert data.is_member_state("HR", date(2013, 7, 1))


def _broken_copy(tmp_path, name: str, mutate) -> tuple[Path, dict]:
    folder = tmp_path / "workflows"
    shutil.copytree(WORKFLOWS, folder)
    path = folder / "reference" / name
    data = yaml.safe_load(path.read_text())
    mutate(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return folder, data


@pytest.mark.parametrize(
    "name,mutate,expected",
    [
        (
            "sectors.yaml",
            lambda d: d["sectors"].append(dict(d["sectors"][0])),
            lambda d: f"sectors[{len(d['sectors']) - 1}].code: duplicate sector",
        ),
        (
            "countries.yaml",
            lambda d: d["member_states"].append({"code": "BE", "from": "2020-01-01", "spare": 1}),
            lambda d: f"member_states[{len(d['member_states']) - 1}].spare",
        ),
        (
            "instruments.yaml",
            lambda d: d["instruments"][0].update({"from": "2020-01-01", "until": "2010-01-01"}),
            lambda d: "instruments[0].until: is before 'from'",
        ),
    ],
    ids=["duplicate", "unknown-key", "period"],
)
def test_a_broken_reference_file_stops_start_up_naming_file_path_and_reason(
    tmp_path, name, mutate, expected
):
    folder, data = _broken_copy(tmp_path, name, mutate)
    with pytest.raises(DefinitionError) as refused:
        create_app("testing", WORKFLOWS_DIR=str(folder), SQLALCHEMY_DATABASE_URI="sqlite://")
    message = str(refused.value)
    assert f"{folder / 'reference' / name}: {expected(data)}" in message


def test_the_shipped_folder_loads():
    assert load_directory(DEFAULT_DIR).files
