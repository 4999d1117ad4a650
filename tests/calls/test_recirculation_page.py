"""A coordinator re-circulates a failed selection from the project page."""

import re
from datetime import timedelta


def _fields(page: str, trigger: str) -> dict:
    form = re.search(rf'actions/{trigger}".*?</form>', page, re.S).group(0)
    return dict(re.findall(r'name="([\w-]+)" type="hidden" value="([^"]*)"', form))


def test_the_page_refuses_a_recirculation_without_its_comment_then_opens_round_two(
    cast, as_user, session, clock
):
    project = cast.to("selection")
    b = as_user(cast.coordinator)
    page = b.text(f"/projects/{project.id}")
    data = _fields(page, "recirculate")
    deadline = (clock.now() + timedelta(weeks=6)).strftime("%Y-%m-%dT%H:%M")
    data["recirculate-data_proposal_deadline"] = deadline
    refused = b.post(f"/projects/{project.id}/actions/recirculate", data)
    assert refused.status_code == 422
    assert 'id="recirculate-comment-err"' in refused.get_data(as_text=True)
    session.refresh(project)
    assert (project.state, project.call_round) == ("selection", 1)
    data["recirculate-comment"] = "No proposal was acceptable."
    done = b.post(f"/projects/{project.id}/actions/recirculate", data)
    assert done.status_code == 302
    page = b.text(done.location)
    assert 'data-testid="call-round">2<' in page and "No proposal was acceptable." in page
    session.refresh(project)
    assert (project.state, project.call_round) == ("call_open", 2)
