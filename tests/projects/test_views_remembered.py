"""can_view_project's memo for one page's reads (projects/permissions.views_remembered): each
(user, project) answered as the rule answers it, never one user's answer for another, and
nothing remembered once the block is left."""

from tests.factories import Cast
from twinflow.projects.permissions import can_view_project, views_remembered


def test_inside_the_memo_every_reader_gets_the_rules_own_answer(make):
    cast = Cast(make)
    draft = cast.project  # a draft: its beneficiary, coordinators and admins, no Member State
    readers = (cast.coordinator, cast.beneficiary, cast.other_beneficiary, cast.france, cast.admin)
    plain = {user.id: can_view_project(user, draft) for user in readers}
    assert plain[cast.beneficiary.id] and not plain[cast.france.id]  # the rule itself differs
    assert not plain[cast.other_beneficiary.id]
    with views_remembered():
        for _ in range(2):  # asked again: the kept answer, still each reader's own
            for user in (*readers, *reversed(readers)):
                assert can_view_project(user, draft) == plain[user.id], user.email
        assert not can_view_project(cast.france, None)


def test_nothing_is_remembered_after_the_block(make):
    cast = Cast(make)
    with views_remembered():
        assert not can_view_project(cast.france, cast.project)
    cast.to("call_open")  # circulated: every Member State sees it now
    assert can_view_project(cast.france, cast.project)
    with views_remembered():  # a new block asks the rule again
        assert can_view_project(cast.france, cast.project)
