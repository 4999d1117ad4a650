"""The database store behind Flask-Limiter when no Redis or Memcached is configured: atomic
fixed-window counters that expire, on SQLite and PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from twinflow.auth.limits_storage import DatabaseStorage


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


def test_the_scheme_names_our_database_store(sa_engine):
    assert isinstance(storage_from_string("twinflow-db://", engine=sa_engine), DatabaseStorage)


def test_a_counter_counts_within_its_window_and_starts_again_after_it(sa_engine):
    clock = Clock()
    store = DatabaseStorage(engine=sa_engine, now=clock)
    assert [store.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert store.get("k") == 3 and store.get_expiry("k") == clock.now + 60
    clock.now += 59
    assert store.get("k") == 3
    clock.now += 1
    assert store.get("k") == 0
    assert store.incr("k", 60) == 1
    assert store.get_expiry("k") == clock.now + 60


def test_clearing_one_key_leaves_the_others(sa_engine):
    store = DatabaseStorage(engine=sa_engine, now=Clock())
    store.incr("a", 60)
    store.incr("b", 60, amount=2)
    store.clear("a")
    assert (store.get("a"), store.get("b")) == (0, 2)
    assert store.reset() == 1 and store.get("b") == 0 and store.check()


def test_concurrent_increments_are_none_lost(sa_engine):
    store = DatabaseStorage(engine=sa_engine)
    with ThreadPoolExecutor(8) as pool:
        counts = sorted(pool.map(lambda _: store.incr("shared", 600), range(40)))
    assert counts == list(range(1, 41))
    assert store.get("shared") == 40


def test_the_limits_fixed_window_strategy_runs_on_it(sa_engine):
    limiter = FixedWindowRateLimiter(DatabaseStorage(engine=sa_engine))
    item = parse("3 per 15 minutes")
    assert [limiter.hit(item, "someone") for _ in range(4)] == [True, True, True, False]
    assert not limiter.test(item, "someone")
    assert limiter.test(item, "someone else")
