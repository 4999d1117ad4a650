"""A pytest plugin for bench/mutation.py: runs the tests that cover a mutant first (in the order
given), or all the others; and records each test's duration for that ordering.

MUTATION_TESTS: a file of node ids, one a line. MUTATION_PHASE: "listed" keeps only those, in
that order; "rest" keeps everything else. MUTATION_DURATIONS: where to write {nodeid: seconds}.
"""

import json
import os

import pytest

_durations: dict[str, float] = {}


@pytest.hookimpl(trylast=True)  # after the project's own deselection of backends
def pytest_collection_modifyitems(config, items):
    listed_file, phase = os.environ.get("MUTATION_TESTS"), os.environ.get("MUTATION_PHASE")
    if not listed_file or not phase:
        return
    with open(listed_file) as f:
        order = {line.strip(): i for i, line in enumerate(f) if line.strip()}
    if phase == "listed":
        keep = sorted((i for i in items if i.nodeid in order), key=lambda i: order[i.nodeid])
    else:
        keep = [i for i in items if i.nodeid not in order]
    kept = set(keep)
    drop = [i for i in items if i not in kept]
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


def pytest_runtest_logreport(report):
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session):
    target = os.environ.get("MUTATION_DURATIONS")
    if target:
        with open(target, "w") as f:
            json.dump(_durations, f)
