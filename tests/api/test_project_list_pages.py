"""The project list's pages read only their own rows (ids sorted first, bench/http_reads.py):
every page must be what sorting whole rows gave, in every sort, ties and empty values included."""

import pytest

from twinflow.api.schemas import ProjectSchema
from twinflow.projects.listing import SORT_CHOICES, ListQuery, project_list
from twinflow.projects.permissions import visible_projects_clause

pytestmark = pytest.mark.usefixtures("backend")


def _whole_rows_page(session, user, sort: str, page: int, per_page: int) -> list[dict]:
    """The page as the list read it before: whole rows sorted, then LIMIT and OFFSET."""
    query = project_list(visible_projects_clause(user), ListQuery(sort=sort))
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return ProjectSchema(many=True).dump(list(rows))


def test_every_page_of_every_sort_is_the_one_whole_rows_sorted_gave(api, cast, make, session):
    coordinator = cast.coordinator
    # Ties on budget and title, empty start dates, and one project moved on (changed later).
    for i, budget in enumerate([1_000_000, 1_000_000, 2_000_000, 1_000_000, 3_000_000, 2_000_000]):
        make.project(coordinator, title=f"Project {'AB'[i % 2]}", budget_eur=budget)
    cast.to("call_open")
    session.expire_all()
    client = api.as_(coordinator)
    for sort in SORT_CHOICES:
        seen = []
        for page in (1, 2, 3, 4):
            answer = client.get(f"/projects?sort={sort}&per_page=2&page={page}")
            assert answer.status_code == 200
            assert answer.json == _whole_rows_page(session, coordinator, sort, page, 2), sort
            seen += [p["id"] for p in answer.json]
        assert len(seen) == len(set(seen)) == 7, sort
        assert answer.headers["X-Total-Count"] == "7"


def test_a_member_state_pages_only_through_what_it_may_see(api, cast, make, session):
    germany = cast.germany
    for _ in range(3):
        make.project(cast.coordinator)
    open_call = cast.to("call_open")
    answer = api.as_(germany).get("/projects?per_page=2")
    assert [p["id"] for p in answer.json] == [
        p["id"] for p in _whole_rows_page(session, germany, "-changed", 1, 2)
    ]
    assert open_call.id in [p["id"] for p in answer.json]
