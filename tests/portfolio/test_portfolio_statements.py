"""The portfolio page costs the same number of SQL statements with 300 projects as with 20:
its figures are read in a fixed number of queries, never one per project or per event."""

import pytest

from tests.web.test_query_counts import _add_projects, _statements


@pytest.mark.slow
def test_the_portfolio_issues_as_many_statements_for_300_projects_as_for_20(
    app, make, session, registry, clock, as_user
):
    people = [make.user("admin"), make.user("coordinator")]
    browsers = [as_user(p) for p in people]
    _add_projects(session, registry, clock, 0, 20)
    small = [_statements(app, b.client, "/portfolio") for b in browsers]
    _add_projects(session, registry, clock, 20, 300)
    large = [_statements(app, b.client, "/portfolio") for b in browsers]
    assert small == large
