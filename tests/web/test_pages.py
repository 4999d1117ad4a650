"""The list, notifications, public pages and error pages."""

import re

from sqlalchemy import func, select

from twinflow.notifications.models import Notification


def test_the_project_list_filters_sorts_pages_and_counts_per_state(make, as_user):
    coordinator = make.user("coordinator")
    beneficiary = make.user("beneficiary")
    for n in range(27):
        make.project(beneficiary, title=f"Project {n:02d}")
    drafted = make.project(beneficiary, title="Water basin plans", sector="EN")
    make.fire(beneficiary, drafted, "submit_fiche")
    b = as_user(coordinator)
    page = b.text("/projects?sort=title&dir=asc")
    titles = re.findall(r"<td>(Project \d\d|Water basin plans)<div", page)
    assert titles[:3] == ["Project 00", "Project 01", "Project 02"] and len(titles) == 25
    assert "Page 1 of 2" in page
    assert re.search(r'data-testid="count-fiche_drafting">27<', page)
    assert re.search(r'data-testid="count-fiche_review">1<', page)
    second = b.text("/projects?sort=title&dir=asc&page=2")
    last = re.findall(r"<td>(Project \d\d|Water basin plans)<div", second)[-1]
    assert last == "Water basin plans"
    filtered = b.text("/projects?state=fiche_review")
    assert "Water basin plans" in filtered and "Project 00" not in filtered
    assert "Water basin plans" in b.text("/projects?q=basin")
    assert "1 project matches." in b.text("/projects?sector=EN")
    assert b.get("/projects?page=abc&sort=drop+table").status_code == 200


def test_the_project_list_shows_50_a_page_when_asked_and_keeps_the_size_on_its_page_links(
    make, as_user
):
    coordinator = make.user("coordinator")
    beneficiary = make.user("beneficiary")
    for n in range(52):
        make.project(beneficiary, title=f"Project {n:02d}")
    b = as_user(coordinator)
    page = b.text("/projects?sort=title&dir=asc&per_page=50")
    titles = re.findall(r"<td>(Project \d\d)<div", page)
    assert len(titles) == 50 and titles[-1] == "Project 49" and "Page 1 of 2" in page
    assert re.search(r'href="[^"]*per_page=50[^"]*" rel="next"', page)
    second = b.text("/projects?sort=title&dir=asc&per_page=50&page=2")
    second = re.findall(r"<td>(Project \d\d)<div", second)
    assert second == ["Project 50", "Project 51"]
    # A size the list does not offer is the default page, never an error or a huge page.
    for odd in ("7", "100000", "abc"):
        listed = b.text(f"/projects?sort=title&dir=asc&per_page={odd}")
        assert len(re.findall(r"<td>(Project \d\d)<div", listed)) == 25 and "Page 1 of 3" in listed


def test_the_unread_count_shows_in_the_navigation_and_marking_read_clears_it(
    cast, make, as_user, session
):
    make.fire(cast.beneficiary, cast.project, "submit_fiche")
    coordinator = as_user(cast.coordinator)
    unread = session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == cast.coordinator.id)
    )
    assert unread >= 1
    assert f'data-testid="unread-count">{unread}<' in coordinator.text("/")
    note_id = re.search(r"/notifications/(\d+)/read", coordinator.text("/notifications"))[1]
    # Another user's attempt to mark it read changes nothing.
    as_user(cast.beneficiary).post(f"/notifications/{note_id}/read", {})
    assert f'data-testid="unread-count">{unread}<' in coordinator.text("/")
    coordinator.post("/notifications/read-all", {})
    assert 'data-testid="unread-count"' not in coordinator.text("/")


def test_projects_past_contracting_have_a_public_page_without_sign_in(cast, browser):
    project = cast.to("implementation")
    page = browser().text(f"/public/projects/{project.id}")
    assert project.title in page and "Implementation" in page
    assert "Georgia, France" in page  # countries: the beneficiary and the Member State partner
    assert "Sign out" not in page


def test_projects_before_contracting_have_no_public_page(cast, browser):
    project = cast.to("selection")
    response = browser().get(f"/public/projects/{project.id}")
    assert response.status_code == 404
    assert "There is no public page for this project." in response.get_data(as_text=True)


def test_an_unknown_address_gets_a_404_page_in_the_apps_look(browser):
    response = browser().get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1" in page and "Not found" in page and 'class="topbar"' in page


def test_an_unexpected_error_gets_a_500_page_without_a_stack_trace(app, make, as_user):
    def explode():
        raise RuntimeError("secret internals")

    app.add_url_rule("/explode", "explode", explode)
    response = as_user(make.user("coordinator")).get("/explode")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_the_api_prefix_keeps_json_errors(browser):
    response = browser().get("/api/v1/no-such-endpoint")
    assert response.status_code == 404 and response.is_json
