"""Filters of the listings: a value that can match nothing by its nature, or that the database
could not even compare, is a 422 naming the field, never an empty page or a 500."""

import pytest

from tests.api.conftest import error_of

STATES = "fiche_drafting, fiche_review, call_open, selection, work_plan, contracting"


def test_listing_projects_in_an_unknown_state_is_refused_listing_the_states(api, cast):
    answer = api.as_(cast.coordinator).get("/projects?state=bogus")
    assert answer.status_code == 422
    (reason,) = error_of(answer)["details"]["state"]
    assert reason.startswith(f"is not a state; the states are: {STATES}")
    assert "final_reporting" in reason and "cancelled" in reason


def test_unknown_workflows_and_sectors_are_refused_together_with_the_valid_ones_named(api, cast):
    answer = api.as_(cast.coordinator).get("/projects?workflow=tw1nning&sector=ZZ&state=nope")
    assert answer.status_code == 422
    details = error_of(answer)["details"]
    assert set(details) == {"workflow", "sector", "state"}
    assert details["workflow"] == ["is not a workflow; the workflows are: twinning, twinning_light"]
    assert "JH" in details["sector"][0]


def test_listing_projects_by_a_known_state_still_finds_them(api, cast):
    project = cast.to("call_open")
    client = api.as_(cast.coordinator)
    found = client.get("/projects?state=call_open&workflow=twinning&sector=" + project.sector)
    assert found.status_code == 200
    assert [p["id"] for p in found.json] == [project.id]
    assert client.get("/projects?state=closed").json == []


@pytest.mark.parametrize(
    "query, field, reason",
    [
        ("project=99999999999999999999", "project", "is not a project id (1 to 2147483647)"),
        ("project=abc", "project", "is not a project id (a whole number)"),
        ("since=2020-13-45", "since", "is not an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z"),
        ("since=2027-01-31", "since", "needs a time zone, e.g. 2027-01-31T00:00:00Z (Z for UTC)"),
        # Both were 500s: converting to UTC, or binding, overflowed the year.
        ("since=0001-01-01T00:00:00%2B14:00", "since", "must be between the years 1900 and 2200"),
        ("until=9999-12-31T23:59:59-14:00", "until", "must be between the years 1900 and 2200"),
        (
            "since=2027-02-01T00:00:00Z&until=2027-01-01T00:00:00Z",
            "until",
            "must be later than since",
        ),
    ],
)
@pytest.mark.parametrize("accept", ["application/json", "text/csv"])
def test_a_bad_audit_filter_is_refused_naming_the_field(api, cast, query, field, reason, accept):
    answer = api.as_(cast.admin).get(f"/audit?{query}", headers={"Accept": accept})
    assert answer.status_code == 422
    assert error_of(answer)["details"] == {field: [reason]}
