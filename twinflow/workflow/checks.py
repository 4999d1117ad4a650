"""What a definition must satisfy beyond its schema: roles, guards and effects that exist, no
duplicate states or triggers, every state reachable from the initial one, no dead ends (a state
neither terminal nor left by any transition), a sign-off that names enough parties; records
also who drafts them, in which states they are editable and what they may change."""

from collections import deque

from marshmallow import ValidationError

from twinflow.workflow.hooks import CHANGE_FIELDS, EFFECTS, GUARDS, PERSON, PERSONS, load_hooks
from twinflow.workflow.parties import PARTY_KINDS
from twinflow.workflow.schema import PREVIOUS


def signoff_of(t: dict) -> tuple[tuple[str, ...], int | None, tuple[tuple[str, str], ...]]:
    """(parties, needs, persons) of a transition's sign-off; the legacy `approvals:` (projects)
    and `signatures:` (records) mean every listed party. needs None: all of them. A party may
    be bound to a named person: `{party: lead_member_state, person: ms_project_leader}` is the
    lead Member State's slot, taken only by its project leader (or their deputy)."""
    raw = t.get("signoff")
    if raw is None:
        return tuple(t.get("approvals") or t.get("signatures") or ()), None, ()
    from twinflow.workflow.schema import SignoffSchema

    if isinstance(raw, list):
        parties, persons = _split(raw)
        return parties, None, persons
    loaded = SignoffSchema().load(raw)
    if loaded["person"]:
        return (f"{PERSON}{loaded['person']}",), None, ()
    parties, persons = _split(loaded["parties"])
    return parties, loaded["needs"], persons


def _split(items) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Party names, and (party, person) for the slots bound to a person."""
    from twinflow.workflow.schema import SignerSchema

    parties, persons = [], []
    for item in items:
        if isinstance(item, dict):
            loaded = SignerSchema().load(item)
            parties.append(loaded["party"])
            persons.append((loaded["party"], loaded["person"]))
        else:
            parties.append(item)
    return tuple(parties), tuple(persons)


def _signoff_problems(t: dict, here: str) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    problems = []
    given = [k for k in ("signoff", "approvals", "signatures") if t.get(k)]
    if len(given) > 1:
        problems.append((here, f"give one of {' or '.join(given)}, not both"))
    raw = t.get("signoff")
    if raw is not None and not (
        (isinstance(raw, list) and all(isinstance(p, str | dict) for p in raw))
        or isinstance(raw, dict)
    ):
        return (), [(f"{here}.signoff", "must be a list of parties or {parties, needs}")]
    try:
        parties, needs, persons = signoff_of(t)
    except ValidationError as exc:
        from twinflow.workflow.schema import flatten_errors

        return (), problems + flatten_errors(exc.messages, f"{here}.signoff")
    key = given[0] if given else "signoff"
    if isinstance(raw, dict) and bool(raw.get("person")) == bool(raw.get("parties")):
        return (), problems + [(f"{here}.signoff", "give either 'parties' or 'person'")]
    if parties and parties[0].startswith(PERSON):
        name = parties[0].removeprefix(PERSON)
        if name not in PERSONS:
            known = ", ".join(sorted(PERSONS))
            problems.append((f"{here}.signoff.person", f"unknown person {name!r}; known: {known}"))
        return parties, problems
    for _party, name in persons:
        if name not in PERSONS:
            known = ", ".join(sorted(PERSONS))
            problems.append((f"{here}.signoff.person", f"unknown person {name!r}; known: {known}"))
    if parties and len(set(parties)) < 2:
        problems.append((f"{here}.{key}", "needs at least two distinct parties"))
    if needs is not None and needs > len(set(parties)):
        problems.append((f"{here}.signoff.needs", f"more than the {len(parties)} parties listed"))
    return parties, problems


def _record_problems(d: dict, state_names: list[str]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if d["kind"] != "record":
        for key in ("record_type", "drafted_by", "project_states", "editable", "changes"):
            if d[key]:
                problems.append((key, "only a record workflow (kind: record) has this"))
        return problems
    for key in ("drafted_by", "project_states"):
        if not d[key]:
            problems.append((key, "required for a record workflow"))
    for i, party in enumerate(d["drafted_by"]):
        if party not in d["roles"]:
            problems.append((f"drafted_by[{i}]", f"role {party!r} is not defined in roles"))
    for i, name in enumerate(d["editable"]):
        if name not in state_names:
            problems.append((f"editable[{i}]", f"unknown state {name!r}"))
    for i, name in enumerate(d["changes"]):
        if name not in CHANGE_FIELDS:
            problems.append(
                (f"changes[{i}]", f"unknown change {name!r}; known: {sorted(CHANGE_FIELDS)}")
            )
    for i, state in enumerate(d["states"]):
        if state["deadlines"]:
            problems.append((f"states[{i}].deadlines", "only project states have deadlines"))
    return problems


def problems_of(d: dict) -> list[tuple[str, str]]:
    """(path, reason) for each problem of a definition its schema accepted, all at once."""
    load_hooks()
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
            problems += _selection_meeting_problems(spec, d["rules"] or {}, f"states[{i}]", j)
    window = (d["rules"] or {}).get("after_end_months")
    if window and not (0 <= (window["min"] or -1) <= (window["max"] or -1)):
        problems.append(("rules.after_end_months", "needs min and max, 0 <= min <= max"))
    if PREVIOUS in state_names:
        problems.append(("states", f"{PREVIOUS!r} is reserved for `dest: {PREVIOUS}`"))
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
        if t["dest"] == PREVIOUS:
            for s in sources:
                if s in edges:
                    edges[s] |= set(returns_to(d["transitions"], s, state_names, terminal))
                    if not edges[s]:
                        problems.append((f"{here}.dest", f"nothing enters {s!r} to go back to"))
        elif t["dest"] not in edges:
            problems.append((f"{here}.dest", f"unknown state {t['dest']!r}"))
        endorsement = t.get("endorsement")
        if endorsement and endorsement["by"] not in roles:
            problems.append(
                (f"{here}.endorsement.by", f"role {endorsement['by']!r} is not defined in roles")
            )
        signoff, signoff_problems = _signoff_problems(t, here)
        problems.extend(signoff_problems)
        if not t["allowed"] and not signoff:
            problems.append((here, "names nobody who may fire it: give 'allowed' or 'signoff'"))
        if t["allowed"] and signoff:
            problems.append((here, "give either 'allowed' or 'signoff', not both"))
        named = {"allowed": t["allowed"], "signoff": signoff}
        for key, parties in named.items():
            for k, party in enumerate(parties):
                if party not in roles and not party.startswith(PERSON):
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
    return problems + _record_problems(d, state_names)


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


def returns_to(transitions, state: str, state_names: list[str], terminal: set[str]) -> list[str]:
    """The states a `dest: previous` out of `state` may go back to: those a transition leads
    from into `state` (suspend from call_open ... implementation: resume to each of them)."""
    found: list[str] = []
    for t in transitions:
        if t["dest"] == state:
            for s in expand_sources(t["source"], state_names, terminal):
                if s != state and s not in found:
                    found.append(s)
    return found


def _selection_meeting_problems(spec: dict, rules: dict, where: str, j: int) -> list:
    """The meeting's deadline and the date the meeting form proposes come from one rule: a
    definition where they disagree would remind of one date and suggest another."""
    period = rules.get("selection_meeting_period")
    if spec["key"] != "selection_meeting" or period is None:
        return []
    if (spec["anchor"], spec["after"]) != ("proposal_deadline", period):
        return [
            (
                f"{where}.deadlines[{j}]",
                "the selection meeting is due rules.selection_meeting_period after the "
                "proposal deadline (anchor: proposal_deadline)",
            )
        ]
    return []
