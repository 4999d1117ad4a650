"""An approval card shows what is decided: the proposal approved as partner, with its Member
State, team and summary, and the comments so far."""

import re

from tests.factories import Cast
from twinflow.workflow.durations import add_months


def test_the_partner_selection_card_shows_the_proposal_and_its_summary(make, as_user):
    cast = Cast(make)
    project = cast.to("selection")
    cast.proposal.project_leader = "Jeanne Martin"
    cast.proposal.summary = "Two prison experts.\nOne probation expert."
    make.select(cast.coordinator, project, cast.proposal)
    make.fire(cast.beneficiary, project, "select_partner", comment="Best on quality.")
    make.session.commit()

    page = as_user(cast.coordinator).text("/approvals")
    card = re.search(r'data-testid="approval-proposal">(.*?)</div>\s*<dl', page, re.S).group(1)
    assert "The proposal to approve" in card
    assert "France" in card and "Jeanne Martin" in card
    assert "Two prison experts.<br>\nOne probation expert." in card
    assert "Best on quality." in page  # the comment so far


def _rows(html: str) -> dict[str, tuple[str, str]]:
    table = re.search(r'data-testid="before-after">(.*?)</table>', html, re.S).group(1)
    out = {}
    for row in re.findall(r"<tr data-figure=.*?</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd].*?</t[hd]>", row)]
        out[cells[0]] = (cells[1], cells[2])
    return out


def _addendum_under_signature(make, engine):
    """An extension with a budget rise, returned once with a reason, submitted again and
    signed by France: the coordinator's signature is what is left."""
    from twinflow.changes import operations as changes

    cast = Cast(make)
    project = cast.to("implementation")
    cast.coordinator.name, cast.beneficiary.name = "Clara Coordinator", "Nino Beridze"
    session = make.session
    addendum = changes.create_change(
        session, engine, cast.beneficiary, project.id, "addendum",
        {"title": "Three more months", "justification": "The pilot courts opened late.",
         "changes": {"extend_months": 3, "budget_eur": "1600000"}},
    )  # fmt: skip
    changes.act_on_change(session, engine, cast.beneficiary, addendum.id, "submit", "Ready.")
    changes.act_on_change(
        session, engine, cast.coordinator, addendum.id, "return", "Say why three months."
    )
    changes.act_on_change(
        session, engine, cast.beneficiary, addendum.id, "submit", "Three months cover the pilot."
    )
    changes.act_on_change(session, engine, cast.france, addendum.id, "approve", "Agreed.")
    session.commit()
    return cast, project, addendum


def test_an_addendum_card_shows_each_figure_now_and_with_the_change_and_the_earlier_comments(
    make, engine, as_user
):
    cast, project, addendum = _addendum_under_signature(make, engine)
    end = project.implementation_end
    page = as_user(cast.coordinator).text("/approvals")
    card = page.split('data-testid="approval-change">', 1)[1].split("</section>", 1)[0]
    assert "Addendum 1: Three more months" in card
    assert "The pilot courts opened late." in card
    rows = _rows(card)
    assert rows["Implementation (months)"] == ("24", "27")
    assert rows["EU budget (EUR)"] == ("1,500,000", "1,600,000")
    assert rows["Implementation end"] == (f"{end:%d %b %Y}", f"{add_months(end, 3):%d %b %Y}")
    earlier = card.split('data-testid="comments-so-far"', 1)[1]
    assert "Earlier comments" in earlier
    assert earlier.index("Ready.") < earlier.index("Say why three months.")
    assert "Addendum returned for revision — Clara Coordinator" in earlier
    assert "Three months cover the pilot." in earlier
    # France's signature of this round is on the card once, under "Approved by".
    assert "Agreed." not in earlier and "Agreed." in page


def test_the_changes_page_where_it_is_signed_shows_the_same_before_and_after_and_every_comment(
    make, engine, as_user
):
    cast, project, addendum = _addendum_under_signature(make, engine)
    page = as_user(cast.france).text(f"/projects/{project.id}/changes")
    article = page.split(f'data-testid="change-{addendum.id}"', 1)[1].split("</article>", 1)[0]
    rows = _rows(article)
    assert rows["Implementation (months)"] == ("24", "27")
    assert rows["EU budget (EUR)"] == ("1,500,000", "1,600,000")
    comments = article.split('data-testid="comments-so-far"', 1)[1]
    for said in ("Ready.", "Say why three months.", "Three months cover the pilot.", "Agreed."):
        assert said in comments, said
    # Once signed, the figures moved: the table is gone, the applied line says from → to.
    from twinflow.changes import operations as changes

    changes.act_on_change(make.session, engine, cast.coordinator, addendum.id, "approve")
    make.session.commit()
    page = as_user(cast.france).text(f"/projects/{project.id}/changes")
    article = page.split(f'data-testid="change-{addendum.id}"', 1)[1].split("</article>", 1)[0]
    assert 'data-testid="before-after"' not in article
    assert "Implementation (months): 24 → 27" in article


def test_a_side_letter_card_names_the_project_leader_replaced_and_the_new_one(
    make, engine, as_user, clock
):
    from datetime import timedelta

    from twinflow.changes import operations as changes

    cast = Cast(make)
    project = cast.to("implementation")
    starts = clock.now().date() + timedelta(days=30)
    leader = {"name": "Luc Bernard", "effective_on": starts.isoformat()}
    letter = changes.create_change(
        make.session, engine, cast.france, project.id, "side_letter",
        {"title": "New leader", "justification": "Retirement.",
         "changes": {"ms_project_leader": leader}},
    )  # fmt: skip
    changes.act_on_change(make.session, engine, cast.france, letter.id, "submit", "Signed for FR.")
    make.session.commit()
    page = as_user(cast.beneficiary).text("/approvals")
    card = page.split('data-testid="approval-change">', 1)[1].split("</section>", 1)[0]
    assert "Side letter 1: New leader" in card
    before, after = _rows(card)["Member State project leader"]
    assert before == "Jeanne Martin"
    assert after.startswith("Luc Bernard, from ")
