"""An approval card shows what is decided: the proposal approved as partner, with its Member
State, team and summary, and the comments so far."""

import re

from tests.factories import Cast


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
