"""The dashboard's statements are built once per kind of reader (twinflow/web/queries.py), not
per user: a statement built for one user must be exactly the one built for another user of the
same kind, or one reader would be shown another's projects. For every user of the multi-bid
world, and a deactivated twin of each, a stand-in with another id, e-mail and name reads first
(its statement is kept), then the user's own read is compared with a fresh build."""

from types import SimpleNamespace

import pytest

from tests.security.test_rules import _fresh, _readers
from twinflow.web import queries

pytestmark = pytest.mark.xdist_group("security-world")


def _reads(engine):
    """Every query that keeps its statement, as (name, call)."""
    registry, now = engine.registry, engine.clock.now()
    return [
        ("action candidates", lambda s, u: queries.action_candidates(s, registry, u)),
        ("selections to record", queries.selections_to_record),
        ("proposals to mark", queries.proposals_to_mark),
        ("upcoming deadlines", lambda s, u: queries.upcoming_deadlines(s, u, None)),
        ("recent activity", queries.recent_activity),
        ("counts by state", lambda s, u: queries.count_by_state(s, u, [])),
        ("approvals waiting", queries.approvals_waiting_for),
        ("open calls", lambda s, u: queries.open_calls(s, u, now)),
    ]


class Recording:
    """The session, noting each statement it is given."""

    def __init__(self, session):
        self.session, self.seen = session, []

    def __getattr__(self, name):
        method = getattr(self.session, name)
        if name not in ("execute", "scalars"):
            return method

        def noted(statement, *args, **kwargs):
            self.seen.append(statement)
            return method(statement, *args, **kwargs)

        return noted


def _sql(statements, dialect) -> list:
    compiled = [s.compile(dialect=dialect) for s in statements]
    return [(str(c), c.params) for c in compiled]


def _stand_in(user):
    """Another user of the same kind: the same role, country, organisation and activity."""
    return SimpleNamespace(
        id=(user.id or 0) + 10_000,
        email=f"stand-in.{user.email}",
        name="Stand In",
        role=user.role,
        country=user.country,
        organisation=user.organisation,
        organisation_id=user.organisation_id,
        affiliation=user.affiliation,
        is_active=user.is_active,
        is_authenticated=True,
    )


def test_a_kept_statement_is_the_one_built_for_each_reader(world):
    session = _fresh(world)
    dialect = session.get_bind().dialect
    for who, user in _readers(world).items():
        for name, read in _reads(world.make.engine):
            queries._BUILT.clear()
            read(Recording(session), _stand_in(user))  # kept for the stand-in
            kept = Recording(session)
            answer = read(kept, user)
            queries._BUILT.clear()
            fresh = Recording(session)
            assert read(fresh, user) == answer, (who, name)
            assert _sql(kept.seen, dialect) == _sql(fresh.seen, dialect), (who, name)
    queries._BUILT.clear()


def test_readers_of_another_kind_get_another_statement(world):
    session = _fresh(world)
    dialect = session.get_bind().dialect
    queries._BUILT.clear()
    seen = {}
    for who in ("coordinator", "other_delegation", "rival_fr", "rival_it", "beneficiary"):
        recording = Recording(session)
        queries.upcoming_deadlines(recording, world.users[who], None)
        seen[who] = _sql(recording.seen, dialect)
    # Georgia's Delegation and Armenia's, France and Italy: each its own WHERE.
    assert seen["coordinator"] != seen["other_delegation"]
    assert seen["rival_fr"] != seen["rival_it"]
    assert len({repr(s) for s in seen.values()}) == len(seen)
    queries._BUILT.clear()
