"""What a lifecycle definition must satisfy beyond its schema: roles, guards and effects that
exist, no duplicate states or triggers, every state reachable from the initial one, no dead
ends (a state neither terminal nor left by any transition)."""

from collections import deque

from twinflow.workflow.effects import EFFECTS
from twinflow.workflow.guards import GUARDS
from twinflow.workflow.parties import PARTY_KINDS


def problems_of(d: dict) -> list[tuple[str, str]]:
    """(path, reason) for each problem of a definition its schema accepted, all at once."""
    problems: list[tuple[str, str]] = []
    roles = d["roles"]
    for i, role in enumerate(roles):
        if role not in PARTY_KINDS:
            problems.append((f"roles[{i}]", f"unknown role {role!r}; known: {sorted(PARTY_KINDS)}"))
    state_names: list[str] = []
    for i, state in enumerate(d["states"]):
        if state["name"] in state_names:
            problems.append((f"states[{i}].name", f"duplicate state {state['name']!r}"))
        state_names.append(state["name"])
        for j, spec in enumerate(state["deadlines"]):
            for k, party in enumerate(spec["notify"]):
                if party not in roles:
                    problems.append(
                        (
                            f"states[{i}].deadlines[{j}].notify[{k}]",
                            f"role {party!r} is not defined in roles",
                        )
                    )
            if spec["every"] is not None and spec["until"] is None:
                problems.append((f"states[{i}].deadlines[{j}].until", "required with 'every'"))
            if not _within_execution(spec, (d["rules"] or {}).get("execution_extra_months", 3)):
                problems.append(
                    (
                        f"states[{i}].deadlines[{j}].after",
                        "falls after the execution period (the implementation end plus "
                        "rules.execution_extra_months)",
                    )
                )
    if d["initial"] not in state_names:
        problems.append(("initial", f"unknown state {d['initial']!r}"))
    terminal = {s["name"] for s in d["states"] if s["terminal"]}
    if not terminal:
        problems.append(("states", "at least one state must be terminal"))

    edges: dict[str, set[str]] = {name: set() for name in state_names}
    seen_pairs: dict[tuple[str, str], int] = {}
    for i, t in enumerate(d["transitions"]):
        here = f"transitions[{i}]"
        sources = expand_sources(t["source"], state_names, terminal)
        for s in sources:
            if s not in edges:
                problems.append((f"{here}.source", f"unknown state {s!r}"))
            elif s in terminal:
                problems.append((f"{here}.source", f"{s!r} is terminal; nothing may leave it"))
            else:
                edges[s].add(t["dest"])
            if (t["trigger"], s) in seen_pairs:
                problems.append(
                    (
                        f"{here}.trigger",
                        f"duplicate trigger {t['trigger']!r} from state {s!r} "
                        f"(also transitions[{seen_pairs[t['trigger'], s]}])",
                    )
                )
            seen_pairs[(t["trigger"], s)] = i
        if t["dest"] not in edges:
            problems.append((f"{here}.dest", f"unknown state {t['dest']!r}"))
        if not t["allowed"] and not t["approvals"]:
            problems.append((here, "names nobody who may fire it: give 'allowed' or 'approvals'"))
        if t["allowed"] and t["approvals"]:
            problems.append((here, "give either 'allowed' or 'approvals', not both"))
        if t["approvals"] and len(set(t["approvals"])) < 2:
            problems.append((f"{here}.approvals", "needs at least two distinct parties"))
        for key in ("allowed", "approvals"):
            for k, party in enumerate(t[key]):
                if party not in roles:
                    problems.append(
                        (f"{here}.{key}[{k}]", f"role {party!r} is not defined in roles")
                    )
        for k, name in enumerate(t["guards"]):
            if name not in GUARDS:
                problems.append((f"{here}.guards[{k}]", f"unknown guard {name!r}"))
        for k, name in enumerate(t["effects"]):
            if name not in EFFECTS:
                problems.append((f"{here}.effects[{k}]", f"unknown effect {name!r}"))
        names = [f["name"] for f in t["data"]]
        for k, name in enumerate(names):
            if names.index(name) != k:
                problems.append((f"{here}.data[{k}].name", f"duplicate data field {name!r}"))

    if d["initial"] in edges:
        reachable, queue = {d["initial"]}, deque([d["initial"]])
        while queue:
            for nxt in edges.get(queue.popleft(), ()):
                if nxt not in reachable:
                    reachable.add(nxt)
                    queue.append(nxt)
        for i, name in enumerate(state_names):
            if name not in reachable:
                problems.append(
                    (f"states[{i}]", f"state {name!r} is unreachable from {d['initial']!r}")
                )
    for i, name in enumerate(state_names):
        if name not in terminal and not edges.get(name):
            problems.append(
                (f"states[{i}]", f"state {name!r} is a dead end: not terminal, no way out")
            )
    return problems


def _within_execution(spec: dict, extra_months: int) -> bool:
    """A deadline counted from the implementation end (the final report) is due within the
    execution period: at most `extra_months` calendar months (a month has 28 days or more)."""
    if spec["anchor"] != "implementation_end" or spec["every"] is not None:
        return True
    after = spec["after"]
    return after.months + (after.days + 27) // 28 <= extra_months


def expand_sources(source, state_names: list[str], terminal: set[str]) -> list[str]:
    """The states a transition's `source` names: one, a list, or "*" (every state not terminal)."""
    if source == "*":
        return [s for s in state_names if s not in terminal]
    return [source] if isinstance(source, str) else list(source)
