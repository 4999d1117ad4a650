"""A pytest plugin for bench/mutation.py: runs the tests that cover a mutant first (in the order
given), or all the others; and records each test's duration for that ordering.

MUTATION_TESTS: a file of node ids, one a line. MUTATION_PHASE: "listed" keeps only those, in
that order; "rest" keeps everything else. MUTATION_KNOWN: a file of the node ids the coverage
map knows; a test it does not know (added since) may cover anything, so it runs in the
"listed" phase (after the known ones) and not again in the "rest". MUTATION_DURATIONS: where
to write {nodeid: seconds}.
"""

import json
import os
import re

import pytest

_durations: dict[str, float] = {}


@pytest.hookimpl(trylast=True)  # after the project's own deselection of backends
def pytest_collection_modifyitems(config, items):
    listed_file, phase = os.environ.get("MUTATION_TESTS"), os.environ.get("MUTATION_PHASE")
    if not listed_file or not phase:
        return
    order = _ids(listed_file)
    known = _ids(os.environ.get("MUTATION_KNOWN"))
    # The map comes from a SQLite run: a test's PostgreSQL variant goes with its SQLite twin.
    new = [i for i in items if known and _twin(i.nodeid) not in known]
    if phase == "listed":
        listed = (i for i in items if _twin(i.nodeid) in order)
        # The map's tests first (a killed mutant dies there, quickest first), then the new;
        # a rerun of survivors puts the new ones (written to kill them) first.
        known_first = sorted(listed, key=lambda i: (order[_twin(i.nodeid)], i.nodeid))
        keep = new + known_first if os.environ.get("MUTATION_NEW_FIRST") else known_first + new
    else:
        fresh = {i.nodeid for i in new}
        keep = [i for i in items if _twin(i.nodeid) not in order and i.nodeid not in fresh]
    kept = set(keep)
    drop = [i for i in items if i not in kept]
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


def _twin(nodeid: str) -> str:
    """The SQLite variant's node id of a test run on PostgreSQL (itself otherwise)."""
    head, bracket, params = nodeid.partition("[")
    return head + bracket + re.sub(r"\bpostgresql\b", "sqlite", params)


def _ids(path: str | None) -> dict[str, int]:
    if not path:
        return {}
    with open(path) as f:
        return {line.strip(): n for n, line in enumerate(f) if line.strip()}


def pytest_runtest_logreport(report):
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    target = os.environ.get("MUTATION_DURATIONS")
    # Under xdist the controller sees every worker's reports; a worker would write its share.
    if target and not hasattr(session.config, "workerinput"):
        with open(target, "w") as f:
            json.dump(_durations, f)
